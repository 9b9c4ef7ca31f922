"""Throughput of per-order cover: OrdersReported chunks on JetStream -> cover committed here.

``measure(database_url, nats_url)`` is what the team's ``make bench`` calls. It migrates the
given (empty) database, registers one pilot platform, publishes ``orders`` orders in chunks of
``chunk`` (at most 2,000, as gig-market sends them) on the gig stream, runs this service's real
consumer runner and handlers, and times from the first publish until the contributions ledger
counts every order (the ledger is written in the same transaction as the cover rows, so that is
"cover committed"). In the same run it measures the baseline: raw ``COPY`` of the same number
of rows into a table of the same shape as ``order_covers``, and reports the ratio.

Run it alone: ``python -m bench.perf.injury_insurance DATABASE_URL NATS_URL [orders]``.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import nats
from google.protobuf.timestamp_pb2 import Timestamp
from nats.js.api import ConsumerConfig, DeliverPolicy

from injury_insurance.settings import Settings
from suxin.gig.v1 import events_pb2 as gig
from suxin_common.db import asyncpg_dsn, create_engine, session_factory
from suxin_common.messaging.catalog import GIG, event_type_for_subject
from suxin_common.messaging.runner import ConsumerRunner
from suxin_common.messaging.streams import ensure_stream
from suxin_common.migrate import upgrade_async

PLATFORM = "91320100711234567E"
ORDERS = event_type_for_subject("suxin.gig.orders_reported.v1")
PLATFORMS = event_type_for_subject("suxin.gig.platform_registered.v1")


def _ts(instant: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(instant)
    return stamp


def _headers(subject: str) -> dict[str, str]:
    event_id = str(uuid.uuid4())
    return {
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-type": subject,
        "ce-source": "/suxin/perf",
        "ce-subject": event_id,
        "ce-time": datetime.now(UTC).isoformat(),
        "ce-datacontenttype": "application/protobuf",
        "Nats-Msg-Id": event_id,
    }


def _chunks(orders: int, chunk: int, workers: int, run: str) -> list[bytes]:
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    payloads = []
    for first in range(0, orders, chunk):
        message = gig.OrdersReported(
            chunk_id=str(uuid.uuid4()), platform_uscc=PLATFORM, reported_at=_ts(start)
        )
        for n in range(first, min(first + chunk, orders)):
            accepted = start + timedelta(milliseconds=n)
            worker = n % workers
            o = message.orders.add(
                order_id=f"{run}-{n}",
                worker_id=f"w{worker}",
                person_key=f"pk_{worker:032x}",
                industry=gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY,
                status=gig.ORDER_STATUS_ACCEPTED,
                city_code="3201",
            )
            o.accepted_at.CopyFrom(_ts(accepted))
            if n % 2:  # half of them arrive already completed
                o.status = gig.ORDER_STATUS_COMPLETED
                o.completed_at.CopyFrom(_ts(accepted + timedelta(minutes=25)))
        payloads.append(message.SerializeToString())
    return payloads


async def _covered(conn: asyncpg.Connection) -> int:
    return await conn.fetchval(
        "SELECT coalesce(sum(orders), 0) FROM contribution_ledger WHERE platform_uscc = $1",
        PLATFORM,
    )


async def copy_baseline(database_url: str, orders: int) -> float:
    """Rows/s of a raw COPY of ``orders`` rows into a table shaped like order_covers."""
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await conn.execute("DROP TABLE IF EXISTS perf_copy_baseline")
        await conn.execute("CREATE TABLE perf_copy_baseline (LIKE order_covers INCLUDING ALL)")
        now = datetime.now(UTC)
        chunk_id = uuid.uuid4()
        records = [
            (
                PLATFORM,
                f"b-{n}",
                f"w{n % 5000}",
                f"pk_{n % 5000:032x}",
                "instant_delivery",
                "3201",
                now,
                None,
                None,
                7,
                "v",
                "2026-11",
                chunk_id,
                now,
            )
            for n in range(orders)
        ]
        started = time.perf_counter()
        await conn.copy_records_to_table("perf_copy_baseline", records=records)
        elapsed = time.perf_counter() - started
        await conn.execute("DROP TABLE perf_copy_baseline")
        return orders / elapsed
    finally:
        await conn.close()


async def measure(
    database_url: str,
    nats_url: str,
    *,
    orders: int = 100_000,
    chunk: int = 2_000,
    workers: int = 5_000,
    migrate: bool = True,
    timeout_s: float = 600.0,
) -> dict:
    """Orders/s from publishing OrdersReported to cover committed, and the COPY baseline.

    ``database_url`` is an empty database for injury-insurance (SQLAlchemy asyncpg URL); the
    gig stream on ``nats_url`` is created if missing. Old messages on it are skipped: the
    durable consumer is new and starts at the end of the stream.
    """
    if not 1 <= chunk <= 2_000:
        raise ValueError("chunks hold 1 to 2,000 orders")
    if migrate:
        await upgrade_async("injury-insurance", database_url)
    run = uuid.uuid4().hex[:8]
    settings = Settings(
        environment="test",
        service_name=f"injury-insurance-perf-{run}",
        database_url=database_url,
        nats_url=nats_url,
        consumer_batch_size=8,
        consumer_fetch_timeout_s=0.5,
        consumer_ack_wait_s=120,
    )
    payloads = _chunks(orders, chunk, workers, run)
    engine = create_engine(settings)
    nc = await nats.connect(nats_url)
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    stop = asyncio.Event()
    task = None
    try:
        js = nc.jetstream()
        await ensure_stream(js, GIG, settings)
        already = await _covered(conn)
        runner = _FromNow(
            js, session_factory(engine), settings, _subscriptions(), source="/suxin/perf"
        )
        task = asyncio.create_task(runner.run(stop))
        await _bound(js, settings.service_name)
        platform = gig.PlatformRegistered(
            platform_uscc=PLATFORM, name="perf", pilot=True, city_code="3201", version=1
        )
        await js.publish(
            PLATFORMS.subject, platform.SerializeToString(), headers=_headers(PLATFORMS.subject)
        )
        started = time.perf_counter()
        acks = [
            js.publish(ORDERS.subject, p, headers=_headers(ORDERS.subject), timeout=30)
            for p in payloads
        ]
        for ack in acks:
            await ack
        published = time.perf_counter() - started
        deadline = started + timeout_s
        while await _covered(conn) - already < orders:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"cover not committed within {timeout_s}s")
            await asyncio.sleep(0.02)
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        if task is not None:
            await asyncio.wait_for(task, 30)
        await conn.close()
        await nc.close()
        await engine.dispose()
    baseline = await copy_baseline(database_url, orders)
    system = orders / elapsed
    return {
        "name": "order_cover",
        "what": "orders/s from OrdersReported published to cover committed",
        "orders": orders,
        "chunk": chunk,
        "publish_s": published,
        "elapsed_s": elapsed,
        "system_per_s": system,
        "baseline_copy_per_s": baseline,
        "ratio": system / baseline,
    }


async def _bound(js, consumer: str, within_s: float = 30.0) -> None:
    """Wait until the runner's durable consumer exists (it delivers only what comes after)."""
    deadline = time.perf_counter() + within_s
    while True:
        try:
            await js.consumer_info(GIG.name, consumer)
            return
        except nats.js.errors.NotFoundError:
            if time.perf_counter() > deadline:
                raise
            await asyncio.sleep(0.05)


class _FromNow(ConsumerRunner):
    """The service's runner, starting at the end of the stream: a shared stream's history is
    not this run's work."""

    def consumer_config(self, stream: str) -> ConsumerConfig:
        config = super().consumer_config(stream)
        config.deliver_policy = DeliverPolicy.NEW
        return config


def _subscriptions():
    from injury_insurance.consumers import SUBSCRIPTIONS

    return [s for s in SUBSCRIPTIONS if s.event.stream == GIG]


def _hire_payloads(hires: int) -> list[bytes]:
    """Employees' hires (each starts a 工伤保险 cover), with a few gig hires (no cover)."""
    from suxin.common.v1.common_pb2 import Date
    from suxin.hiring.v1 import events_pb2 as hiring

    payloads = []
    for i in range(hires):
        gig_hire = i % 20 == 0
        payloads.append(
            hiring.HireRecorded(
                hire_id=str(uuid.uuid4()),
                version=1,
                enterprise_uscc="91320505MA1XXXXX18",
                city_code="3205",
                district_code="320505",
                industry_code="C",
                person_key=f"pk_{uuid.uuid4().hex}",
                masked_resident_id="3205**********123X",
                job_kind=hiring.JOB_KIND_GIG if gig_hire else hiring.JOB_KIND_FULL_TIME,
                contract_type=hiring.CONTRACT_TYPE_SERVICE_AGREEMENT
                if gig_hire
                else hiring.CONTRACT_TYPE_FIXED_TERM,
                start_date=Date(year=2026, month=11, day=1 + i % 28),
            ).SerializeToString()
        )
    return payloads


async def measure_hire_consumer(infra, hires: int = 1000) -> dict:
    """Hires/s through the real consumer runner: HireRecorded published to JetStream, this
    service's subscriptions run on a fresh migrated database, timed until every hire's inbox
    row (committed in the same transaction as its cover and outbox row) is there."""
    from injury_insurance.consumers import SUBSCRIPTIONS
    from suxin_devkit.benchmarks import consumer_throughput

    hire = event_type_for_subject("suxin.hiring.hire_recorded.v1")
    elapsed, covers = await consumer_throughput(
        infra,
        "injury-insurance",
        Settings,
        SUBSCRIPTIONS,
        hire.subject,
        _hire_payloads(hires),
        count_sql="SELECT count(*) FROM coverages",
    )
    return {
        "name": "injury_insurance_hire_consumer",
        "what": "hires/s through the HireRecorded consumer (inbox, cover, outbox)",
        "median_per_s": round(hires / elapsed),
        "hires": hires,
        "coverages": covers,
    }


if __name__ == "__main__":
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    print(asyncio.run(measure(sys.argv[1], sys.argv[2], orders=count)))
