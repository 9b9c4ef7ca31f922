"""gig_orders: platform orders through bulk reporting to committed insurance cover.

System: gig-market and injury-insurance as separate uvicorn processes on embedded PostgreSQL and
NATS. A pilot platform and its workers are registered through the API; then, per run, N fresh
``accepted`` orders are posted to ``POST /v1/platforms/{uscc}/order-reports`` in batches of
``batch`` rows (``concurrency`` requests at a time). Orders/s is timed from the first request until
injury-insurance has committed cover for every one of them (its ``order_covers`` rows).

Baselines in the same run: a raw asyncpg COPY of rows of the same shape into a table with the
same primary key (the physical limit of writing those rows once), and a raw JetStream publish of
N messages of one order's size with 1,000 publishes in flight (the bus's limit).
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

from bench.cpu import CpuMeter
from bench.stack import bench_stack, headers
from suxin_common.db import asyncpg_dsn
from suxin_devkit.testing import make_resident_id, make_uscc

T0 = datetime(2026, 11, 2, tzinfo=UTC)
PLATFORM = make_uscc(88_001)


async def _setup(gig: httpx.AsyncClient, workers: int) -> dict[str, str]:
    staff = headers(["hrss_staff"])
    client_id = "bench-platform"
    r = await gig.post(
        "/v1/platforms",
        headers=staff,
        json={
            "uscc": PLATFORM,
            "name": "基准配送平台",
            "client_id": client_id,
            "pilot": True,
            "industries": ["instant_delivery", "ride_hailing"],
            "city_code": "3201",
        },
    )
    assert r.status_code == 201, r.text
    token = headers(
        ["platform"],
        platform_id=client_id,
        uscc=PLATFORM,
        scopes=["workers:write", "orders:write"],
    )

    async def register(n: int) -> None:
        born = f"{1975 + n // 1000 % 25}0101"
        r = await gig.post(
            f"/v1/platforms/{PLATFORM}/workers",
            headers=token,
            json={
                "worker_id": f"w{n}",
                "resident_id": make_resident_id(n, born=born),
                "name": "骑手",
                "city_code": "3201",
            },
        )
        assert r.status_code == 201, r.text

    for start in range(0, workers, 50):
        await asyncio.gather(*(register(n) for n in range(start, min(workers, start + 50))))
    return token


def _orders(n: int, workers: int) -> list[dict]:
    run = uuid.uuid4().hex[:8]
    return [
        {
            "order_id": f"{run}-{i}",
            "worker_id": f"w{i % workers}",
            "industry": "instant_delivery",
            "status": "accepted",
            "accepted_at": (T0 + timedelta(milliseconds=37 * i)).isoformat(),
        }
        for i in range(n)
    ]


async def _covered(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval("SELECT count(*) FROM order_covers")
    finally:
        await conn.close()


async def _one_run(
    gig, token, insurance_dsn: str, orders: int, workers: int, batch: int, concurrency: int
) -> tuple[float, float]:
    rows = _orders(orders, workers)
    before = await _covered(insurance_dsn)
    bodies = [orjson.dumps({"orders": rows[i : i + batch]}) for i in range(0, orders, batch)]
    queue = list(reversed(bodies))
    url = f"/v1/platforms/{PLATFORM}/order-reports"

    async def worker() -> None:
        while queue:
            body = queue.pop()
            r = await gig.post(
                url, content=body, headers={**token, "Content-Type": "application/json"}
            )
            assert r.status_code in (200, 201, 207), r.text[:500]
            assert not r.json().get("errors"), r.text[:500]

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    api_done = time.perf_counter()
    while await _covered(insurance_dsn) < before + orders:
        if time.perf_counter() - started > 600:
            raise TimeoutError("cover not committed within 600 s")
        await asyncio.sleep(0.05)
    done = time.perf_counter()
    return orders / (done - started), orders / (api_done - started)


async def _raw_copy(dsn: str, orders: int) -> float:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_orders (platform_uscc text, order_id text,"
            " worker_id text, person_key text, industry text, status text,"
            " accepted_at timestamptz, ended_at timestamptz, city_code text,"
            " PRIMARY KEY (platform_uscc, order_id))"
        )
        await conn.execute("TRUNCATE bench_orders")
        run = uuid.uuid4().hex[:8]
        records = [
            (
                PLATFORM,
                f"{run}-{i}",
                f"w{i % 1000}",
                f"pk-{i % 1000:032d}",
                "instant_delivery",
                "accepted",
                T0 + timedelta(milliseconds=37 * i),
                None,
                "3201",
            )
            for i in range(orders)
        ]
        started = time.perf_counter()
        await conn.copy_records_to_table("bench_orders", records=records)
        return orders / (time.perf_counter() - started)
    finally:
        await conn.close()


async def _raw_publish(nats_url: str, orders: int) -> float:
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        name = f"BENCH_{uuid.uuid4().hex[:6].upper()}"
        await js.add_stream(name=name, subjects=[f"bench.{name}.>"])
        payload = b"x" * 120  # about one order's share of an OrdersReported chunk
        started = time.perf_counter()
        for start in range(0, orders, 1000):
            await asyncio.gather(
                *(js.publish(f"bench.{name}.o", payload) for _ in range(min(1000, orders - start)))
            )
        rate = orders / (time.perf_counter() - started)
        await js.delete_stream(name)
        return rate
    finally:
        await nc.close()


async def run(
    *,
    runs: int = 3,
    orders: int = 100_000,
    workers: int = 1_000,
    batch: int = 5_000,
    concurrency: int = 2,
) -> list[dict]:
    async with bench_stack(("gig_market", "injury_insurance")) as stack:
        insurance_dsn = asyncpg_dsn(stack.database_urls["injury_insurance"])
        async with httpx.AsyncClient(base_url=stack.urls["gig_market"], timeout=300) as gig:
            token = await _setup(gig, workers)
            await asyncio.sleep(2)  # let injury-insurance learn the platform and its workers
            await _one_run(gig, token, insurance_dsn, batch, workers, batch, 1)  # warm-up
            results, cpu = [], []
            for _ in range(runs):
                meter = CpuMeter(
                    {
                        "gig_market": [stack.procs["gig_market"].pid],
                        "injury_insurance": [stack.procs["injury_insurance"].pid],
                        "postgres": [stack.postgres.pid if stack.postgres else None],
                        "nats": [stack.nats.pid if stack.nats else None],
                    }
                ).start()
                results.append(
                    await _one_run(gig, token, insurance_dsn, orders, workers, batch, concurrency)
                )
                meter.stop()
                cpu.append((results[-1][0], meter.report(orders, "order")))
        copy = [
            # as the owner role: the runtime role may not create or truncate the table
            await _raw_copy(asyncpg_dsn(stack.databases["gig_market"].owner_url), orders)
            for _ in range(runs)
        ]
        publish = [await _raw_publish(stack.nats_url, orders) for _ in range(runs)]
    e2e = statistics.median(r[0] for r in results)
    api = statistics.median(r[1] for r in results)
    c, p = statistics.median(copy), statistics.median(publish)
    return [
        {
            "name": "gig_orders",
            "what": "orders/s: POST order-reports -> cover committed in injury-insurance",
            "value": e2e,
            "unit": "orders/s",
            "runs": [r[0] for r in results],
            "api_accepted_per_s": api,
            "baseline": {
                "label": "raw COPY of rows of the same shape",
                "value": c,
                "unit": "rows/s",
                "runs": copy,
            },
            "ratio": e2e / c,
            "extra_baselines": [
                {
                    "label": "raw JetStream publish, 1,000 in flight",
                    "value": p,
                    "unit": "msgs/s",
                    "runs": publish,
                    "ratio": e2e / p,
                }
            ],
            "target": {"value": 20_000, "unit": "orders/s", "met": e2e >= 20_000},
            "cpu": {"orders (median run)": sorted(cpu, key=lambda c: c[0])[len(cpu) // 2][1]},
            "params": {"orders": orders, "batch": batch, "concurrency": concurrency, "runs": runs},
        }
    ]
