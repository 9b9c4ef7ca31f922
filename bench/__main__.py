"""Run the benchmarks: ``python -m bench [--only NAME ...] [--runs N] [--quick]`` (``make bench``).

Each benchmark starts what it measures (embedded PostgreSQL and NATS; services as uvicorn
processes where the path goes through them), warms up, runs several times, and reports the
median together with a baseline measured in the same run on the same machine; ``ratio`` is
value / baseline. Results go to ``bench/results/latest.json`` and ``bench/results/latest.md``
(plus a time-stamped copy of the JSON).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench import (
    data_exchange_feeds,
    gig_orders,
    hire_fanout,
    outbox,
    policy_eval,
    recommend,
    replay,
    search,
)
from bench.report import markdown
from suxin_devkit.devstack import testinfra

RESULTS = Path(__file__).parent / "results"


async def _outbox(args: argparse.Namespace) -> list[dict]:
    infra = await asyncio.to_thread(testinfra.start, testinfra.choose())
    try:
        r = await outbox.run(infra, runs=args.runs, events=2000 if args.quick else 5000)
    finally:
        await asyncio.to_thread(infra.close)
    return [
        {
            "name": r["name"],
            "what": r["what"],
            "value": r["system"]["median_per_s"],
            "unit": "events/s",
            "runs": r["system"]["runs_per_s"],
            "baseline": {
                "label": r["baseline"]["label"],
                "value": r["baseline"]["median_per_s"],
                "unit": "events/s",
                "runs": r["baseline"]["runs_per_s"],
            },
            "ratio": r["ratio"],
        }
    ]


async def _hire_fanout(args: argparse.Namespace) -> list[dict]:
    if args.quick:
        return await hire_fanout.run(
            runs=args.runs, hires=300, rate=100, moderate_rate=25, concurrency=16
        )
    return await hire_fanout.run(runs=args.runs, hires=2000, rate=200, concurrency=32)


async def _gig_orders(args: argparse.Namespace) -> list[dict]:
    if args.quick:
        return await gig_orders.run(runs=args.runs, orders=20_000, workers=300)
    return await gig_orders.run(runs=args.runs, orders=100_000, workers=1_000)


async def _policy_eval(args: argparse.Namespace) -> list[dict]:
    infra = await asyncio.to_thread(testinfra.start, testinfra.choose())
    try:
        return await policy_eval.run(infra, runs=args.runs, quick=args.quick)
    finally:
        await asyncio.to_thread(infra.close)


async def _with_infra(run, args: argparse.Namespace) -> list[dict]:  # noqa: ANN001
    infra = await asyncio.to_thread(testinfra.start, testinfra.choose())
    try:
        return await run(infra, quick=args.quick)
    finally:
        await asyncio.to_thread(infra.close)


async def _recommend(args: argparse.Namespace) -> list[dict]:
    return await _with_infra(recommend.run, args)


async def _search(args: argparse.Namespace) -> list[dict]:
    return await _with_infra(search.run, args)


async def _replay(args: argparse.Namespace) -> list[dict]:
    return await _with_infra(replay.run, args)


async def _data_exchange_feeds(args: argparse.Namespace) -> list[dict]:
    infra = await asyncio.to_thread(testinfra.start, testinfra.choose())
    try:
        return await data_exchange_feeds.run(infra, quick=args.quick, runs=args.runs)
    finally:
        await asyncio.to_thread(infra.close)


BENCHMARKS: dict[str, Callable[[argparse.Namespace], Awaitable[list[dict]]]] = {
    "outbox_relay": _outbox,
    "hire_fanout": _hire_fanout,
    "gig_orders": _gig_orders,
    "policy_eval": _policy_eval,
    "recommend": _recommend,
    "replay": _replay,
    "data_exchange_feeds": _data_exchange_feeds,
    "job_search": _search,
}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run just these")
    parser.add_argument("--runs", type=int, default=3, help="repetitions; medians are reported")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other benchmarks' entries of bench/results/latest.json (replace only "
        "those that ran now)",
    )
    args = parser.parse_args()

    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    results: list[dict] = []
    for name in args.only or list(BENCHMARKS):
        print(f"\n=== {name}", flush=True)
        t0 = time.monotonic()
        try:
            entries = asyncio.run(BENCHMARKS[name](args))
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            entries = [{"name": name, "error": f"{type(exc).__name__}: {exc}"}]
        for entry in entries:
            entry["cpus"] = machine["cpus"]
            entry["seconds"] = round(time.monotonic() - t0, 1)
        results.extend(entries)
        print(markdown(entries), flush=True)

    RESULTS.mkdir(exist_ok=True)
    if args.merge and (RESULTS / "latest.json").exists():
        ran = {r["name"] for r in results}
        ran_prefixes = tuple(args.only or BENCHMARKS)
        earlier = json.loads((RESULTS / "latest.json").read_text())["results"]
        kept = [
            r for r in earlier if r["name"] not in ran and not r["name"].startswith(ran_prefixes)
        ]
        results = kept + results
    document = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine,
        "runs": args.runs,
        "quick": args.quick,
        "results": results,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"bench-{time.strftime('%Y%m%dT%H%M%S')}.json").write_text(text)
    (RESULTS / "latest.md").write_text(markdown(results, machine=machine) + "\n")
    print(f"\nwritten to {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'}")
    if any("error" in r for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
