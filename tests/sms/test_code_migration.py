"""Verification codes moved from alerts to sms (alerts 0006) with their rows: a code in flight
during a deploy still works, and still counts in its number's budget. Run on a database of the test
database's kind (SQLite, or PostgreSQL in CI), migrated from empty, then backwards and forwards, in
its own process."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import ROOT, DatabaseCopy

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(tmp_path):
    scratch = DatabaseCopy(tmp_path, "codes")
    scratch.create_empty()
    yield scratch
    scratch.drop()


def test_codes_move_between_apps_with_their_rows_both_ways(database):
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests/e2e/code_migration.py")],
        env={**os.environ, "DATABASE_URL": database.url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    steps = json.loads(result.stdout.strip().splitlines()[-1])
    subscription, service = steps["before"]
    # Backwards: the subscription's code is back in alerts' table, what it asked for in its
    # own columns, its creation time kept; the service desk's code has no place there.
    assert steps["backwards"]["alerts"] == [
        ["13800000001", "subscribe", [1, 2], ["heat", "gas"], 2, steps["created"]]
    ]
    assert steps["backwards"]["sms"] == [service]
    assert subscription[-1] == service[-1] == steps["created"]
    # Forwards again: both codes in sms, once each, as they were.
    assert steps["forwards"] == [subscription, service]
