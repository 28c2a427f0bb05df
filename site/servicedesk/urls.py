from django.urls import include, path

# Compliance first: the public patterns take a request kind as their first segment.
urlpatterns = [
    path("service/compliance/", include("servicedesk.compliance_urls")),
    path("service/", include("servicedesk.public_urls")),
]
