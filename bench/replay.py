"""replay: events/s rebuilding the employment-monitor read models from the streams
(``bench.perf.employment_monitor.measure_replay``: publishes N generated events of every kind, then
rebuilds from sequence 1).

Baseline in the same run: reading the same streams from sequence 1 with the same reader and doing
nothing with the messages (the transport's limit), so the ratio is what projecting costs.
"""

from __future__ import annotations

import time

import nats


async def _read_only(nats_url: str) -> float:
    from employment_monitor.adapters.raw_stream import read_stream

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        total, started = 0, time.perf_counter()
        for info in await js.streams_info():
            expected = info.state.messages
            if not expected or not info.config.name.startswith("SUXIN_"):
                continue

            async def ignore(chunk) -> None:  # noqa: ANN001
                return None

            total += await read_stream(js, nats_url, info.config.name, expected, ignore)
        return total / (time.perf_counter() - started)
    finally:
        await nc.close()


async def run(infra, *, quick: bool = False) -> list[dict]:
    from bench.perf.employment_monitor import measure_replay

    events = 100_000 if quick else 1_000_000
    url = await infra.create_database("bench_replay")
    from suxin_common.migrate import upgrade_async

    await upgrade_async("employment_monitor", url)
    report = await measure_replay(url, infra.nats_url, events=events)
    read = await _read_only(infra.nats_url)
    value = report["events_per_second"]
    return [
        {
            "name": "replay",
            "what": f"events/s rebuilding the monitoring read models from {events:,} events",
            "value": value,
            "unit": "events/s",
            "cpu_events_per_s": report.get("events_per_cpu_second"),
            "baseline": {
                "label": "reading the same streams, no projection",
                "value": read,
                "unit": "events/s",
            },
            "ratio": value / read if read else None,
            "target": {"value": 50_000, "unit": "events/s", "met": value >= 50_000},
            "params": {"events": events},
        }
    ]
