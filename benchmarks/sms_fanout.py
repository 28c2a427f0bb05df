#!/usr/bin/env python
"""One major outage texted to 100,000 verified subscribers through the Aliyun backend, against
the local stand-in of Aliyun's API: wall time, provider calls, peak memory, and the throughput
ratio against sending one number per call (measured on a sample in the same run).

    .venv/bin/python benchmarks/sms_fanout.py [--subscribers 100000] [--baseline 2000]

Runs in a throwaway SQLite database, with the stand-in in a process of its own (what it keeps
of 100,000 messages would otherwise count as the dispatcher's memory). Memory is Python's
peak allocation (tracemalloc) during the dispatch, measured at two sizes to show it does not
grow with the number of subscribers."""

import argparse
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY_ID, SECRET = "bench-key", "bench-secret"


def setup_django(var_dir: str) -> None:
    sys.path[:0] = [str(ROOT / "site"), str(ROOT)]
    os.environ.update(VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings.dev")
    import django

    django.setup()
    import logging

    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every SQL statement in memory

    logging.disable(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


def make_audience(count: int, prefix: str):
    """`count` active subscribers of one community following every utility, and a major notice
    for it."""
    from django.utils import timezone

    from alerts.models import OutboundMessage, Subscriber, SubscriberUtility
    from contacts.models import Community
    from notices.enums import Utility
    from tests.factories.notices import make_notice

    community = Community.objects.create(
        code=f"BENCH-{prefix}", name=f"压力测试小区{prefix}", district="绿园区", station_id=1
    )
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                phone=f"1{prefix}{index:08d}",
                status="active",
                consent_at=now,
                consent_source="web",
                verified_at=now,
            )
            for index in range(count)
        ],
        batch_size=5000,
    )
    through = Subscriber.communities.through
    ids = Subscriber.objects.filter(phone__startswith=f"1{prefix}").values_list("pk", flat=True)
    through.objects.bulk_create(
        (through(subscriber_id=pk, community_id=community.pk) for pk in ids.iterator()),
        batch_size=5000,
    )
    SubscriberUtility.objects.bulk_create(
        (
            SubscriberUtility(subscriber_id=pk, utility=utility)
            for pk in ids.iterator()
            for utility in Utility
        ),
        batch_size=5000,
    )
    notice = make_notice(
        communities=[community], slug=f"bench-{prefix}", kind="emergency", ends_at=None
    )
    message, _ = OutboundMessage.objects.get_or_create(
        notice=notice,
        event_key="bench",
        defaults={
            "event": "published",
            "text": "【春城热力】压力测试",
            "template_code": "SMS_OUTAGE",
            "params": {"utility": "停水"},
            "not_before": now,
        },
    )
    return message


def dispatch(message, endpoint: str, max_batch: int) -> dict:
    from alerts import dispatch as engine
    from alerts.models import Delivery
    from sms.backends.aliyun import AliyunBackend

    backend = AliyunBackend(
        access_key_id=KEY_ID,
        access_key_secret=SECRET,
        sign_name="春城热力",
        endpoint=endpoint,
        max_batch=max_batch,
    )
    tracemalloc.start()
    started = time.perf_counter()
    report = engine.send_message(message.pk, backend=backend)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # Every provider call carries its own out_id.
    calls = Delivery.objects.filter(message=message).values("out_id").distinct().count()
    return {
        "sent": report["sent"],
        "handovers": report["handovers"],
        "duplicates": report["duplicates"] + report["possible_duplicates"],
        "seconds": elapsed,
        "calls": calls,
        "peak_mb": peak / 2**20,
    }


def start_standin() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "standins/aliyun_sms.py"),
            "--port",
            "0",
            "--key-id",
            KEY_ID,
            "--secret",
            SECRET,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, process.stdout.readline().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sms-") as var_dir:
        setup_django(var_dir)
        standin, endpoint = start_standin()
        rows = []
        try:
            for label, count, batch, prefix in (
                ("one number per call (baseline)", args.baseline, 1, "35"),
                (
                    f"batches of 1,000, {args.subscribers // 5:,} subscribers",
                    args.subscribers // 5,
                    1000,
                    "36",
                ),
                (
                    f"batches of 1,000, {args.subscribers:,} subscribers",
                    args.subscribers,
                    1000,
                    "37",
                ),
            ):
                message = make_audience(count, prefix)
                result = dispatch(message, endpoint, batch)
                # The report's own count: each number handed over once, none twice.
                assert result["sent"] == result["handovers"] == count, result
                assert result["duplicates"] == 0, result
                rows.append((label, count, result))
        finally:
            standin.send_signal(signal.SIGINT)
            provider = standin.communicate(timeout=30)[0].strip()
        print(
            f"\n{'run':42} {'numbers':>8} {'wall s':>7} {'calls':>6} {'numbers/s':>10} {'peak MB':>8}"
        )
        for label, count, r in rows:
            print(
                f"{label:42} {count:8d} {r['seconds']:7.1f} {r['calls']:6d} {count / r['seconds']:10.0f} {r['peak_mb']:8.1f}"
            )
        baseline_rate = rows[0][1] / rows[0][2]["seconds"]
        batched_rate = rows[2][1] / rows[2][2]["seconds"]
        print(f"\nthroughput ratio, batched / one per call: {batched_rate / baseline_rate:.0f}x")
        print(
            f"projected one-per-call time for {args.subscribers:,}: {args.subscribers / baseline_rate:.0f} s"
        )
        print(f"stand-in, as it counted: {provider}")


if __name__ == "__main__":
    main()
