"""Local development: the README's run command uses these."""

from config.env import env_list, env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["*"])
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The demo's robot keys exist only in the local stand-in (standins/wecom_robot.py, README).
WECOM_ROBOT_API_BASE = env_str("WECOM_ROBOT_API_BASE", "http://127.0.0.1:8998")
