"""Browser tests: Debian's headless Chromium (/usr/bin/chromium, driven by Playwright; no
browser is downloaded) against a real server process (server.py) on a copy of the test
database. A copy, because the rest of the suite relies on the test database holding exactly the
demo content, while what the browser does (sign-ups, admin edits) is committed by the server.

They run by default. Without Chromium they fail, saying what to install; SKIP_BROWSER_TESTS=1
skips them instead, for a local machine without a browser (CI installs it)."""

import os
import select
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright

from tests.browser.helpers import AXE, CHROMIUM, CHROMIUM_ARGS, PHONE, TIMEOUT_MS
from tests.support import DatabaseCopy

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
    sms_file: Path  # texts sent, one JSON object a line (sms.backends.file)


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
            # The site's Content Security Policy forbids inline scripts, as it should; axe-core
            # is injected by the test, not served by the site.
            bypass_csp=True,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()
