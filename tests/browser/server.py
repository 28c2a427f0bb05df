"""The web server of the browser tests, started by tests/browser/conftest.py in its own process
against a copy of the test database (DATABASE_URL). It adds the accounts of the admin journeys,
then serves the site and its static files on a free port of 127.0.0.1, which it prints."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.browser.server_settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

# username -> group; the password is "pw-" + username (tests/conftest.py's pattern). The desk
# group of the station serving 星宇小区 (servicedesk.routing.desk_group_name) is made with the
# station.
ACCOUNTS = {
    "browser-editor": "编辑",
    "browser-moderator": "审核",
    "browser-desk": "服务台：第一供热所",
}


def add_accounts() -> None:
    for username, group in ACCOUNTS.items():
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        user.groups.add(Group.objects.get(name=group))


def serve() -> None:
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    httpd.set_app(StaticFilesHandler(get_wsgi_application()))
    print(f"http://127.0.0.1:{httpd.server_port}", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    add_accounts()
    serve()
