"""Same-run baselines for the HTTP write path, driven by the same ``wrk`` as the system.

* ``raw_asyncpg_endpoint`` — a minimal FastAPI app whose POST inserts one row with raw asyncpg;
* ``orm_endpoint`` — the same app inserting one row through a SQLAlchemy async ORM session;
* ``postgres_alone`` — ``pgbench`` (from the PostgreSQL binaries the stack runs) with single-row
  INSERT transactions from the same number of connections; an asyncpg loop when pgbench is
  missing.

Each returns ``{"per_s": …, "cpu": CpuMeter report, …}`` for one measurement.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import asyncpg

from bench import loadgen
from bench.cpu import CpuMeter
from bench.stack import free_port
from suxin_devkit.devstack._proc import http_get, spawn, stop_process
from suxin_devkit.devstack.postgres import find_pg_bin

TABLE = "CREATE TABLE IF NOT EXISTS bench_rows (id bigserial primary key, body text)"

RAW_APP = """
import os, asyncpg
from fastapi import FastAPI
app = FastAPI()
@app.on_event("startup")
async def startup():
    app.state.pool = await asyncpg.create_pool(os.environ["DSN"], min_size=4, max_size=8)
@app.get("/ping")
async def ping():
    return {}
@app.post("/rows", status_code=201)
async def insert(body: dict):
    row = await app.state.pool.fetchrow(
        "INSERT INTO bench_rows (body) VALUES ($1) RETURNING id", str(body))
    return {"id": row[0]}
"""

ORM_APP = """
import os
from fastapi import FastAPI
from sqlalchemy import BigInteger, Text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
class Base(DeclarativeBase):
    pass
class Row(Base):
    __tablename__ = "bench_rows"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    body: Mapped[str] = mapped_column(Text)
engine = create_async_engine(os.environ["SQLALCHEMY_URL"], pool_size=8)
Session = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI()
@app.get("/ping")
async def ping():
    return {}
@app.post("/rows", status_code=201)
async def insert(body: dict):
    async with Session() as session:
        row = Row(body=str(body))
        session.add(row)
        await session.commit()
        return {"id": row.id}
"""


async def prepare(dsn: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(TABLE)
    finally:
        await conn.close()


async def minimal_endpoint(
    kind: str,
    *,
    dsn: str,
    sqlalchemy_url: str,
    bodies: Path,
    tmpdir: Path,
    pg_pid: int | None,
    concurrency: int,
    seconds: float,
) -> dict:
    """One wrk measurement of the ``raw`` (asyncpg) or ``orm`` minimal endpoint."""
    module = f"minimal_{kind}_app"
    (tmpdir / f"{module}.py").write_text(RAW_APP if kind == "raw" else ORM_APP)
    port = free_port()
    proc = spawn(
        [
            sys.executable,
            "-m",
            "uvicorn",
            f"{module}:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env={**os.environ, "DSN": dsn, "SQLALCHEMY_URL": sqlalchemy_url, "PYTHONPATH": str(tmpdir)},
        log_file=tmpdir / f"{module}.log",
    )
    try:
        # A loaded shared machine may take well over 30 s to start a Python process.
        deadline = time.monotonic() + 180
        while (await asyncio.to_thread(http_get, f"http://127.0.0.1:{port}/ping"))[0] != 200:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the {kind} endpoint did not start (log: {module}.log)")
            await asyncio.sleep(0.1)
        url = f"http://127.0.0.1:{port}"
        # warm-up: pools filled, code paths hot
        await loadgen.post_bodies(
            url, "/rows", bodies, connections=concurrency, seconds=2, cycle=True
        )
        meter = CpuMeter({"endpoint": [proc.pid], "postgres": [pg_pid]}).start()
        result = await loadgen.post_bodies(
            url, "/rows", bodies, connections=concurrency, seconds=seconds, cycle=True
        )
        meter.stop(wrk=result.cpu_s)
        return {
            "per_s": result.per_s,
            "wrk": result.as_dict(),
            "cpu": meter.report(result.ok, "request"),
        }
    finally:
        stop_process(proc)


def _pgbench() -> Path | None:
    try:
        candidate = find_pg_bin() / "pgbench"
    except Exception:  # noqa: BLE001 - no binaries: the asyncpg loop stands in
        return None
    return candidate if candidate.exists() else None


def _run_pgbench(argv: list[str], env: dict[str, str]) -> tuple[str, float, int]:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    out = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return out, usage.ru_utime + usage.ru_stime, proc.returncode


async def postgres_alone(
    *, dsn: str, tmpdir: Path, pg_pid: int | None, concurrency: int, seconds: float
) -> dict:
    """Single-row INSERT transactions straight into PostgreSQL: pgbench, else asyncpg."""
    pgbench = _pgbench()
    meter = CpuMeter({"postgres": [pg_pid]})
    if pgbench is not None:
        script = tmpdir / "insert.sql"
        script.write_text("INSERT INTO bench_rows (body) VALUES ('pgbench');\n")
        argv = [
            str(pgbench),
            "-n",
            "-c",
            str(concurrency),
            "-j",
            "1",
            "-T",
            str(max(1, int(seconds))),
            "-f",
            str(script),
            dsn,
        ]
        env = {**os.environ, "LD_LIBRARY_PATH": str(pgbench.parent.parent / "lib")}
        meter.start()
        out, cpu, code = await asyncio.to_thread(_run_pgbench, argv, env)
        meter.stop(pgbench=cpu)
        found = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out)
        if code != 0 or found is None:
            raise RuntimeError(f"pgbench failed (exit {code}):\n{out[-1500:]}")
        tps = float(found.group(1))
        label = "pgbench"
    else:
        meter.start()
        tps = await _asyncpg_loop(dsn, seconds, concurrency)
        meter.stop()
        label = "asyncpg loop (no pgbench)"
    return {"per_s": tps, "driver": label, "cpu": meter.report(tps * seconds, "tx")}


async def _asyncpg_loop(dsn: str, seconds: float, concurrency: int) -> float:
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
