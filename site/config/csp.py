"""The Content-Security-Policy header (django-csp 4), with one policy for the public site and
one for the Wagtail admin.

Public pages carry no inline script or style, so their policy (CONTENT_SECURITY_POLICY) is
strict: everything from the site itself. The JSON-LD of the FAQ pages is an inline <script>
of type application/ld+json, which browsers never execute, so script-src does not apply to it.

The Wagtail admin writes inline scripts (date pickers, inline panels) and style attributes,
so it gets CONTENT_SECURITY_POLICY_ADMIN, which allows those and still allows nothing from
other sites: Wagtail 8 cannot run under a nonce-only policy yet. Both policies add the map
tile servers (notices.maps.svg.tile_origins(), from MAP_TILE_URL) to img-src: the public notice
maps and the admin's drawing map show their tiles.

Both headers are built once: django-csp builds the header from a deep copy of the policy on
every response, which took a quarter of the time of a page served from the page cache
(issue 19). A response that a view's decorator gives its own policy, a request that used a
nonce, or a report-only policy take django-csp's own way."""

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.urls import reverse

from notices.maps.svg import tile_origins

# What a view's decorator sets on its response for a policy of its own.
_PER_VIEW = ("_csp_config", "_csp_update", "_csp_replace")


def _with_tiles(directives: dict, tiles: list[str]) -> dict:
    config = default_config(directives)
    if tiles:
        config["img-src"] = [*(config["img-src"] or ["'self'"]), *tiles]
    return config


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        tiles = tile_origins()
        self.admin_prefix = reverse("wagtailadmin_home")
        self.public = _with_tiles(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], tiles)
        self.admin = _with_tiles(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"], tiles)
        self.headers = {
            False: build_policy(config=self.public),
            True: build_policy(config=self.admin),
        }
        self.excluded = tuple(settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES") or ())
        self.report_only = bool(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None))

    def process_response(self, request, response):
        own_policy = any(hasattr(response, name) for name in _PER_VIEW)
        if own_policy or self.report_only or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages, as django-csp leaves them
        path = request.path_info
        if (
            HEADER not in response
            and not getattr(response, "_csp_exempt", False)
            and not path.startswith(self.excluded)
        ):
            response[HEADER] = self.headers[path.startswith(self.admin_prefix)]
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:  # a view's @csp decorator wins
            admin = request.path_info.startswith(self.admin_prefix)
            parts.config = self.admin if admin else self.public
        return parts
