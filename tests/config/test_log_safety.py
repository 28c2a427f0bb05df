"""Django's log lines (settings.LOGGING's formatter, config.log_safety.SafeFormatter): no line
forged from what a client sent, no query string. gunicorn's lines: tests/config/test_web_server.py."""

import logging

import pytest
from django.test import Client
from django.utils.module_loading import import_string

from config.log_safety import SafeFormatter
from config.settings import base as base_settings


def formatted(message: str, *args, exc_info=None) -> str:
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, message, args, exc_info
    )
    return SafeFormatter("%(levelname)s %(message)s").format(record)


def test_control_characters_are_escaped():
    line = formatted("Not Found: %s", "/x\r\n2026-12-05 ERROR forged\x00\x1b[31m\u2028\x85")
    assert "\n" not in line and "\r" not in line and "\x00" not in line and "\x1b" not in line
    assert "/x\\r\\n2026-12-05 ERROR forged\\x00\\x1b[31m\\u2028\\x85" in line


def test_query_strings_are_left_out():
    line = formatted('"GET /search/?q=13800000505&page=2 HTTP/1.1" 200')
    assert "13800000505" not in line
    assert '"GET /search/?… HTTP/1.1" 200' in line


def test_a_traceback_keeps_its_lines_but_not_the_clients():
    try:
        raise ValueError("bad /x?phone=13800000505\r\nforged")
    except ValueError as error:
        line = formatted("Internal Server Error", exc_info=(ValueError, error, error.__traceback__))
    assert "13800000505" not in line
    assert "Traceback (most recent call last):\n" in line
    assert not any(part.startswith("forged") for part in line.splitlines())


def test_the_site_logs_through_it():
    """The deployed settings' only formatter (the test settings keep Django's defaults)."""
    formatter = base_settings.LOGGING["formatters"]["plain"]["()"]
    assert set(base_settings.LOGGING["formatters"]) == {"plain"}
    assert import_string(formatter) is SafeFormatter


@pytest.mark.django_db
def test_a_request_for_a_forged_path_logs_one_line(caplog):
    """The test settings keep Django's default handlers; the record itself is what the site's
    formatter receives: one message, escaped by SafeFormatter."""
    with caplog.at_level(logging.WARNING, logger="django.request"):
        Client(HTTP_HOST="localhost").get("/x%0d%0aforged/?phone=13800000505")
    lines = [SafeFormatter("%(message)s").format(record) for record in caplog.records]
    assert lines
    assert all("\n" not in line and "13800000505" not in line for line in lines), lines
