#!/usr/bin/env python
"""One major outage sent as 公众号 template messages to 5,000 followers of its community,
against the local stand-in of WeChat's API answering each call after 50 ms: wall time, calls a
second, followers reached (as the stand-in counted them), peak memory, the throughput ratio
against one call at a time (measured on a sample in the same run), and pacing holding.

    .venv/bin/python benchmarks/wechat_fanout.py [--followers 5000] [--concurrency 8]
        [--sample 300] [--paced 60] [--rate 20] [--latency 0.05]

WeChat's template API takes one follower a call, so the channel keeps WECHAT_SEND_CONCURRENCY
calls in flight, paced to WECHAT_SEND_RATE a second. Three runs through the real path (the
notice published, the channel's message queued by the publish signal, then
`alerts.dispatch.send_message`), each to a fresh community's followers:

- `--sample` followers, one call at a time (concurrency 1, no pacing): the baseline;
- `--followers` followers, `--concurrency` calls in flight, no pacing: what the pool gives;
- `--paced` followers, `--concurrency` in flight, paced to `--rate`: calls/s must not exceed it.

Throwaway SQLite database; the stand-in runs in a process of its own (what it keeps of the
messages would otherwise count as the dispatcher's memory, and its threads would share the
dispatcher's interpreter). Memory is Python's peak allocation (tracemalloc, every thread)
during the dispatch. Exits non-zero when a follower got no message or more than one, or when
the paced run went faster than its rate."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP_ID, SECRET, TOKEN, TEMPLATE = "wx-bench-app", "bench-secret", "bench-token", "bench-outage"


def serve_standin(latency: float) -> None:
    """The stand-in's process: prints its API base, then answers every line read on stdin with
    what it was asked since the previous line (template calls, messages accepted per openid,
    seconds from the first acceptance to the last) and forgets it; stops when stdin closes."""
    from standins.wechat_api import WeChatApiStandin

    with WeChatApiStandin(APP_ID, SECRET, latency=latency, template_ids={TEMPLATE}) as standin:
        print(standin.api_base, flush=True)
        for _line in sys.stdin:
            calls, sent = standin.calls["template"], standin.sent
            standin.reset()
            received = {openid: len(records) for openid, records in sent.items()}
            times = [record.sent_at for records in sent.values() for record in records]
            span = max(times) - min(times) if times else 0
            print(json.dumps({"calls": calls, "received": received, "span": span}), flush=True)


class Standin:
    """The stand-in in a child process (this script with --serve-standin)."""

    def __init__(self, latency: float):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve-standin", "--latency", str(latency)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.api_base = self.process.stdout.readline().strip()

    def take_counts(self) -> dict:
        """{"calls": template calls, "received": {openid: messages}, "span": seconds from the
        first acceptance to the last} since the last time."""
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def make_audience(count: int, prefix: str):
    """A community with `count` followers bound to it, and a major notice for it published:
    the publish signal queues the notice's message on every enabled channel; the 公众号 one."""
    from alerts.enums import FollowerSource
    from alerts.models import FollowerBinding, OutboundMessage, WeChatFollower
    from contacts.models import Community
    from tests.factories.notices import make_notice

    community = Community.objects.create(
        code=f"BENCH-WX-{prefix}", name=f"公众号压测小区{prefix}", district="绿园区", station_id=1
    )
    WeChatFollower.objects.bulk_create(
        [WeChatFollower(openid=openid(prefix, index)) for index in range(count)],
        batch_size=5000,
    )
    ids = WeChatFollower.objects.filter(openid__startswith=openid_prefix(prefix)).values_list(
        "pk", flat=True
    )
    FollowerBinding.objects.bulk_create(
        (
            FollowerBinding(follower_id=pk, community=community, source=FollowerSource.QR)
            for pk in ids.iterator()
        ),
        batch_size=5000,
    )
    notice = make_notice(
        communities=[community], slug=f"bench-wechat-{prefix}", kind="emergency", utility="heat"
    )
    return OutboundMessage.objects.get(notice=notice, channel="wechat")


def openid_prefix(prefix: str) -> str:
    return f"oBenchWx{prefix}-"


def openid(prefix: str, index: int) -> str:
    """28 characters, as WeChat's openids have."""
    return f"{openid_prefix(prefix)}{index:018d}"


def run(standin: Standin, count: int, concurrency: int, rate: float, prefix: str, traced: bool):
    """Send the outage to `count` new followers; memory is traced only when `traced` (tracing
    every allocation of every thread slows the pool's calls by a third on this machine)."""
    from django.test import override_settings

    from alerts import dispatch

    message = make_audience(count, prefix)
    with override_settings(WECHAT_SEND_CONCURRENCY=concurrency, WECHAT_SEND_RATE=rate):
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        report = dispatch.send_message(message.pk)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else None
        tracemalloc.stop()
    counts = standin.take_counts()
    received = counts["received"]
    expected = {openid(prefix, index) for index in range(count)}
    return {
        "count": count,
        "concurrency": concurrency,
        "rate": rate,
        "seconds": seconds,
        "calls": counts["calls"],
        "calls_per_s": counts["calls"] / seconds,
        # The rate calls reached WeChat, first to last: what pacing bounds, whatever the latency
        # (calls/s over the wall time also counts the last call's answer).
        "span": counts["span"],
        "arrival_rate": (counts["calls"] - 1) / counts["span"] if counts["span"] else 0,
        "reached": sum(1 for o in expected if received.get(o) == 1),
        "missed": sum(1 for o in expected if o not in received),
        "twice": sum(1 for o in expected if received.get(o, 0) >= 2),
        "strangers": len(received.keys() - expected),
        "report": report,
        "peak_mb": None if peak is None else peak / 2**20,
    }


def problems_of(label: str, result: dict) -> list[str]:
    """What went wrong in a run: every follower must have exactly one message, by the
    stand-in's count and by the ledger's."""
    found = []
    if result["missed"] or result["twice"] or result["strangers"]:
        found.append(
            f"{label}: {result['missed']} followers got nothing, {result['twice']} got 2+,"
            f" {result['strangers']} messages to openids not in the audience"
        )
    report = result["report"]
    if report["sent"] != result["count"] or report["duplicates"] or report["possible_duplicates"]:
        found.append(f"{label}: the ledger's report disagrees: {report}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=5_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sample", type=int, default=300, help="followers of the baseline")
    parser.add_argument(
        "--traced", type=int, help="followers of the memory run (default: followers / 5)"
    )
    parser.add_argument("--paced", type=int, default=60, help="followers of the paced run")
    parser.add_argument("--rate", type=float, default=20, help="calls/s of the paced run")
    parser.add_argument("--latency", type=float, default=0.05, help="stand-in's s per call")
    parser.add_argument("--serve-standin", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_standin:
        serve_standin(args.latency)
        return
    traced = args.traced or args.followers // 5
    for name in ("DATABASE_URL", "REDIS_URL"):  # a throwaway SQLite database, its file cache
        os.environ.pop(name, None)
    from benchmarks.sms_fanout import setup_django

    plan = {  # name: (followers, concurrency, rate, memory traced)
        "baseline": (args.sample, 1, 0, False),
        "pool": (args.followers, args.concurrency, 0, False),
        "memory": (traced, args.concurrency, 0, True),
        "paced": (args.paced, args.concurrency, args.rate, True),
    }
    with tempfile.TemporaryDirectory(prefix="bench-wechat-") as var_dir:
        setup_django(var_dir)
        from django.test import override_settings

        from wechat.client import WeChatClient

        standin = Standin(args.latency)
        results = {}
        try:
            with override_settings(
                WECHAT_APP_ID=APP_ID,
                WECHAT_APP_SECRET=SECRET,
                WECHAT_TOKEN=TOKEN,
                WECHAT_API_BASE=standin.api_base,
                WECHAT_TEMPLATE_ID=TEMPLATE,
            ):
                WeChatClient.from_settings().access_token()  # fetched once, outside the timings
                for prefix, (name, (count, concurrency, rate, trace)) in enumerate(plan.items()):
                    results[name] = run(standin, count, concurrency, rate, str(prefix), trace)
        finally:
            standin.close()
    report(results, args)


def report(results: dict, args) -> None:
    """The table and the ratio; exits non-zero on any follower not reached exactly once or a
    paced run above its rate."""
    print(
        f"\n{'run':16} {'followers':>9} {'in flight':>9} {'rate/s':>6} {'wall s':>7}"
        f" {'calls':>6} {'calls/s':>8} {'reached once':>12} {'peak MB':>8}"
    )
    for name, r in results.items():
        peak = "-" if r["peak_mb"] is None else f"{r['peak_mb']:.1f}"
        rate = f"{r['rate']:g}" if r["rate"] else "-"
        print(
            f"{name:16} {r['count']:9,d} {r['concurrency']:9d} {rate:>6}"
            f" {r['seconds']:7.1f} {r['calls']:6,d} {r['calls_per_s']:8.1f}"
            f" {r['reached']:12,d} {peak:>8}"
        )
    baseline, pool, paced = results["baseline"], results["pool"], results["paced"]
    print(
        f"\nthroughput, {args.concurrency} in flight / one at a time:"
        f" {pool['calls_per_s'] / baseline['calls_per_s']:.1f}x"
    )
    print(
        f"one at a time, {args.followers:,} followers would take"
        f" {args.followers / baseline['calls_per_s']:.0f} s; {args.concurrency} in flight took"
        f" {pool['seconds']:.0f} s"
    )
    print(
        f"paced to {args.rate:g}/s: {paced['calls_per_s']:.1f} calls/s over the run; calls reached"
        f" the stand-in at {paced['arrival_rate']:.2f}/s from the first to the last"
    )
    problems = [problem for name, r in results.items() for problem in problems_of(name, r)]
    # Paced, the last call starts at least (calls - 1) / rate after the first. It may reach the
    # stand-in a little sooner than that after the first arrival: the first call of each pool
    # thread also opens the thread's connection (about 10 ms here), hence the 20 ms allowed.
    if paced["calls_per_s"] > args.rate or paced["span"] < (paced["calls"] - 1) / args.rate - 0.02:
        problems.append(f"paced: faster than {args.rate:g}/s")
    if problems:
        sys.exit("FAILED:\n" + "\n".join(problems))
    print("every follower reached exactly once, by the stand-in's count and by the ledger's")


if __name__ == "__main__":
    main()
