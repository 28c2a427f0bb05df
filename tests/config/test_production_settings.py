"""The production profile (config.settings.production, deploy/gunicorn.conf.py, .env.example)
and the Content-Security-Policy every environment sends (config/csp.py). Settings are loaded
in subprocesses with a realistic environment, as gunicorn would load them."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.template import loader
from django.test import Client

from tests.support import ROOT

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "k3j4h5g6f7d8s9a0q1w2e3r4t5y6u7i8o9p0z1x2c3v4b5n6m7-production-like",
    "DATABASE_URL": "postgres://heat:secret@db.internal:5432/heating",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "heat.example.cn",
    "CSRF_TRUSTED_ORIGINS": "https://heat.example.cn",
    "WAGTAILADMIN_BASE_URL": "https://heat.example.cn",
}


def environment(tmp_path, **overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")
    }
    env.update(PRODUCTION, VAR_DIR=str(tmp_path), PYTHONPATH=f"{ROOT / 'site'}:{ROOT}")
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def production_settings(tmp_path, **overrides) -> dict:
    probe = (
        "import json, config.settings.production as s; print(json.dumps({"
        "'middleware': s.MIDDLEWARE, 'static': s.STORAGES['staticfiles']['BACKEND'],"
        "'cache': s.CACHES['default']['BACKEND'], 'broker': 'redis' in s.Q_CLUSTER,"
        "'referrer': s.SECURE_REFERRER_POLICY, 'debug': s.DEBUG}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "site/manage.py"), "check", "--deploy", "--fail-level=WARNING"],
        env=environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # security.W021 (HSTS preload) is the one silenced check, for the reason in production.py.
    assert "System check identified no issues (1 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY 未设置"),
        ({"DATABASE_URL": None}, "DATABASE_URL 未设置或不是 PostgreSQL"),
        (
            {"DATABASE_URL": "sqlite:////tmp/heating.sqlite3"},
            "DATABASE_URL 未设置或不是 PostgreSQL",
        ),
        ({"REDIS_URL": None}, "REDIS_URL 未设置"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(tmp_path, overrides, message):
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        env=environment(tmp_path, **overrides),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_production_profile(tmp_path):
    values = production_settings(tmp_path)
    middleware = values["middleware"]
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    assert "config.csp.ContentSecurityPolicyMiddleware" in middleware
    assert values["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["cache"] == "config.cache.FailSafeRedisCache"
    assert values["broker"] is True
    assert values["debug"] is False


def test_referrer_reaches_map_tile_servers_only_as_the_origin(tmp_path):
    assert production_settings(tmp_path)["referrer"] == "same-origin"
    tiles = production_settings(tmp_path, MAP_TILE_URL="https://t{s}.tianditu.gov.cn/{z}/{x}/{y}")
    assert tiles["referrer"] == "strict-origin-when-cross-origin"


def test_env_example_names_every_variable_the_settings_read():
    """.env.example and the README's table list what the code reads from the environment."""
    read = set()
    sources = [*ROOT.glob("site/config/settings/*.py"), ROOT / "deploy/gunicorn.conf.py"]
    for source in sources:
        text = source.read_text()
        read |= set(re.findall(r'env_(?:str|bool|list)\(\s*"([A-Z0-9_]+)"', text))
        read |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z0-9_]+)"', text))
    read -= {"E2E_CLUSTER", "E2E_KILL_AFTER_HANDOVER", "TEST_CLOCK_OFFSET"}  # tests only
    example = (ROOT / ".env.example").read_text()
    readme = (ROOT / "README.md").read_text()
    assert {name for name in read if not re.search(rf"^#? ?{name}=", example, re.M)} == set()
    assert {name for name in read if f"`{name}`" not in readme} == set()


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


@pytest.mark.django_db
def test_public_pages_get_the_strict_policy(client):
    directives = policy(client.get("/"))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy(client, editor):
    client.force_login(editor)
    directives = policy(client.get("/admin/"))
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'self'"]  # its own previews


@pytest.mark.django_db
def test_map_tile_servers_are_allowed_images(settings):
    settings.MAP_TILE_URL = "https://t{s}.tianditu.gov.cn/vec_w/wmts?x={x}&y={y}&l={z}"
    settings.MAP_TILE_SUBDOMAINS = ["0", "1"]
    directives = policy(Client(HTTP_HOST="localhost").get("/"))
    assert directives["img-src"] == [
        "'self'",
        "data:",
        "https://t0.tianditu.gov.cn",
        "https://t1.tianditu.gov.cn",
    ]


PUBLIC_PAGES = [
    "/",
    "/notices/",
    "/notices/xingyu-east-pump-station-water/",
    "/directory/LY-0001/",
    "/faq/",
    "/fees/",
    "/search/?q=星宇",
    "/sms/subscribe/",
    "/display/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_no_inline_script_or_style(client, path):
    """What the strict policy would block: inline scripts (JSON-LD is data, not run), style
    attributes and <style> elements, event-handler attributes."""
    html = client.get(path, follow=True).content.decode()
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert [attrs for attrs in scripts if "application/ld+json" not in attrs] == []
    assert re.findall(r"<style\b|\sstyle=|\son[a-z]+=", html) == []


def test_the_error_page_carries_no_inline_style_either():
    html = loader.get_template("500.html").render({})
    assert re.findall(r"<script|<style\b|\sstyle=|\son[a-z]+=", html) == []
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
