"""hire_fanout: hires through ``POST /v1/hires`` until every consumer's effect is committed.

System: job-matching and the four hire consumers (training-vouchers, injury-insurance,
talent-card, employment-monitor) as separate uvicorn processes on embedded PostgreSQL and NATS
(``replicas=2``: two processes of each, behind the same NATS and PostgreSQL).

* throughput — ``wrk`` (C, :mod:`bench.loadgen`) posts N distinct hires (pre-registered seekers,
  one post per run: every hire of a run counts into the same post) from ``concurrency``
  connections; hires/s from wrk's start until the last consumer has recorded the last hire
  (its inbox row). The CPU every process used meanwhile is read from /proc (:mod:`bench.cpu`);
* latency at half the measured maximum — hires offered at a fixed pace (open loop, a light
  Python pacer: a few dozen requests a second); per hire, from its scheduled send (driver
  clock) to the inbox row of the last of the four consumers (PostgreSQL ``now()`` of that
  transaction: its start, a few ms before its commit; same machine, same clock).

Baselines in the same run, interleaved with the hire runs and driven by the same wrk: a minimal
FastAPI + raw asyncpg endpoint inserting one row, a minimal FastAPI + SQLAlchemy ORM endpoint
inserting one row (uvicorn processes), and PostgreSQL alone (``pgbench``, single-row INSERT
transactions from ``concurrency`` connections; an asyncpg loop when pgbench is missing).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import text

from bench import baselines, loadgen
from bench.cpu import CpuMeter, machine_load
from bench.profile import profiled
from bench.stack import bench_stack, engine_for, headers, replicas
from suxin_common.auth import mint_dev_token
from suxin_common.db import asyncpg_dsn
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import make_resident_id, make_uscc

CONSUMERS = ("training_vouchers", "injury_insurance", "talent_card", "employment_monitor")
SERVICES = ("job_matching", *CONSUMERS)
HIRE_SUBJECT = "suxin.hiring.hire_recorded.v1"
ENTERPRISE = make_uscc(4242)
STAFF_TOKEN = ""


def _token() -> str:
    global STAFF_TOKEN  # noqa: PLW0603 - minted once per process
    if not STAFF_TOKEN:
        STAFF_TOKEN = mint_dev_token(ServiceSettings(), "bench", ["hrss_staff"])
    return STAFF_TOKEN


def say(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", flush=True)


async def _enterprise(jm: httpx.AsyncClient) -> None:
    r = await jm.post(
        "/v1/enterprises",
        headers=headers(["hrss_staff"]),
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


async def _post(jm: httpx.AsyncClient, headcount: int) -> str:
    r = await jm.post(
        "/v1/job-posts",
        headers=headers(["hrss_staff"]),
        json={
            "enterprise_uscc": ENTERPRISE,
            "title": "装配工",
            "occupation_code": "6-20-99-00",
            "district_code": "320505",
            "kind": "full_time",
            "headcount": headcount,
            "wage_min_fen": 500000,
            "wage_max_fen": 800000,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _register(
    stack, url: str, people: int, concurrency: int, tmp: Path, first: int = 0
) -> list[str]:
    """``people`` distinct seekers (valid resident IDs number ``first`` on) registered through
    POST /v1/seekers by wrk; the ids of every seeker not hired yet, from job-matching's
    database."""
    graduated = str(date.today() - timedelta(days=200))
    bodies = tmp / "seekers.jsonl"
    loadgen.write_bodies(
        bodies,
        (
            {
                "resident_id": resident_id(i),
                "education": "bachelor",
                "graduation_date": graduated,
                "key_groups": ["college_graduate"],
            }
            for i in range(first, first + people)
        ),
    )
    t0 = time.monotonic()
    result = await loadgen.post_bodies(
        url, "/v1/seekers", bodies, token=_token(), connections=concurrency
    )
    engine = engine_for(stack, "job_matching")
    try:
        async with engine.connect() as conn:
            ids = [r[0] for r in await conn.execute(_UNHIRED)]
    finally:
        await engine.dispose()
    if len(ids) < people:
        raise RuntimeError(f"registered {len(ids)} of {people} seekers: {result.as_dict()}")
    say(f"{people} seekers registered in {time.monotonic() - t0:.0f} s ({result.per_s:.0f}/s)")
    return ids


_UNHIRED = text(
    "SELECT id::text FROM seekers s"
    " WHERE NOT EXISTS (SELECT 1 FROM hires h WHERE h.seeker_id = s.id) ORDER BY created_at, id"
)


def resident_id(n: int) -> str:
    """Synthetic resident IDs, 1,000 per birth day (make_resident_id varies the sequence only)."""
    born = (date(1975, 1, 1) + timedelta(days=n // 1000)).strftime("%Y%m%d")
    return make_resident_id(n, born=born)


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


async def _hire_ids(stack, post_id: str) -> set[str]:
    engine = engine_for(stack, "job_matching")
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT id::text FROM hires WHERE job_post_id = :p"), {"p": post_id}
            )
            return {r[0] for r in rows}
    finally:
        await engine.dispose()


def _groups(stack, pids: dict[str, list[int]]) -> dict[str, list[int | None]]:
    return {
        **pids,
        "postgres": [stack.postgres.pid if stack.postgres else None],
        "nats": [stack.nats.pid if stack.nats else None],
    }


async def _throughput(
    stack,
    urls: list[str],
    pids: dict[str, list[int]],
    post_id: str,
    seekers: list[str],
    concurrency: int,
    tmp: Path,
) -> dict:
    """The seekers hired into ``post_id`` by wrk (one wrk per job-matching replica, the list
    split between them); hires/s until all four consumers have every hire, and the CPU used."""
    files = []
    for n, _ in enumerate(urls):
        part = tmp / f"hires-{post_id}-{n}.jsonl"
        loadgen.write_bodies(part, (_hire_body(post_id, s) for s in seekers[n :: len(urls)]))
        files.append(part)
    meter = CpuMeter(_groups(stack, pids)).start()
    per_conn = max(1, concurrency // len(urls))
    results = await asyncio.gather(
        *(
            loadgen.post_bodies(url, "/v1/hires", f, token=_token(), connections=per_conn)
            for url, f in zip(urls, files, strict=True)
        )
    )
    started = min(r.started_at for r in results)
    hire_ids = await _hire_ids(stack, post_id)
    if len(hire_ids) < len(seekers):
        refused = [x for r in results for x in r.raw.get("first_refusals", [])]
        raise RuntimeError(f"{len(hire_ids)} of {len(seekers)} hires recorded; refused: {refused}")
    done = await _wait_all(stack, hire_ids)
    finished = max(done.values())
    meter.stop(wrk=sum(r.cpu_s for r in results))
    ok = sum(r.ok for r in results)
    accepted = ok / max(r.seconds for r in results)
    fanout = len(hire_ids) / (finished - started)
    say(
        f"{len(hire_ids)} hires: API accepted {accepted:.0f}/s (wrk p50"
        f" {results[0].latency_ms['p50']:.0f} ms), all four effects committed {fanout:.0f}/s"
    )
    return {
        "hires": len(hire_ids),
        "fanout_per_s": fanout,
        "accepted_per_s": accepted,
        "wrk": [r.as_dict() for r in results],
        "cpu": meter.report(len(hire_ids), "hire"),
    }


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


async def run(
    *,
    runs: int = 3,
    hires: int = 3000,
    concurrency: int = 32,
    latency_seconds: float = 10,
    baseline_seconds: float = 10,
    replica_count: int = 1,
) -> list[dict]:
    """``runs`` rounds of: hires by wrk, then each baseline by the same wrk (interleaved, so
    noise from the shared machine falls on all alike); then the paced latency at half the
    median maximum."""
    suffix = "" if replica_count == 1 else f"_x{replica_count}"
    people = 200 + (runs + 1) * hires  # the paced runs' seekers come once their rate is known
    tput: list[dict] = []
    raw: list[dict] = []
    orm: list[dict] = []
    pg: list[dict] = []
    lat: list[list[float]] = []
    paced: list[float] = []
    with tempfile.TemporaryDirectory(prefix="suxin-bench-wrk-") as tmpdir:
        tmp = Path(tmpdir)
        async with bench_stack(SERVICES) as stack, replicas(stack, SERVICES, replica_count) as rep:
            pids, jm_urls = rep["pids"], rep["urls"]["job_matching"]
            pg_pid = stack.postgres.pid if stack.postgres else None
            dsn = asyncpg_dsn(stack.database_urls["job_matching"])
            # The baselines' table is made by the owner role (the runtime role has no DDL since
            # the least-privilege roles); the runtime role inserts into it by default privileges.
            await baselines.prepare(asyncpg_dsn(stack.databases["job_matching"].owner_url))
            body_file = tmp / "baseline-bodies.jsonl"
            loadgen.write_bodies(body_file, (_hire_body("p", f"s{i}") for i in range(5000)))
            async with httpx.AsyncClient(base_url=jm_urls[0], timeout=60) as jm:
                await _enterprise(jm)
                say(f"registering {people} seekers (wrk)")
                seekers = await _register(stack, jm_urls[0], people, concurrency, tmp)
                warm_post = await _post(jm, 200)
                say("warm-up: 200 hires through the whole fan-out")
                await _throughput(stack, jm_urls, pids, warm_post, seekers[:200], concurrency, tmp)
                seekers = seekers[200:]
                for i in range(runs):
                    say(f"run {i + 1}/{runs}: hires")
                    post_id = await _post(jm, hires)
                    tput.append(
                        await _throughput(
                            stack, jm_urls, pids, post_id, seekers[:hires], concurrency, tmp
                        )
                    )
                    seekers = seekers[hires:]
                    common = {"dsn": dsn, "tmpdir": tmp, "pg_pid": pg_pid}
                    common["concurrency"] = concurrency
                    common["seconds"] = baseline_seconds
                    for kind, into in (("raw", raw), ("orm", orm)):
                        into.append(
                            await baselines.minimal_endpoint(
                                kind,
                                sqlalchemy_url=stack.database_urls["job_matching"],
                                bodies=body_file,
                                **common,
                            )
                        )
                        say(f"run {i + 1}/{runs}: {kind} endpoint {into[-1]['per_s']:.0f} req/s")
                    pg.append(await baselines.postgres_alone(**common))
                    say(f"run {i + 1}/{runs}: PostgreSQL alone {pg[-1]['per_s']:.0f} tx/s")
                say("profiled run (py-spy on job_matching and training_vouchers; not counted)")
                post_id = await _post(jm, hires)
                profiles = await _profiled(
                    stack, jm_urls, pids, post_id, seekers[:hires], concurrency, tmp
                )
                seekers = seekers[hires:]
                top = statistics.median(t["fanout_per_s"] for t in tput)
                rate = max(1.0, top / 2)
                n = int(rate * latency_seconds)
                say(f"registering {runs * n} more seekers for the paced runs")
                seekers = await _register(
                    stack, jm_urls[0], runs * n, concurrency, tmp, first=people
                )
                for i in range(runs):
                    say(f"latency run {i + 1}/{runs}: {n} hires offered at {rate:.0f}/s")
                    post_id = await _post(jm, n)
                    latencies, accepted = await _latency(stack, post_id, seekers[:n], rate)
                    seekers = seekers[n:]
                    lat.append(latencies)
                    paced.append(accepted)
    rows = _rows(suffix, tput, raw, orm, pg, lat, paced, rate, hires, concurrency, replica_count)
    rows[0]["profiles"] = profiles
    return rows


async def _profiled(stack, urls, pids, post_id, seekers, concurrency, tmp) -> dict:  # noqa: ANN001, PLR0913
    """One more hire run with py-spy sampling job-matching and training-vouchers (the busiest
    consumer): where their CPU goes."""
    async with (
        profiled(pids["job_matching"][0], tmp / "jm.raw") as jm_prof,
        profiled(pids["training_vouchers"][0], tmp / "tv.raw") as tv_prof,
    ):
        await _throughput(stack, urls, pids, post_id, seekers, concurrency, tmp)
    return {"job_matching": jm_prof.summary, "training_vouchers": tv_prof.summary}


def _median_run(runs: list[dict], key: str) -> dict:
    """The run whose ``key`` is the median (its CPU report goes with the figure)."""
    ordered = sorted(runs, key=lambda r: r[key])
    return ordered[len(ordered) // 2]


def _rows(suffix, tput, raw, orm, pg, lat, paced, rate, hires, concurrency, replica_count):  # noqa: ANN001, ANN202, PLR0913
    t = statistics.median(r["fanout_per_s"] for r in tput)
    a = statistics.median(r["per_s"] for r in raw)
    o = statistics.median(r["per_s"] for r in orm)
    p = statistics.median(r["per_s"] for r in pg)
    mid = _median_run(tput, "fanout_per_s")
    return [
        {
            "name": f"hire_fanout{suffix}",
            "what": "hires/s driven by wrk through POST /v1/hires until all four consumers "
            f"committed ({replica_count} replica(s) of each service)",
            "value": t,
            "unit": "hires/s",
            "runs": [r["fanout_per_s"] for r in tput],
            "accepted_per_s": statistics.median(r["accepted_per_s"] for r in tput),
            "baseline": {
                "label": "minimal FastAPI + raw asyncpg insert endpoint (wrk)",
                "value": a,
                "unit": "requests/s",
                "runs": [r["per_s"] for r in raw],
            },
            "ratio": t / a,
            "extra_baselines": [
                {
                    "label": "minimal FastAPI + SQLAlchemy ORM insert endpoint (wrk)",
                    "value": o,
                    "unit": "requests/s",
                    "runs": [r["per_s"] for r in orm],
                    "ratio": t / o,
                },
                {
                    "label": f"PostgreSQL alone, single-row INSERT ({pg[0]['driver']})",
                    "value": p,
                    "unit": "tx/s",
                    "runs": [r["per_s"] for r in pg],
                    "ratio": t / p,
                },
            ],
            "target": {"value": 0.15, "unit": "× raw endpoint", "met": t / a >= 0.15},
            "target_is_ratio": True,
            "cpu": {
                "hire (median run)": mid["cpu"],
                "raw endpoint": _median_run(raw, "per_s")["cpu"],
                "orm endpoint": _median_run(orm, "per_s")["cpu"],
                "postgres alone": _median_run(pg, "per_s")["cpu"],
            },
            "wrk": mid["wrk"],
            "load": machine_load(),
            "params": {
                "hires_per_run": hires,
                "concurrency": concurrency,
                "runs": len(tput),
                "replicas": replica_count,
            },
        },
        _latency_row(f"hire_fanout{suffix}_latency_p99", rate, lat, paced, target_ms=250),
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
