"""The Content-Security-Policy header (django-csp 4), with one policy for the public site and
one for the Wagtail admin.

Public pages carry no inline script or style, so their policy (CONTENT_SECURITY_POLICY) is
strict: everything from the site itself. The JSON-LD of the FAQ pages is an inline <script>
of type application/ld+json, which browsers never execute, so script-src does not apply to it.

The Wagtail admin writes inline scripts (date pickers, inline panels) and style attributes,
so it gets CONTENT_SECURITY_POLICY_ADMIN, which allows those and still allows nothing from
other sites: Wagtail 8 cannot run under a nonce-only policy yet. Both policies add the map
tile servers (notices.maps.svg.tile_origins(), from MAP_TILE_URL) to img-src: the public notice
maps and the admin's drawing map show their tiles."""

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.urls import reverse

from notices.maps.svg import tile_origins


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

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None:  # a view's @csp decorator wins
            admin = request.path_info.startswith(self.admin_prefix)
            parts.config = self.admin if admin else self.public
        return parts
