from django.urls import path
from wagtail import hooks

from jobs import views


@hooks.register("register_admin_urls")
def register_job_urls():
    return [path("jobs/<id:job_id>/", views.job_view, name="jobs_progress")]
