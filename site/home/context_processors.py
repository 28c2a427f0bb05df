from django.utils.functional import SimpleLazyObject

from home.chrome import site_chrome


def chrome(request):
    """`chrome` in every template: lazy, so views that never show it pay nothing."""
    return {"chrome": SimpleLazyObject(lambda: site_chrome(request) or {})}
