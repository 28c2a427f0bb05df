"""The rate limits and a number's budget of codes are exact under concurrency and their windows
last their whole length, on whatever database and cache the settings give (CI runs this file on
SQLite with the local caches, and again on PostgreSQL + Redis).

The races are real: several OS processes (tests/e2e/rate_contender.py), each with several
threads on their own database connections, started together behind a barrier, on a copy of the
test database (SQLite) or on the test database itself (PostgreSQL; they remove what they made).
Before, on the cache's add/incr, 30 sign-ups from one address got 22 through (limit 10), 20 for
one number texted it 5 codes (limit 1 a minute), and an hour's limit ended 300 s after the last
attempt (the file cache's incr gives the key its default timeout again)."""

import json
import os
import secrets
import subprocess
import sys

import pytest
import time_machine
from django.core.cache import cache

from core import ratelimit
from core.models import RateCounter
from tests.clock import OFFSET_VARIABLE, parse_instant
from tests.e2e.clusters import database_url
from tests.support import ROOT

pytestmark = pytest.mark.django_db

CONTENDER = ROOT / "tests/e2e/rate_contender.py"
# The contenders' clock: 40 minutes before the hour's window ends, so no race straddles two.
RACE_AT = "2026-12-04T10:20"


def random_ip() -> str:
    """An address (and below a number) of this run only: on PostgreSQL the contenders share the
    suite's database, and a run cut short leaves its counters behind."""
    return "10." + ".".join(str(secrets.randbelow(256)) for _ in range(3))


def random_phone() -> str:
    return f"139{secrets.randbelow(10**8):08d}"


@pytest.fixture
def contenders(tmp_path):
    """Runs contender processes together: `contenders(args, args, ...)` starts one process per
    argument list, waits until every thread of every one is ready, tells them all to go at
    once, and returns their answers. Then `contenders.cleanup(...)` removes what they made
    (and answers what it found)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(tmp_path),
        OFFSET_VARIABLE: repr(
            parse_instant(RACE_AT).timestamp() - time_machine.escape_hatch.time.time()
        ),
    }

    def start(*runs) -> list[subprocess.Popen]:
        return [
            subprocess.Popen(
                [sys.executable, str(CONTENDER), *map(str, args)],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=(tmp_path / f"contender-{index}.log").open("w"),
                text=True,
            )
            for index, args in enumerate(runs)
        ]

    def answer(process: subprocess.Popen, index: int) -> dict:
        output, _ = process.communicate(timeout=120)
        log = (tmp_path / f"contender-{index}.log").read_text()
        assert process.returncode == 0, log
        return json.loads(output.strip().splitlines()[-1])

    def race(*runs) -> list[dict]:
        processes = start(*runs)
        for index, process in enumerate(processes):
            ready = process.stdout.readline().strip()
            assert ready == "ready", (tmp_path / f"contender-{index}.log").read_text()
        for process in processes:  # the barrier opens
            process.stdin.write("go\n")
            process.stdin.flush()
        return [answer(process, index) for index, process in enumerate(processes)]

    def cleanup(**what) -> dict:
        (process,) = start(["cleanup", json.dumps(what)])
        return answer(process, 0)

    race.cleanup = cleanup
    return race


def test_a_limit_is_exact_across_processes(contenders):
    """4 processes × 3 threads × 10 attempts on one key, limit 10: exactly 10 allowed."""
    ip = random_ip()
    try:
        answers = contenders(*[["attempts", "exact", ip, 10, 3600, 3, 10] for _ in range(4)])
    finally:
        contenders.cleanup(counters=[["exact", ip]])
    assert sum(answer["allowed"] for answer in answers) == 10
    # Refused until the end of the clock hour: 10:20 + the race's seconds.
    waits = [wait for answer in answers for wait in answer["refused_waits"]]
    assert waits and all(2300 <= wait <= 2400 for wait in waits), waits


def test_one_address_gets_exactly_its_limit_of_sign_ups_at_once(contenders):
    """30 sign-ups from one address at once, each for its own number, through the real view
    (5 processes × 6 threads): exactly 10 through, each texted one code."""
    ip = random_ip()
    phones = [random_phone() for _ in range(30)]
    items = [{"form": "subscribe", "phone": phone, "ip": ip} for phone in phones]
    answers = []
    try:
        answers = contenders(*[["posts", json.dumps(items[n : n + 6])] for n in range(0, 30, 6)])
    finally:
        found = contenders.cleanup(
            phones=phones,
            sessions=[key for answer in answers for key in answer["sessions"]],
            counters=[["subscribe-ip", ip]],
        )
    responses = [response for answer in answers for response in answer["responses"]]
    assert sorted(status for status, _ in responses) == [302] * 10 + [429] * 20
    assert all(1 <= int(wait) <= 2400 for status, wait in responses if status == 429)
    texted = [number for answer in answers for number in answer["texted"]]
    assert len(texted) == len(set(texted)) == found["codes"] == 10


def test_one_number_gets_one_code_from_many_requests_at_once(contenders):
    """20 requests for codes for one number at once, half sign-ups and half service requests
    (the budget is shared), each from its own address (4 processes × 5 threads): one code is
    texted; the others are told when the minute ends."""
    phone = random_phone()
    ips = [random_ip() for _ in range(20)]
    items = [
        {"form": ("subscribe", "servicedesk")[index % 2], "phone": phone, "ip": ip}
        for index, ip in enumerate(ips)
    ]
    answers = []
    try:
        answers = contenders(*[["posts", json.dumps(items[n : n + 5])] for n in range(0, 20, 5)])
    finally:
        found = contenders.cleanup(
            phones=[phone],
            sessions=[key for answer in answers for key in answer["sessions"]],
            counters=[["subscribe-ip", ip] for ip in ips]
            + [["servicedesk-submit", ip] for ip in ips],
        )
    responses = [response for answer in answers for response in answer["responses"]]
    assert sorted(status for status, _ in responses) == [302] + [429] * 19
    assert all(1 <= int(wait) <= 60 for status, wait in responses if status == 429), responses
    assert [number for answer in answers for number in answer["texted"]] == [phone]
    assert found["codes"] == 1
    assert found["service_requests"] <= 1  # kept only if the code was the service desk's


def test_a_window_lasts_its_whole_length(clock):
    """An hour's limit holds until the clock hour ends, however long ago the last attempt was
    (on the file cache it used to end 300 s after it), and a lost cache does not reset it."""
    clock("2026-12-04T10:05")
    for _ in range(10):
        assert ratelimit.attempt("hour", "10.7.0.1", 10, 3600) == 0
    assert 3290 <= ratelimit.attempt("hour", "10.7.0.1", 10, 3600) <= 3300
    clock.shift(600)  # ten minutes, past any cache entry's default 300 s
    cache.clear()
    assert 2690 <= ratelimit.attempt("hour", "10.7.0.1", 10, 3600) <= 2700
    clock("2026-12-04T10:59:59", tick=False)
    assert ratelimit.attempt("hour", "10.7.0.1", 10, 3600) == 1
    clock("2026-12-04T11:00:00", tick=False)  # the next window
    assert ratelimit.attempt("hour", "10.7.0.1", 10, 3600) == 0
    assert ratelimit.attempt("hour", "10.7.0.2", 10, 3600) == 0  # counted per key


def test_windows_are_aligned_to_the_clock(clock):
    clock("2026-12-04T10:17:30", tick=False)
    assert ratelimit.attempt("ten", "10.7.1.1", 0, 600) == 150  # until 10:20
    assert ratelimit.attempt("half-hour", "10.7.1.1", 0, 1800) == 750  # until 10:30
    assert ratelimit.attempt("minute", "10.7.1.1", 0, 60) == 30


def test_ended_windows_are_purged_daily(clock):
    clock("2026-12-04T10:00")
    ratelimit.attempt("purge", "10.7.2.1", 10, 60)
    ratelimit.attempt("purge", "10.7.2.2", 10, 3600)
    clock("2026-12-04T10:30")
    assert ratelimit.purge_counters() == 1
    assert list(RateCounter.objects.filter(scope_key__startswith="purge:")) == [
        RateCounter.objects.get(scope_key=ratelimit.scope_key("purge", "10.7.2.2"))
    ]
