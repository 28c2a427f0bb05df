"""Browser tests: Debian's headless Chromium (/usr/bin/chromium, driven by Playwright; no
browser is downloaded) against a real server process (server.py) on a copy of the test
database. A copy, because the rest of the suite relies on the test database holding exactly the
demo content, while what the browser does (sign-ups, admin edits) is committed by the server.

They run by default. Without Chromium they fail, saying what to install; SKIP_BROWSER_TESTS=1
skips them instead, for a local machine without a browser (CI installs it)."""

import os
import select
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from playwright.sync_api import expect, sync_playwright
from psycopg import sql

from tests.browser.helpers import AXE, CHROMIUM, CHROMIUM_ARGS, PHONE, TIMEOUT_MS

SERVER_START_TIMEOUT = 120


@pytest.fixture(scope="session")
def chromium() -> str:
    if os.environ.get("SKIP_BROWSER_TESTS"):
        pytest.skip("SKIP_BROWSER_TESTS is set")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: install the Debian packages chromium chromium-driver "
            "fonts-noto-cjk (CI does), or set SKIP_BROWSER_TESTS=1 to skip the browser tests",
            pytrace=False,
        )
    if not AXE.exists():
        pytest.fail(f"{AXE} not found: run `npm ci` (scripts/test does)", pytrace=False)
    return str(CHROMIUM)


@dataclass(frozen=True)
class Server:
    url: str
    sms_file: Path  # texts sent, one JSON object a line (alerts.sms.backends.file)


class DatabaseCopy:
    """The committed content of the test database in a database of the server's own: a file
    copy on SQLite, a database made from it as a template on PostgreSQL (dropped at the end)."""

    def __init__(self, workdir: Path):
        self.settings = connection.settings_dict
        self.is_sqlite = self.settings["ENGINE"].endswith("sqlite3")
        self.name = str(workdir / "browser.sqlite3") if self.is_sqlite else f"{self.source}_browser"

    @property
    def source(self) -> str:
        return self.settings["NAME"]

    def create(self) -> None:
        if self.is_sqlite:
            with sqlite3.connect(self.source) as source, sqlite3.connect(self.name) as target:
                source.backup(target)
            return
        # A template must have no other sessions: ours is idle between tests, so close it.
        connections.close_all()
        self._maintenance(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {} TEMPLATE {}"
        )

    def drop(self) -> None:
        if not self.is_sqlite:
            self._maintenance("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def _maintenance(self, *statements: str) -> None:
        options = {
            key: self.settings[name]
            for key, name in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
            if self.settings[name]
        }
        if self.settings["PASSWORD"]:
            options["password"] = self.settings["PASSWORD"]
        names = (sql.Identifier(self.name), sql.Identifier(self.source))
        with psycopg.connect(dbname="postgres", autocommit=True, **options) as maintenance:
            for statement in statements:
                maintenance.execute(sql.SQL(statement).format(*names))

    @property
    def url(self) -> str:
        if self.is_sqlite:
            return f"sqlite:///{self.name}"
        user = quote(self.settings["USER"] or "postgres", safe="")
        password = (
            f":{quote(self.settings['PASSWORD'], safe='')}" if self.settings["PASSWORD"] else ""
        )
        host = self.settings["HOST"] or "127.0.0.1"
        return f"postgres://{user}{password}@{host}:{self.settings['PORT'] or 5432}/{self.name}"


@pytest.fixture(scope="session")
def server(chromium, django_db_setup, django_db_blocker, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("browser-server")
    database = DatabaseCopy(workdir)
    with django_db_blocker.unblock():
        database.create()
    sms_file = workdir / "sms.jsonl"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "DATABASE_URL": database.url,
        "VAR_DIR": str(workdir),
        "BROWSER_SMS_FILE": str(sms_file),
        "CACHE_KEY_PREFIX": f"{settings.CACHE_KEY_PREFIX}-browser",
    }
    log_path = workdir / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("server.py"))],
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        ready, _, _ = select.select([process.stdout], [], [], SERVER_START_TIMEOUT)
        url = process.stdout.readline().strip() if ready else ""
        if not url.startswith("http://"):
            pytest.fail(f"the browser tests' server did not start:\n{log_path.read_text()}")
        yield Server(url=url, sms_file=sms_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        database.drop()


@pytest.fixture(scope="module")
def browser(chromium):
    """One Chromium a module. While Playwright runs, its event loop counts as running in this
    thread, so Django would refuse the transaction pytest-django opens and rolls back around
    each test as async-unsafe; nothing here is async, so the check is off while the browser
    lives, and only then: a session-wide browser would hide it from the rest of the suite."""
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        expect.set_options(timeout=TIMEOUT_MS)  # expect() waits as long as actions do
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, server):
    """new_page(viewport) -> a page in a fresh browser context (own cookies) on the server."""
    contexts = []

    def new_page(viewport=PHONE):
        phone = viewport == PHONE
        context = browser.new_context(
            base_url=server.url,
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()
