from django.urls import path

from home.display import display_settings

urlpatterns = [path("display/", display_settings, name="display_settings")]
