"""Throughput of bulk order ingestion, for the team's benchmarks (``make bench``).

``await measure(database_url)`` migrates the database, registers a platform and its workers,
then, per run, posts fresh orders through the real HTTP API (in process, over ASGI) in
batches: first every order ``accepted`` (inserts), then every order ``completed`` (status
changes). It times each phase from the first request until the last response, events written
to the outbox included. The baseline, in the same run on the same database, is a raw asyncpg
COPY of rows of the same shape into a table like ``orders`` (same columns and primary key).

Without ``nats_url`` no NATS is needed. With it, the outbox relay runs alongside and a third
figure times the accepted phase until every OrdersReported chunk is acknowledged by JetStream
(``SUXIN_GIG``): the gig-market half of the end-to-end path to injury-insurance's cover.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import nats
import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from gig_market import handlers
from gig_market.app import create_app
from gig_market.domain import commands
from gig_market.domain.model import Industry
from gig_market.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.db import asyncpg_dsn, session_factory
from suxin_common.messaging.catalog import GIG
from suxin_common.messaging.relay import OutboxRelay
from suxin_common.messaging.streams import ensure_stream
from suxin_common.migrate import to_async_url, upgrade_async
from suxin_common.privacy import PersonalData
from suxin_common.service import Runtime, install_runtime
from suxin_devkit.testing import make_resident_id, make_uscc

_T0 = datetime(2026, 11, 1, tzinfo=UTC)


async def measure(
    database_url: str,
    *,
    orders: int = 20_000,
    batch_size: int = 5_000,
    workers: int = 1_000,
    runs: int = 3,
    concurrency: int = 2,
    nats_url: str | None = None,
) -> dict:
    """Orders per second through the API (accepted, then completed) and the raw COPY rate."""
    url = to_async_url(database_url)
    await upgrade_async("gig_market", url)
    settings = Settings(
        environment="test",
        database_url=url,
        run_background_workers=False,
        **({"nats_url": nats_url, "outbox_poll_interval_s": 0.05} if nats_url else {}),
    )
    engine = create_async_engine(url, pool_size=concurrency + 2)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        personal_data=PersonalData.from_settings(settings),
        source="/suxin/gig-market-perf",
    )
    relay = await _start_relay(runtime) if nats_url else None
    try:
        client_id = f"perf-{uuid.uuid4().hex[:12]}"
        uscc = await _platform_with_workers(runtime, client_id, workers)
        token = mint_dev_token(
            settings, "perf", ["platform"], platform_id=client_id, scopes=["orders:write"]
        )
        app = create_app(settings)
        install_runtime(app, runtime)  # as the lifespan would
        accepted, completed, copy, streamed = [], [], [], []
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://gig-market",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            timeout=120,
        ) as api:
            for _ in range(runs):
                rows = _orders(orders, workers)
                url_reports = f"/v1/platforms/{uscc}/order-reports"
                started = time.perf_counter()
                accepted.append(await _post_all(api, url_reports, rows, batch_size, concurrency))
                if relay is not None:
                    await _all_published(engine)
                    streamed.append(orders / (time.perf_counter() - started))
                done = [_complete(r) for r in rows]
                completed.append(await _post_all(api, url_reports, done, batch_size, concurrency))
                copy.append(await _raw_copy(url, uscc, done))
    finally:
        if relay is not None:
            await _stop_relay(*relay)
        await engine.dispose()
    a, c, b = (statistics.median(x) for x in (accepted, completed, copy))
    result = {
        "name": "gig_order_ingest",
        "what": "orders/s through POST /order-reports to commit (with outbox events)",
        "orders_per_run": orders,
        "batch_size": batch_size,
        "concurrency": concurrency,
        "api_accepted_per_s": accepted,
        "api_completed_per_s": completed,
        "copy_rows_per_s": copy,
        "median_api_accepted_per_s": a,
        "median_api_completed_per_s": c,
        "median_copy_rows_per_s": b,
        "ratio_accepted_to_copy": a / b,
        "ratio_completed_to_copy": c / b,
    }
    if streamed:
        result["api_accepted_to_stream_per_s"] = streamed
        result["median_api_accepted_to_stream_per_s"] = statistics.median(streamed)
    return result


async def _start_relay(runtime: Runtime):
    runtime.nc = await nats.connect(runtime.settings.nats_url)
    runtime.js = runtime.nc.jetstream()
    await ensure_stream(runtime.js, GIG, runtime.settings)
    relay = OutboxRelay(runtime.engine, runtime.js, runtime.settings)
    stop = asyncio.Event()
    return runtime, stop, asyncio.create_task(relay.run(stop))


async def _stop_relay(runtime: Runtime, stop: asyncio.Event, task: asyncio.Task) -> None:
    stop.set()
    await asyncio.wait_for(task, 15)
    if runtime.nc is not None:
        await runtime.nc.close()


async def _all_published(engine, within_s: float = 120.0) -> None:
    deadline = time.perf_counter() + within_s
    while time.perf_counter() < deadline:
        async with engine.connect() as conn:
            pending = await conn.scalar(
                text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
            )
        if pending == 0:
            return
        await asyncio.sleep(0.01)
    raise RuntimeError("the outbox relay did not publish every chunk in time")


async def _platform_with_workers(runtime: Runtime, client_id: str, workers: int) -> str:
    uscc = make_uscc(900_000 + int(uuid.uuid4().int % 90_000))
    await handlers.register_platform(
        runtime.uow(),
        commands.RegisterPlatform(
            uscc=uscc,
            name="性能测试平台",
            client_id=client_id,
            pilot=True,
            industries=frozenset(Industry),
            city_code="3201",
        ),
    )
    for n in range(workers):
        await handlers.register_worker(
            runtime.uow(),
            commands.RegisterGigWorker(
                platform_uscc=uscc,
                worker_id=f"w{n}",
                resident_id=make_resident_id(n, born=f"{1970 + n // 1000 % 30}0101"),
                name="骑手",
                city_code="3201",
            ),
            runtime.personal_data,
            actor="gig-market-perf",
        )
    return uscc


def _orders(n: int, workers: int) -> list[dict]:
    run = uuid.uuid4().hex[:8]
    return [
        {
            "order_id": f"{run}-{i}",
            "worker_id": f"w{i % workers}",
            "industry": "instant_delivery",
            "status": "accepted",
            "accepted_at": (_T0 + timedelta(seconds=i)).isoformat(),
        }
        for i in range(n)
    ]


def _complete(row: dict) -> dict:
    ended = datetime.fromisoformat(row["accepted_at"]) + timedelta(minutes=25)
    return row | {"status": "completed", "completed_at": ended.isoformat()}


async def _post_all(
    api: httpx.AsyncClient, url: str, rows: list[dict], batch_size: int, concurrency: int
) -> float:
    bodies = [
        orjson.dumps({"orders": rows[i : i + batch_size]}) for i in range(0, len(rows), batch_size)
    ]
    queue = list(reversed(bodies))

    async def worker() -> None:
        while queue:
            r = await api.post(url, content=queue.pop())
            result = r.json()
            if r.status_code != 200 or result["rejected"]:
                raise RuntimeError(f"order report refused: {r.status_code} {r.text[:500]}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(rows) / (time.perf_counter() - started)


async def _raw_copy(database_url: str, uscc: str, rows: list[dict]) -> float:
    """Rows of the same shape COPY-ed into a table like ``orders`` (columns and primary key)."""
    records = [
        (
            uscc,
            r["order_id"],
            r["worker_id"],
            "pk_" + "0" * 32,
            r["industry"],
            r["status"],
            datetime.fromisoformat(r["accepted_at"]),
            datetime.fromisoformat(r["completed_at"]),
            None,
            "3201",
        )
        for r in rows
    ]
    columns = [
        "platform_uscc",
        "order_id",
        "worker_id",
        "person_key",
        "industry",
        "status",
        "accepted_at",
        "completed_at",
        "cancelled_at",
        "city_code",
    ]
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS perf_orders_copy (LIKE orders INCLUDING ALL)"
        )
        await conn.execute("TRUNCATE perf_orders_copy")
        started = time.perf_counter()
        await conn.copy_records_to_table("perf_orders_copy", records=records, columns=columns)
        elapsed = time.perf_counter() - started
        await conn.execute("DROP TABLE perf_orders_copy")
    finally:
        await conn.close()
    return len(rows) / elapsed
