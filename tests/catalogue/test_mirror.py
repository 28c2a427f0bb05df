"""The reference mirror (docs/feeds.md): a portal that follows the change API from nothing while
three writers change the catalogue at once, each in processes of its own (on a copy of the test
database on SQLite; on PostgreSQL, in CI, in the test database itself, where the writers really
commit concurrently, and cleaned up after), must end holding exactly the site's live catalogue,
having read every change once and in order."""

import json
import os
import subprocess
import sys

import pytest

from tests.e2e.catalogue_scenario import Writer
from tests.e2e.clusters import database_url, run
from tests.support import ROOT

SCRIPT = "catalogue_scenario.py"
WRITERS = 3
STEPS = 40

pytestmark = pytest.mark.django_db


def scenario(env, *args, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests/e2e" / SCRIPT), *args], env=env, text=True, **popen
    )


def run_answer(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path):
    """The scenario's processes on the test database (database_url: a copy on SQLite), and
    everything they made removed after."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(tmp_path),
        "PYTHONPATH": f"{ROOT / 'site'}:{ROOT}",
    }
    state = tmp_path / "state.json"
    state.write_text(json.dumps(run(env, "state", script=SCRIPT)))
    yield env
    run(env, "cleanup", str(state), script=SCRIPT)


def test_a_mirror_ends_holding_exactly_the_live_catalogue(env, tmp_path):
    run(env, "setup", str(WRITERS), script=SCRIPT)
    stop = tmp_path / "stop"
    mirror = scenario(env, "mirror", "5", str(stop), stdout=subprocess.PIPE)
    writers = [
        scenario(env, "write", str(writer), str(1000 + writer), str(STEPS), stdout=subprocess.PIPE)
        for writer in range(WRITERS)
    ]
    done: dict[str, int] = {}
    for writer in writers:
        output, _ = writer.communicate(timeout=600)
        assert writer.returncode == 0
        for action, count in run_answer(output).items():
            done[action] = done.get(action, 0) + count
    stop.touch()
    output, _ = mirror.communicate(timeout=300)
    assert mirror.returncode == 0
    seen = run_answer(output)
    truth = run(env, "truth", script=SCRIPT)

    # Every kind of change happened (the seeds are fixed: this fails only if the writers change).
    assert set(done) == set(Writer.ACTIONS), done
    # Every change read once, in commit order, none skipped while the writers committed.
    assert seen["sequences"] == truth["sequences"]
    # Each page kept one 索引号 through every edit, move, withdrawal and return; no two share one.
    assert all(len(numbers) == 1 for numbers in seen["numbers"].values())
    numbers = {page: found[0] for page, found in seen["numbers"].items()}
    assert len(set(numbers.values())) == len(numbers)
    assert numbers == truth["index_numbers"]
    # Nothing missing, nothing stale, nothing that should be gone.
    held = {
        str(item.pop("page_id")): {**item, "number": number}
        for number, item in seen["catalogue"].items()
    }
    expected = {
        page: {**item, "number": truth["index_numbers"][page]}
        for page, item in truth["catalogue"].items()
    }
    assert held == expected
    assert seen["not_modified"] > 0  # the mirror revalidated with its ETag while waiting
