"""Run every benchmark: `python -m bench [--runs N] [--events N]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import time
from pathlib import Path

from bench import outbox
from suxin_common.devstack import testinfra


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--runs", type=int, default=5, help="repetitions; medians are reported")
    parser.add_argument("--events", type=int, default=2000, help="events per run")
    args = parser.parse_args()

    infra = testinfra.start()
    try:
        print(f"infra: {infra.description}")
        results = [asyncio.run(outbox.run(infra, runs=args.runs, events=args.events))]
    finally:
        infra.close()

    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    path = out / f"bench-{stamp}.json"
    path.write_text(json.dumps({"machine": platform.platform(), "results": results}, indent=2))
    for r in results:
        b, s = r["baseline"], r["system"]
        print(f"\n{r['name']}: {r['what']}")
        print(f"  baseline  {b['label']:<40} median {b['median_per_s']:>9.0f} /s")
        print(f"  system    {s['label']:<40} median {s['median_per_s']:>9.0f} /s")
        print(f"  ratio system/baseline: {r['ratio']:.2f}")
        print(f"  ({args.runs} runs of {args.events} events)")
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
