"""Settings follow the environment: SQLite and local memory by default; PostgreSQL, Redis
cache and the django-q2 Redis broker when DATABASE_URL and REDIS_URL are set."""

import json
import os
import subprocess
import sys

from config.env import serves_requests
from tests.support import ROOT

PROBE = (
    "import json, config.settings.dev as s;"
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    "'cache': s.CACHES['default']['BACKEND'], 'q': sorted(k for k in ('orm', 'redis') if k in s.Q_CLUSTER),"
    "'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def settings_with(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(env, PYTHONPATH=f"{ROOT / 'site'}:{ROOT}")
    output = subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)


def test_embedded_defaults(tmp_path):
    values = settings_with(VAR_DIR=str(tmp_path))
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "db.sqlite3")
    # Files: the web server and the cluster share it (a cluster's publish drops cached pages).
    assert values["cache"] == "config.file_cache.FileCache"  # Django's files, read faster
    assert values["q"] == ["orm"]
    assert (values["lang"], values["tz"]) == ("zh-hans", "Asia/Shanghai")


def test_postgresql_and_redis_from_the_environment(tmp_path):
    values = settings_with(
        VAR_DIR=str(tmp_path),
        DATABASE_URL="postgres://heat:secret@db.internal:5432/heating",
        REDIS_URL="redis://cache.internal:6379/2",
    )
    assert values["db"] == "django.db.backends.postgresql"
    assert values["name"] == "heating"
    assert values["cache"] == "config.cache.FailSafeRedisCache"  # Django's, outage-tolerant
    assert values["q"] == ["redis"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment.update(VAR_DIR=str(tmp_path), PYTHONPATH=f"{ROOT / 'site'}:{ROOT}")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY 未设置" in result.stderr


def manage(tmp_path, *args, **env) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SERVER_SOFTWARE", "PUBLIC_BASE_URL")
    }
    environment.update(env, DJANGO_SETTINGS_MODULE="config.settings.dev", VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, str(ROOT / "site" / "manage.py"), *args],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_only_the_web_server_logs_the_lockout_settings(tmp_path):
    """django-axes's start-up line ("AXES: BEGIN ...") is not repeated by every command."""
    command = manage(tmp_path, "check")
    assert command.returncode == 0, command.stderr
    assert "AXES" not in command.stdout + command.stderr
    web = manage(tmp_path, "check", SERVER_SOFTWARE="gunicorn/27.0.1")  # as gunicorn sets it
    assert "AXES: BEGIN" in web.stderr


def test_the_web_server_is_gunicorn_or_runserver(monkeypatch):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    monkeypatch.setattr(sys, "argv", ["site/manage.py", "runserver", "127.0.0.1:8000"])
    assert serves_requests()
    monkeypatch.setattr(sys, "argv", ["site/manage.py", "qcluster"])
    assert not serves_requests()
    monkeypatch.setattr(sys, "argv", [".venv/bin/gunicorn", "-c", "deploy/gunicorn.conf.py"])
    monkeypatch.setenv("SERVER_SOFTWARE", "gunicorn/27.0.1")
    assert serves_requests()


def test_public_base_url_must_be_an_address_without_a_path(tmp_path):
    assert manage(tmp_path, "check", PUBLIC_BASE_URL="https://heat.example.cn/").returncode == 0
    for wrong in ("heat.example.cn", "https://heat.example.cn/site", "ftp://heat.example.cn"):
        result = manage(tmp_path, "check", PUBLIC_BASE_URL=wrong)
        assert result.returncode != 0
        assert "PUBLIC_BASE_URL 应只含协议和域名" in result.stderr
