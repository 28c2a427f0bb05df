"""The processes the suite starts (clusters, scenario scripts, servers) run on the suite's clock
(tests/clock.py) from their first instant, however late they first read it.

time-machine's clock ticks from its first reading, not from `start()`: a process that loaded
the settings and read the clock a second later lagged the others by that second, so a cluster
saw an SMS message created by the scenario script as due in the future, skipped every queued
copy of its task, and the two-clusters fault test waited minutes for the minute schedule."""

import os
import subprocess
import sys
import time

from tests.clock import python_at_suite_time
from tests.support import ROOT

LATE = 1.0  # seconds between loading the clock and first reading it

SETTINGS_THEN_LATE_READING = (
    "import time; from django.conf import settings; settings.SECRET_KEY; "
    f"time.sleep({LATE}); print(repr(time.time()))"
)
SCRIPT_THEN_LATE_READING = f"import time; time.sleep({LATE}); print(repr(time.time()))"


def clock_of(command: list[str], env: dict) -> tuple[float, float, float]:
    """(the suite's clock before, the process's clock when it read it late, the suite's clock
    after)."""
    before = time.time()
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    after = time.time()
    return before, float(output.stdout.strip().splitlines()[-1]), after


def test_a_process_loading_the_test_settings_keeps_the_suites_time():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }
    before, read, after = clock_of([sys.executable, "-c", SETTINGS_THEN_LATE_READING], env)
    assert before + LATE <= read <= after


def test_a_script_run_at_suite_time_keeps_the_suites_time(tmp_path):
    script = tmp_path / "late.py"
    script.write_text(SCRIPT_THEN_LATE_READING)
    before, read, after = clock_of(python_at_suite_time(script), dict(os.environ))
    assert before + LATE <= read <= after
