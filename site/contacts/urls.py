from django.urls import path

from contacts import views

urlpatterns = [path("my-community/", views.choose, name="my_community")]
