"""Run by tests/core/test_key_rotation.py in its own process, against the database (and the
broker) of DATABASE_URL / REDIS_URL, with the SECRET_KEY of its environment. Prints JSON.

- `enqueue N`: queue N tasks (`math.factorial(N)`, named `key-rotation-<i>`), signed with this
  process's key.
- `status`: how many of them succeeded, how many failed, how many wait in the queue.
- `cleanup`: removes their results."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django_q.brokers import get_broker  # noqa: E402
from django_q.models import Failure, Success, Task  # noqa: E402
from django_q.tasks import async_task  # noqa: E402

NAME = "key-rotation-"


def main(command: str, *args: str) -> dict:
    if command == "enqueue":
        for index in range(int(args[0])):
            async_task("math.factorial", index, task_name=f"{NAME}{index}")
        return {"queued": get_broker().queue_size()}
    if command == "status":
        return {
            "succeeded": Success.objects.filter(name__startswith=NAME).count(),
            "failed": Failure.objects.filter(name__startswith=NAME).count(),
            "queued": get_broker().queue_size(),
        }
    if command == "cleanup":
        return {"deleted": Task.objects.filter(name__startswith=NAME).delete()[0]}
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:])))
