"""Replay speed: publish N generated events to fresh streams, then time the rebuild.

    await measure_replay(database_url, nats_url, events=1_000_000)   # -> dict with events/s

``database_url`` is a migrated employment-monitor database (its read models are replaced);
``nats_url`` a NATS server whose Suxin streams may be deleted and recreated. The event mix is
that of the hire fan-out: each hire with its cover, subsidy case and talent flow, plus
separations, job posts, applications, platform order chunks and training events.

    python -m bench.perf.employment_monitor --events 1000000   # DATABASE_URL, NATS_URL from the env
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from datetime import UTC, datetime

import nats

from employment_monitor.replay import rebuild
from employment_monitor.settings import Settings
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training
from suxin_common.messaging.catalog import STREAMS, event_type_of
from suxin_common.messaging.streams import ensure_stream

_CITIES = [f"32{n:02d}" for n in range(1, 14)]


def generate(n: int, seed: int = 1):
    """Yield ``n`` events: (subject, payload bytes)."""
    rnd = random.Random(seed)
    made = 0
    i = 0
    while made < n:
        i += 1
        city = _CITIES[i % 13]
        hire_id = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        uscc = f"91{city}02{i % 5000:09d}X"[:18]
        start = Date(year=2026, month=1 + i % 12, day=1 + i % 28)
        batch = [
            hiring.HireRecorded(
                hire_id=hire_id, version=1, enterprise_uscc=uscc, enterprise_name="企业",
                industry_code="CIF"[i % 3], specialized_sme=i % 7 == 0, key_monitored=i % 11 == 0,
                city_code=city, district_code=city + "02", person_key=f"pk_{i:032x}",
                key_groups=[1 + i % 7] if i % 3 else [], job_kind=1 + (i % 5 == 0) * 2,
                start_date=start, skill_level=i % 6, professional_title=i % 5,
                previously_unemployed=i % 4 == 0, monthly_wage_fen=600_000,
            ),
            insurance.CoverageStarted(
                coverage_id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                hire_id=hire_id, enterprise_uscc=uscc, city_code=city, start_date=start,
                scheme=insurance.SCHEME_WORK_INJURY_INSURANCE,
            ),
            subsidy.SubsidyCaseOpened(
                case_id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)), hire_id=hire_id,
                enterprise_uscc=uscc, rule_family="hiring_absorption", amount_fen=100_000,
                review_deadline=start, city_code=city, district_code=city + "02",
            ),
            talent.TalentFlowRecorded(
                flow_id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)), hire_id=hire_id,
                from_city_code=_CITIES[(i + 3) % 13], to_city_code=city, flowed_on=start,
            ),
            hiring.ApplicationSubmitted(
                application_id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                job_post_id=hire_id, city_code=city, district_code=city + "02",
            ),
        ]  # fmt: skip
        if i % 10 == 0:
            batch.append(
                hiring.EmploymentEnded(
                    hire_id=hire_id, version=2, enterprise_uscc=uscc, city_code=city,
                    district_code=city + "02", industry_code="C", end_date=start,
                )
            )  # fmt: skip
        if i % 4 == 0:
            batch.append(
                training.TrainingCompleted(
                    voucher_id=hire_id, training_kind=1 + i % 3, passed=True, city_code=city,
                    completed_on=start,
                )
            )  # fmt: skip
        for event in batch[: n - made]:
            yield event_type_of(event).subject, event.SerializeToString()
            made += 1


async def publish(nats_url: str, events: int, *, seed: int = 1) -> float:
    """Delete and recreate the streams, publish ``events`` events; seconds taken."""
    settings = Settings(environment="test", nats_url=nats_url)
    nc = await nats.connect(nats_url)
    started = time.perf_counter()
    try:
        js = nc.jetstream()
        for spec in STREAMS:
            try:
                await js.delete_stream(spec.name)
            except nats.js.errors.NotFoundError:
                pass
            await ensure_stream(js, spec, settings)
        when = datetime.now(UTC).isoformat()
        for n, (subject, payload) in enumerate(generate(events, seed)):
            headers = {
                "ce-specversion": "1.0",
                "ce-id": f"perf-{n}",
                "ce-type": subject,
                "ce-source": "/perf",
                "ce-time": when,
                "ce-datacontenttype": "application/protobuf",
            }
            # Core publish: no PubAck round trip per message; the streams store them all, and
            # we wait below until they hold every one.
            await nc.publish(subject, payload, headers=headers)
        await nc.flush(timeout=120)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            stored = 0
            for spec in STREAMS:
                stored += (await js.stream_info(spec.name)).state.messages
            if stored >= events:
                break
            await asyncio.sleep(0.5)
        else:
            raise RuntimeError(f"the streams hold {stored} of {events} events")
    finally:
        await nc.close()
    return time.perf_counter() - started


async def measure_replay(
    database_url: str, nats_url: str, *, events: int = 1_000_000, batch_size: int = 50_000
) -> dict:
    """Publish ``events`` generated events, rebuild the read models from them, report speed."""
    publish_s = await publish(nats_url, events)
    report = await rebuild(database_url, nats_url, batch_size=batch_size)
    return {"published_s": round(publish_s, 2), **report.as_dict()}


def _hire_payloads(hires: int) -> list[bytes]:
    """The varied hires of :func:`generate` (cities, kinds, key groups, titles)."""
    payloads: list[bytes] = []
    n = 0
    while len(payloads) < hires:
        for subject, payload in generate(hires * 6, seed=2):
            if subject == "suxin.hiring.hire_recorded.v1":
                event = hiring.HireRecorded.FromString(payload)
                event.hire_id = str(uuid.uuid4())
                event.person_key = f"pk_{n:032x}"
                n += 1
                payloads.append(event.SerializeToString())
                if len(payloads) == hires:
                    break
    return payloads


async def measure_hire_consumer(infra, hires: int = 1000) -> dict:
    """Hires/s through the real consumer runner: HireRecorded published to JetStream, this
    service's subscriptions run on a fresh migrated database, timed until every hire's inbox
    row (committed in the same transaction as its read-model row) is there."""
    from employment_monitor.consumers import SUBSCRIPTIONS
    from suxin_devkit.benchmarks import consumer_throughput

    elapsed, _ = await consumer_throughput(
        infra,
        "employment-monitor",
        Settings,
        SUBSCRIPTIONS,
        "suxin.hiring.hire_recorded.v1",
        _hire_payloads(hires),
    )
    return {
        "name": "employment_monitor_hire_consumer",
        "what": "hires/s through the HireRecorded consumer (inbox, read-model rows)",
        "median_per_s": round(hires / elapsed),
        "hires": hires,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure employment-monitor replay speed.")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=50_000)
    args = parser.parse_args()
    settings = Settings()
    result = asyncio.run(
        measure_replay(
            settings.database_url, settings.nats_url, events=args.events, batch_size=args.batch
        )
    )
    print(result)


if __name__ == "__main__":
    main()
