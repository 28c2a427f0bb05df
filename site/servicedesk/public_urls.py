"""The residents' pages under /service/ (servicedesk.urls). Fixed segments first: the form's
segment is any request kind."""

from django.urls import path

from servicedesk import views

urlpatterns = [
    path("", views.index, name="servicedesk_index"),
    path("lookup/", views.lookup, name="servicedesk_lookup"),
    path("verify/", views.verify, name="servicedesk_verify"),
    path("verify/resend/", views.resend_code, name="servicedesk_resend"),
    path("track/<slug:token>/", views.track, name="servicedesk_track"),
    path("<slug:kind>/", views.request_form, name="servicedesk_form"),
]
