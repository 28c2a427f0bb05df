from django.urls import path

from home.display import display_settings
from home.sitemap import sitemap

urlpatterns = [
    path("display/", display_settings, name="display_settings"),
    path("sitemap.xml", sitemap, name="sitemap"),
]
