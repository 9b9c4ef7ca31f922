"""hire_fanout: hires through ``POST /v1/hires`` until every consumer's effect is committed.

System: job-matching and the four hire consumers (training-vouchers, injury-insurance,
talent-card, employment-monitor) as separate uvicorn processes on embedded PostgreSQL and NATS.

* throughput — N hires sent with a fixed number of concurrent clients; hires/s from the first
  request until the last consumer has recorded the last hire (its inbox row);
* latency at fixed rates — hires offered at ``rate``/s (the target's 200/s) and at
  ``moderate_rate``/s (well below what one job-matching process takes, so the figure is the
  pipeline's, not a queue's); per hire, from its scheduled send (driver clock) to the inbox row
  of the last of the four consumers (PostgreSQL ``now()`` of that transaction: its start, a few
  ms before its commit; same machine, same clock).

Baselines in the same run: a minimal FastAPI + asyncpg endpoint inserting one row (uvicorn
process, same clients, same concurrency), and raw PostgreSQL single-row INSERT transactions
from ``concurrency`` connections.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import text

from bench.stack import bench_stack, engine_for, free_port, headers
from suxin_common.db import asyncpg_dsn
from suxin_devkit.devstack._proc import spawn, stop_process
from suxin_devkit.testing import make_resident_id, make_uscc

CONSUMERS = ("training_vouchers", "injury_insurance", "talent_card", "employment_monitor")
HIRE_SUBJECT = "suxin.hiring.hire_recorded.v1"
ENTERPRISE = make_uscc(4242)


async def _setup(jm: httpx.AsyncClient, people: int, concurrency: int) -> tuple[str, list[str]]:
    staff = headers(["hrss_staff"])
    r = await jm.post(
        "/v1/enterprises",
        headers=staff,
        json={
            "uscc": ENTERPRISE,
            "name": "苏州基准测试制造有限公司",
            "city_code": "3205",
            "district_code": "320505",
            "industry_code": "C",
            "size": "large",
            "specialized_sme": True,
        },
    )
    assert r.status_code == 201, r.text
    r = await jm.post(
        "/v1/job-posts",
        headers=staff,
        json={
            "enterprise_uscc": ENTERPRISE,
            "title": "装配工",
            "occupation_code": "6-20-99-00",
            "district_code": "320505",
            "kind": "full_time",
            "headcount": people,
            "wage_min_fen": 500000,
            "wage_max_fen": 800000,
        },
    )
    assert r.status_code == 201, r.text
    post_id = r.json()["id"]
    seekers: list[str] = [""] * people
    graduated = str(date.today() - timedelta(days=200))

    async def register(i: int) -> None:
        r = await jm.post(
            "/v1/seekers",
            headers=staff,
            json={
                "resident_id": resident_id(i),
                "education": "bachelor",
                "graduation_date": graduated,
                "key_groups": ["college_graduate"],
            },
        )
        assert r.status_code == 201, r.text
        seekers[i] = r.json()["id"]

    await _in_parallel(register, range(people), concurrency)
    return post_id, seekers


def resident_id(n: int) -> str:
    """Synthetic resident IDs, 1,000 per birth day (make_resident_id varies the sequence only)."""
    born = (date(1975, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
    return make_resident_id(n, born=born)


async def _in_parallel(fn, items, concurrency: int) -> None:  # noqa: ANN001
    queue = list(items)
    queue.reverse()

    async def worker() -> None:
        while queue:
            await fn(queue.pop())

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def _hire_body(post_id: str, seeker_id: str) -> dict:
    return {
        "enterprise_uscc": ENTERPRISE,
        "seeker_id": seeker_id,
        "job_post_id": post_id,
        "start_date": str(date.today()),
        "contract_type": "fixed_term",
        "contract_months": 24,
        "monthly_wage_fen": 650000,
    }


async def _consumed(stack, hire_ids: set[str]) -> dict[str, dict[str, float]]:
    """hire id -> {consumer: epoch seconds of its inbox row} for the hires' events."""
    jm = engine_for(stack, "job_matching")
    try:
        async with jm.connect() as conn:
            rows = await conn.execute(
                text("SELECT id::text, ce_subject FROM outbox WHERE subject = :s"),
                {"s": HIRE_SUBJECT},
            )
            event_to_hire = {e: h for e, h in rows if h in hire_ids}
    finally:
        await jm.dispose()
    seen: dict[str, dict[str, float]] = {}
    for svc in CONSUMERS:
        engine = engine_for(stack, svc)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    text(
                        "SELECT event_id, extract(epoch FROM processed_at) FROM inbox"
                        " WHERE event_id = ANY(:ids)"
                    ),
                    {"ids": list(event_to_hire)},
                )
                for event_id, at in rows:
                    seen.setdefault(event_to_hire[event_id], {})[svc] = float(at)
        finally:
            await engine.dispose()
    return seen


async def _wait_all(stack, hire_ids: set[str], within: float = 600) -> dict[str, float]:
    """Wait until every consumer has every hire; hire id -> time the last consumer had it."""
    deadline = time.monotonic() + within
    while True:
        seen = await _consumed(stack, hire_ids)
        done = {h: max(c.values()) for h, c in seen.items() if len(c) == len(CONSUMERS)}
        if len(done) == len(hire_ids):
            return done
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {len(done)}/{len(hire_ids)} hires reached every consumer")
        await asyncio.sleep(0.5)


async def _throughput(stack, jm, post_id: str, seekers: list[str], concurrency: int) -> float:
    staff = headers(["hrss_staff"])
    hire_ids: set[str] = set()

    async def hire(seeker_id: str) -> None:
        r = await jm.post("/v1/hires", headers=staff, json=_hire_body(post_id, seeker_id))
        assert r.status_code == 201, r.text
        hire_ids.add(r.json()["id"])

    started = time.time()
    await _in_parallel(hire, seekers, concurrency)
    accepted = time.time()
    done = await _wait_all(stack, hire_ids)
    print(
        f"  {len(hire_ids)} hires: API accepted {len(hire_ids) / (accepted - started):.0f}/s,"
        f" fan-out done {len(hire_ids) / (max(done.values()) - started):.0f}/s",
        flush=True,
    )
    return len(hire_ids) / (max(done.values()) - started)


async def _latency(
    stack, post_id: str, seekers: list[str], rate: float, workers: int = 64
) -> tuple[list[float], float]:
    """Hires offered at a fixed pace (open loop); per hire, the time from its *scheduled* send
    to the last consumer's commit (the driver and PostgreSQL read the same clock), and the rate
    the API actually accepted them at.

    The pacer puts each hire on a queue at its scheduled moment; ``workers`` tasks with one
    kept-alive connection each send them. Measuring from the schedule, not from the moment a
    worker got to it, keeps a backlog in the driver inside the figure (no coordinated omission).
    A bounded worker pool matters: with one task per request, a thousand requests waiting in
    httpx's connection pool cost the driver most of a core and the API saw less than half of
    what it could take."""
    staff = headers(["hrss_staff"])
    sent: dict[str, float] = {}
    last_accepted = 0.0
    queue: asyncio.Queue[tuple[str, float] | None] = asyncio.Queue()
    limits = httpx.Limits(max_connections=workers, max_keepalive_connections=workers)
    async with httpx.AsyncClient(
        base_url=stack.urls["job_matching"], timeout=120, limits=limits
    ) as jm:

        async def worker() -> None:
            nonlocal last_accepted
            while (item := await queue.get()) is not None:
                seeker_id, scheduled = item
                r = await jm.post("/v1/hires", headers=staff, json=_hire_body(post_id, seeker_id))
                assert r.status_code == 201, r.text
                sent[r.json()["id"]] = scheduled
                last_accepted = max(last_accepted, time.time())

        tasks = [asyncio.create_task(worker()) for _ in range(workers)]
        t0 = time.monotonic()
        first = time.time()
        for i, seeker_id in enumerate(seekers):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((seeker_id, first + i / rate))
        for _ in tasks:
            queue.put_nowait(None)
        await asyncio.gather(*tasks)
    done = await _wait_all(stack, set(sent))
    accepted_rate = len(sent) / (last_accepted - first)
    print(
        f"  {len(sent)} hires offered at {rate:g}/s: API accepted {accepted_rate:.0f}/s", flush=True
    )
    return sorted(max(0.0, done[h] - sent[h]) * 1000 for h in sent), accepted_rate


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


MINIMAL_APP = """
import os, asyncpg
from fastapi import FastAPI
app = FastAPI()
@app.on_event("startup")
async def startup():
    app.state.pool = await asyncpg.create_pool(os.environ["DSN"], min_size=4, max_size=8)
@app.post("/rows", status_code=201)
async def insert(body: dict):
    row = await app.state.pool.fetchrow(
        "INSERT INTO bench_rows (body) VALUES ($1) RETURNING id", str(body))
    return {"id": row[0]}
"""


async def _baseline_minimal_api(dsn: str, requests: int, concurrency: int, tmpdir: str) -> float:
    conn = await asyncpg.connect(dsn)
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial primary key, body text)"
    )
    await conn.close()
    (Path(tmpdir) / "minimal_app.py").write_text(MINIMAL_APP)
    port = free_port()
    proc = spawn(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "minimal_app:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, "DSN": dsn, "PYTHONPATH": tmpdir},
        log_file=Path(tmpdir) / "minimal_app.log",
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
            for _ in range(200):
                try:
                    await c.post("/rows", json={"warm": 1})
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            body = _hire_body("p", "s")

            async def one(_: int) -> None:
                r = await c.post("/rows", json=body)
                assert r.status_code == 201

            started = time.perf_counter()
            await _in_parallel(one, range(requests), concurrency)
            return requests / (time.perf_counter() - started)
    finally:
        stop_process(proc)


async def _baseline_raw_pg(dsn: str, seconds: float, concurrency: int) -> float:
    pool = await asyncpg.create_pool(dsn, min_size=concurrency, max_size=concurrency)
    count = 0
    stop_at = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal count
        async with pool.acquire() as conn:
            while time.perf_counter() < stop_at:
                await conn.execute("INSERT INTO bench_rows (body) VALUES ('x')")
                count += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await pool.close()
    return count / elapsed


async def run(
    *,
    runs: int = 3,
    hires: int = 1000,
    rate: float = 200,
    moderate_rate: float = 50,
    concurrency: int = 32,
) -> list[dict]:
    services = ("job_matching", *CONSUMERS)
    rates = (rate, moderate_rate)
    paced_hires = [int(r * 5) for r in rates]  # 5 s at each rate (a post takes ≤ 10,000 hires)
    per_run = hires + sum(paced_hires)
    people = runs * per_run + 100
    async with bench_stack(services) as stack:
        async with httpx.AsyncClient(base_url=stack.urls["job_matching"], timeout=60) as jm:
            post_id, seekers = await _setup(jm, people, concurrency)
            # warm-up: 100 hires through the whole fan-out
            await _throughput(stack, jm, post_id, seekers[:100], concurrency)
            seekers = seekers[100:]
            tput: list[float] = []
            lat: dict[float, list[list[float]]] = {r: [] for r in rates}
            paced: dict[float, list[float]] = {r: [] for r in rates}
            for i in range(runs):
                chunk = seekers[i * per_run : (i + 1) * per_run]
                tput.append(await _throughput(stack, jm, post_id, chunk[:hires], concurrency))
                at = hires
                for r, n in zip(rates, paced_hires, strict=True):
                    latencies, accepted = await _latency(stack, post_id, chunk[at : at + n], r)
                    lat[r].append(latencies)
                    paced[r].append(accepted)
                    at += n
        dsn = asyncpg_dsn(stack.database_urls["job_matching"])
        api_base = [
            await _baseline_minimal_api(dsn, hires, concurrency, str(stack.dir))
            for _ in range(runs)
        ]
        pg_base = [await _baseline_raw_pg(dsn, 3.0, concurrency) for _ in range(runs)]
    t, a, p = statistics.median(tput), statistics.median(api_base), statistics.median(pg_base)
    return [
        {
            "name": "hire_fanout",
            "what": "hires/s through POST /v1/hires until all four consumers committed",
            "value": t,
            "unit": "hires/s",
            "runs": tput,
            "baseline": {
                "label": "minimal FastAPI + asyncpg insert endpoint",
                "value": a,
                "unit": "requests/s",
                "runs": api_base,
            },
            "ratio": t / a,
            "extra_baselines": [
                {
                    "label": "raw PostgreSQL single-row INSERT transactions",
                    "value": p,
                    "unit": "tx/s",
                    "runs": pg_base,
                    "ratio": t / p,
                }
            ],
            "target": {"value": 1000, "unit": "hires/s", "met": t >= 1000},
            "params": {"hires": hires, "concurrency": concurrency, "runs": runs},
        },
        _latency_row("hire_fanout_latency_p99", rate, lat[rate], paced[rate], target_ms=250),
        _latency_row(
            f"hire_fanout_latency_p99_at_{moderate_rate:g}",
            moderate_rate,
            lat[moderate_rate],
            paced[moderate_rate],
        ),
    ]


def _latency_row(
    name: str,
    rate: float,
    runs: list[list[float]],
    accepted: list[float],
    target_ms: float | None = None,
) -> dict:
    p50 = statistics.median(_pct(r, 50) for r in runs)
    p95 = statistics.median(_pct(r, 95) for r in runs)
    p99 = statistics.median(_pct(r, 99) for r in runs)
    row = {
        "name": name,
        "what": f"scheduled send -> last consumer committed, hires offered at {rate:g}/s",
        "value": p99,
        "unit": "ms",
        "p50_ms": p50,
        "p95_ms": p95,
        "runs_p99": [_pct(r, 99) for r in runs],
        "baseline": {"label": "p99 needs no baseline; p50 shown", "value": p50, "unit": "ms"},
        "ratio": p99 / p50 if p50 else None,
        "accepted_per_s": statistics.median(accepted),
        "params": {"rate_per_s": rate, "hires_per_run": len(runs[0]), "runs": len(runs)},
    }
    if target_ms is not None:
        row["target"] = {"value": target_ms, "unit": "ms", "met": p99 <= target_ms}
    return row
