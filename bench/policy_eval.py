"""policy_eval: hires evaluated per second against every subsidy rule.

* pure — ``bench.perf.training_vouchers.measure_evaluation``: facts built from a hire, every
  hire rule of the policy in force evaluated, one rule chosen per family. Baseline in the same
  run: building the facts alone for the same hires (the least any evaluation must do), so the
  ratio is what the rules cost on top.
* through the consumer — ``bench.perf.training_vouchers.measure_consumer``: HireRecorded on
  JetStream, the service's subscription under the real runner, cases and outbox rows committed.
  Baseline in the same run: the same runner on the same number of events with a handler that
  inserts one row (a minimal consumer), so the ratio is what the engine and the case bookkeeping
  cost.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid

from sqlalchemy import text

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_devkit.testing import (
    eventually,
    headers_for,
    hire_event,
    message_subscription,
    platform_database,
    running_consumers,
    scalar,
    settings_for,
)

HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")


def _facts_only(hires: int, runs: int) -> list[float]:
    from bench.perf.training_vouchers import sample_hires
    from training_vouchers.domain.facts import hire_facts

    sample = sample_hires(hires)
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for hire in sample:
            hire_facts(hire)
        rates.append(hires / (time.perf_counter() - t0))
    return rates


async def _minimal_consumer(infra, events: int) -> float:
    from types import SimpleNamespace

    import nats
    from sqlalchemy.ext.asyncio import async_sessionmaker

    url, engine = await platform_database(infra, "bench_minimal_consumer")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effects (hire_id text PRIMARY KEY)"))

    async def handler(uow, event, meta):  # noqa: ANN001
        await uow.session.execute(
            text("INSERT INTO effects (hire_id) VALUES (:h)"), {"h": event.hire_id}
        )

    runtime = SimpleNamespace(
        settings=settings_for(url, infra.nats_url),
        sessions=async_sessionmaker(engine),
        source="/bench",
    )
    try:
        async with running_consumers(
            runtime, [message_subscription(HIRE, handler)], infra.nats_url
        ):
            nc = await nats.connect(infra.nats_url)
            try:
                js = nc.jetstream()
                payloads = [hire_event(i).SerializeToString() for i in range(events)]
                t0 = time.perf_counter()
                for start in range(0, events, 500):
                    await asyncio.gather(
                        *(
                            js.publish(HIRE.subject, p, headers=headers_for(str(uuid.uuid4())))
                            for p in payloads[start : start + 500]
                        )
                    )

                async def done() -> bool:
                    return await scalar(engine, "SELECT count(*) FROM effects") >= events

                await eventually(done, within=600)
                return events / (time.perf_counter() - t0)
            finally:
                await nc.close()
    finally:
        await engine.dispose()


async def run(infra, *, runs: int = 3, quick: bool = False) -> list[dict]:
    from bench.perf.training_vouchers import measure_consumer, measure_evaluation

    hires = 5_000 if quick else 20_000
    pure = measure_evaluation(hires=hires, runs=runs)
    facts = statistics.median(_facts_only(hires, runs))
    consumer_hires = 300 if quick else 1_000
    through, minimal = [], []
    for _ in range(runs):
        through.append((await measure_consumer(infra, hires=consumer_hires))["median_per_s"])
        minimal.append(await _minimal_consumer(infra, consumer_hires))
    t, m = statistics.median(through), statistics.median(minimal)
    return [
        {
            "name": "policy_eval",
            "what": pure["what"],
            "value": pure["median_per_s"],
            "unit": "hires/s",
            "runs": pure["runs_per_s"],
            "per_cpu_s": pure["median_per_cpu_s"],
            "runs_per_cpu_s": pure["runs_per_cpu_s"],
            "baseline": {"label": "building the facts alone", "value": facts, "unit": "hires/s"},
            "ratio": pure["median_per_s"] / facts,
            "target": {
                "value": 20_000,
                "unit": "hires/s",
                "met": pure["median_per_s"] >= 20_000,
            },
        },
        {
            "name": "policy_eval_consumer",
            "what": "hires/s through the HireRecorded consumer (inbox, rules, case, outbox)",
            "value": t,
            "unit": "hires/s",
            "runs": through,
            "baseline": {
                "label": "same runner, handler inserting one row",
                "value": m,
                "unit": "events/s",
                "runs": minimal,
            },
            "ratio": t / m,
            "params": {"hires": consumer_hires, "runs": runs},
        },
    ]
