from django.utils.functional import SimpleLazyObject

from home.chrome import CHROME_TAG, site_chrome

CHROME_TAGS = (CHROME_TAG,)


def chrome(request):
    """`chrome` in every template: lazy, so views that never show it pay nothing; the header
    and footer built from it are fragments (core.fragments) kept under `chrome_tags`."""
    return {
        "chrome": SimpleLazyObject(lambda: site_chrome(request) or {}),
        "chrome_tags": CHROME_TAGS,
    }
