"""The suite's clock: the instant the tests run at is an input of the suite, not the wall clock.

    pytest --clock=2026-12-04T23:30          (China time unless the value carries an offset)
    TEST_CLOCK=2026-11-30T23:59 pytest ...   (the same, from the environment)

Without either, the suite runs at the wall clock's current second. Either way the whole session
travels (time-machine) to that instant at its start and time flows on from there, so demo
notices, quiet hours, "tomorrow" and deadlines are all computed from it; the instant is printed in
the header and again under failures, so a failure is reproduced by passing it back.

Processes the suite starts (django-q2 clusters, the browser tests' server) read the same clock:
`TEST_CLOCK_OFFSET`, the seconds between the suite's clock and the real one, is put in the
environment and applied by `config.settings.test` when they load it.

CI runs the tests marked `clock` (those whose outcome could depend on the instant) at the
instants in `CI_INSTANTS`. A test that needs a particular instant sets it with the `clock`
fixture (tests/conftest.py) instead of relying on the session's.
"""

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

CHINA = ZoneInfo("Asia/Shanghai")
OFFSET_VARIABLE = "TEST_CLOCK_OFFSET"
_instant_key = pytest.StashKey[datetime]()
_traveller_key = pytest.StashKey[time_machine.travel]()

# The instants .ci/run runs the `clock` tests at (China time), and why each.
CI_INSTANTS = {
    "2026-12-04T23:30": "late evening: quiet hours, and tomorrow is a few minutes away",
    "2026-12-05T03:00": "night: the UTC date is the day before China's",
    "2026-12-05T07:00": "the first minute after quiet hours",
    "2026-11-30T23:50": "a month's last minutes: tomorrow is another month",
    "2026-10-20T08:00": "the heating season's first day",
    "2027-04-05T21:00": "the heating season's last day, an hour before quiet hours",
}


def parse_instant(value: str) -> datetime:
    """An ISO 8601 date-time; without an offset it is China time."""
    try:
        instant = datetime.fromisoformat(value.strip())
    except ValueError as error:
        raise ValueError(
            f"--clock / TEST_CLOCK 不是 ISO 8601 时间（如 2026-12-04T23:30）：{value!r}"
        ) from error
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=CHINA)
    return instant


def china_time(instant: datetime) -> str:
    return instant.astimezone(CHINA).isoformat(timespec="seconds")


_RUN_AT_SUITE_TIME = (
    "import os, runpy, sys, time, time_machine; "
    f"time_machine.travel(time.time() + float(os.environ['{OFFSET_VARIABLE}']), tick=True).start(); time.time(); "
    "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def python_at_suite_time(script, *args) -> list[str]:
    """The command running a Python script that loads no Django settings (a stand-in) on the
    suite's clock, as `config.settings.test` puts the processes that load it."""
    return [sys.executable, "-c", _RUN_AT_SUITE_TIME, str(script), *map(str, args)]


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=os.environ.get("TEST_CLOCK") or None,
        metavar="INSTANT",
        help="run the suite at this instant (ISO 8601, China time unless an offset is given); "
        "default: now. Also TEST_CLOCK.",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "clock: the outcome could depend on the instant the suite runs at; CI runs these at "
        "several instants (tests/clock.py)",
    )
    value = config.getoption("--clock")
    instant = parse_instant(value) if value else datetime.now(UTC).replace(microsecond=0)
    # Travel in UTC: a ZoneInfo destination would make time-machine change the process's TZ.
    traveller = time_machine.travel(instant.astimezone(UTC), tick=True)
    os.environ[OFFSET_VARIABLE] = repr(instant.timestamp() - time.time())
    traveller.start()
    time.time()  # time-machine ticks from the first reading (config.settings.test says why)
    config.stash[_instant_key] = instant
    config.stash[_traveller_key] = traveller


def pytest_unconfigure(config):
    traveller = config.stash.get(_traveller_key, None)
    if traveller is not None:
        traveller.stop()
        os.environ.pop(OFFSET_VARIABLE, None)


def _reproduce(config) -> str:
    instant = china_time(config.stash[_instant_key])
    return f"clock: {instant} (China time) — reproduce with --clock={instant}"


def pytest_report_header(config):
    return _reproduce(config)


def pytest_terminal_summary(terminalreporter, config):
    if terminalreporter.stats.get("failed") or terminalreporter.stats.get("error"):
        terminalreporter.write_line(_reproduce(config), yellow=True)


class Clock:
    """A test's own clock (the `clock` fixture): `clock("2026-12-04T10:00")` moves it to an
    instant (China time unless an offset is given; a datetime is taken as it is) and
    `clock.shift(61)` moves it on by seconds (or a timedelta), as a minute passing would. Time
    flows on from there; the session's clock is back after the test."""

    def __init__(self, machine):
        self._machine = machine
        self._moved = False

    def __call__(self, instant, *, tick: bool = True) -> datetime:
        if isinstance(instant, str):
            instant = parse_instant(instant)
        self._machine.move_to(instant.astimezone(UTC), tick=tick)
        self._moved = True
        return instant

    def shift(self, delta: float | timedelta) -> None:
        if not self._moved:  # time-machine shifts only a clock it has moved
            self(datetime.now(UTC))
        self._machine.shift(delta)


@pytest.fixture
def clock(time_machine) -> Clock:
    return Clock(time_machine)
