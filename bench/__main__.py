"""Run the benchmarks: ``python -m bench [--only NAME ...] [--runs N] [--quick]`` (``make bench``).

Each benchmark starts what it measures (embedded PostgreSQL and NATS; services as uvicorn
processes where the path goes through them), warms up, runs several times, and reports the
median together with a baseline measured in the same run on the same machine; ``ratio`` is
value / baseline. Results go to ``bench/results/latest.json`` and ``bench/results/latest.md``
(both committed), and every run is appended to ``bench/results/history.jsonl``. The HTTP
benchmarks drive load with ``wrk`` (:mod:`bench.loadgen`; installed by scripts/ensure-wrk.sh
when missing) and report the CPU each process used (:mod:`bench.cpu`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
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
from bench.cpu import machine_load
from bench.machine import machine_facts
from bench.profile import markdown as profile_markdown
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


async def _hire_fanout(args: argparse.Namespace, replica_count: int = 1) -> list[dict]:
    if args.quick:
        return await hire_fanout.run(
            runs=args.runs,
            hires=400,
            latency_seconds=4,
            baseline_seconds=4,
            replica_count=replica_count,
        )
    return await hire_fanout.run(
        runs=args.runs, hires=800, baseline_seconds=8, replica_count=replica_count
    )


async def _hire_fanout_x2(args: argparse.Namespace) -> list[dict]:
    return await _hire_fanout(args, replica_count=2)


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
    "hire_fanout_x2": _hire_fanout_x2,
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

    machine = machine_facts()
    results: list[dict] = []
    names = args.only or list(BENCHMARKS)
    started = time.monotonic()
    for n, name in enumerate(names, 1):
        print(
            f"\n=== [{n}/{len(names)}] {name} ({time.strftime('%H:%M:%S')},"
            f" {time.monotonic() - started:.0f} s in)",
            flush=True,
        )
        t0 = time.monotonic()
        load_before = machine_load().get("loadavg_1m")
        try:
            entries = asyncio.run(BENCHMARKS[name](args))
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            entries = [{"name": name, "error": f"{type(exc).__name__}: {exc}"}]
        # The machine is shared: its 1-minute load average as this benchmark started and ended.
        load = {"start": load_before, "end": machine_load().get("loadavg_1m")}
        for entry in entries:
            entry["cpus"] = machine["cpus"]
            entry["seconds"] = round(time.monotonic() - t0, 1)
            entry["loadavg_1m"] = {k: round(v, 1) for k, v in load.items() if v is not None}
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
        "only": args.only,
        "results": results,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False)
    (RESULTS / "latest.json").write_text(text)
    with (RESULTS / "history.jsonl").open("a") as history:  # every run, one line each
        history.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
    (RESULTS / "latest.md").write_text(markdown(results, machine=machine) + "\n")
    profiles = [
        profile_markdown(summary, f"{r['name']}: {process}")
        for r in results
        for process, summary in r.get("profiles", {}).items()
    ]
    if profiles:
        (RESULTS / "profiles.md").write_text(
            "# py-spy profiles of the last run (bench/profile.py)\n\n" + "\n".join(profiles)
        )
    print(
        f"\nwritten to {RESULTS / 'latest.json'} and {RESULTS / 'latest.md'};"
        f" appended to {RESULTS / 'history.jsonl'}"
    )
    if any("error" in r for r in results):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
