"""Reading settings from the environment, so one code base serves dev, CI and production."""

import os
import sys


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def serves_requests() -> bool:
    """Whether this process is the web server: gunicorn, which names itself in SERVER_SOFTWARE
    before it loads the site, or `manage.py runserver`. Not a command, a cluster or pytest."""
    gunicorn = os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/")
    return gunicorn or sys.argv[1:2] == ["runserver"]
