from django.conf import settings
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.urls import password_reset as wagtailadmin_password_reset_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import routing
from core.ratelimit import limit_posts

# Wagtail's own public forms, rate limited per IP (docs/security.md): its patterns again, same
# routes and names, wrapped, and listed first so they win. Logins also have django-axes'
# per-username lockout; this caps one address guessing across many usernames.
LOGIN_LIMIT = limit_posts("login", 30, 1800, _("登录尝试太频繁，请半小时后再试。"))
PASSWORD_RESET_LIMIT = limit_posts("password-reset", 5, 3600, _("操作太频繁，请一小时后再试。"))
VIEW_PASSWORD_LIMIT = limit_posts("view-password", 20, 3600, _("密码尝试太频繁，请一小时后再试。"))


def _limited(prefix: str, urls, name: str, limit):
    pattern = next(p for p in urls.urlpatterns if getattr(p, "name", None) == name)
    return path(prefix + str(pattern.pattern), limit(pattern.callback), name=name)


urlpatterns = [
    _limited("admin/", wagtailadmin_urls, "wagtailadmin_login", LOGIN_LIMIT),
    _limited(
        "admin/password_reset/",
        wagtailadmin_password_reset_urls,
        "wagtailadmin_password_reset",
        PASSWORD_RESET_LIMIT,
    ),
    _limited("", wagtail_urls, "wagtailcore_login", LOGIN_LIMIT),
    _limited("", wagtail_urls, "wagtailcore_authenticate_with_password", VIEW_PASSWORD_LIMIT),
    _limited(
        "documents/",
        wagtaildocs_urls,
        "wagtaildocs_authenticate_with_password",
        VIEW_PASSWORD_LIMIT,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("catalogue.urls")),
    path("", include("collections_app.urls")),  # before notices': its api/ catch-all comes last
    path("", include("notices.urls")),
    path("", include("alerts.urls")),
    path("", include("contacts.urls")),
    path("", include("home.urls")),
    path("", include("search.urls")),
    path("", include("servicedesk.urls")),
    path("", include("reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages are served by core.routing.serve (Wagtail's serve with routes from memory); the rest of
# Wagtail's front-end addresses (login and password forms) are its own.
urlpatterns += [
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
