"""Included before Wagtail's page routes (config.urls): a report page's CSV and feeds."""

from django.urls import re_path

from reports import views

PAGE = r"^(?P<path>(?:[\w\-]+/)+)"

urlpatterns = [
    re_path(PAGE + r"figures\.csv$", views.figures_csv, name="reports_figures_csv"),
    re_path(PAGE + r"months\.rss$", views.months_rss, name="reports_months_rss"),
    re_path(PAGE + r"months\.atom$", views.months_atom, name="reports_months_atom"),
]
