"""14. A rolling upgrade under load, with an expand/contract schema change and a rollback.

While hires flow (the driver spreads requests over whatever replicas are live, as a Service
does): the expand step runs on job_matching's database (a nullable column added under a lock
timeout, an index built CONCURRENTLY, a batched backfill); job_matching is rolled to a new
replica that serves side by side with the old one before the old one leaves (endpoint removed
first, then SIGTERM: the pod's preStop/readiness order); training_vouchers is rolled the same
way (the durable consumer passes from one process to the other); job_matching is rolled back;
the contract step drops what the expand added. Nothing may fail but documented 503s, nothing
may be lost or doubled.

What this does NOT show: the old and new replicas run the same build. The procedure (online
DDL, two versions sharing a database and a durable consumer, hand-over, rollback) is what is
exercised; a real release adds its code change on top.
"""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from chaos.conftest import size
from chaos.harness import ChaosStack, ServiceProcess
from chaos.test_chaos_scenarios import baseline, drive, settle_and_check
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(3600)]
_replica_numbers = itertools.count(100)  # new replicas' numbers (log file names)

EXPAND = (
    "SET lock_timeout = '2s'",
    "ALTER TABLE hires ADD COLUMN IF NOT EXISTS contract_kind text",
)
INDEX = "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_hires_contract_kind ON hires (contract_kind)"
BACKFILL = (
    "UPDATE hires SET contract_kind = contract_type WHERE id IN ("
    " SELECT id FROM hires WHERE contract_kind IS NULL LIMIT 200 FOR UPDATE SKIP LOCKED)"
)
CONTRACT = (
    "DROP INDEX CONCURRENTLY IF EXISTS ix_hires_contract_kind",
    "SET lock_timeout = '2s'",
    "ALTER TABLE hires DROP COLUMN IF EXISTS contract_kind",
)


async def _ddl(url: str, statements: tuple[str, ...] | list[str]) -> None:
    # Autocommit: CREATE/DROP INDEX CONCURRENTLY cannot run in a transaction.
    engine = create_async_engine(url, pool_size=1, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            for sql in statements:
                await conn.execute(text(sql))
    finally:
        await engine.dispose()


async def _backfill(url: str) -> int:
    engine = create_async_engine(url, pool_size=1)
    done = 0
    try:
        while True:
            async with engine.begin() as conn:
                n = (await conn.execute(text(BACKFILL))).rowcount
            done += n
            if n == 0:
                return done
    finally:
        await engine.dispose()


async def roll(stack: ChaosStack, svc: str, overlap_s: float, log: list[str]) -> float:
    """Replace the service's replica by a new one; returns how long both served together."""
    old = stack.replicas[svc]
    new = ServiceProcess(svc, next(_replica_numbers), stack.log_dir, stack.env[svc])
    new.launch()
    await new.wait_ready()
    stack.replicas[svc] = [*old, new]
    together = time.monotonic()
    await asyncio.sleep(overlap_s)
    stack.replicas[svc] = [new]  # out of the endpoints first, then SIGTERM
    await asyncio.sleep(0.5)
    await asyncio.gather(*(asyncio.to_thread(p.stop) for p in old))
    log.append(f"{svc} {[p.pid for p in old]} -> {new.pid}")
    return time.monotonic() - together


@pytest.mark.short
async def test_rolling_upgrade_with_expand_contract_and_rollback(chaos_stack: ChaosStack, record):
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    url = stack.database_urls["job_matching"]
    rolled: list[str] = []
    overlaps: list[float] = []
    backfilled: list[int] = []

    async def expand() -> None:
        await _ddl(url, EXPAND)
        await _ddl(url, [INDEX])
        backfilled.append(await _backfill(url))

    async def upgrade_publisher() -> None:
        overlaps.append(await roll(stack, "job_matching", 2.0, rolled))

    async def upgrade_consumer() -> None:
        overlaps.append(await roll(stack, "training_vouchers", 2.0, rolled))

    async def roll_back_publisher() -> None:
        overlaps.append(await roll(stack, "job_matching", 2.0, rolled))

    async def contract() -> None:
        await _ddl(url, CONTRACT)

    hires = size(40, 2000)
    driver, healed = await drive(
        stack,
        hires,
        [
            (0.1, expand),
            (0.3, upgrade_publisher),
            (0.5, upgrade_consumer),
            (0.7, roll_back_publisher),
            (0.9, contract),
        ],
    )
    column = await stack.scalar(
        "job_matching",
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = 'hires' AND column_name = 'contract_kind'",
    )
    await settle_and_check(
        stack,
        driver,
        healed,
        "14 rolling upgrade: expand/contract DDL, side by side, rollback",
        record,
        before,
        effects_before,
        notes=f"expand (ADD COLUMN, CREATE INDEX CONCURRENTLY, {backfilled[0]} rows backfilled)"
        f" and contract under load; {len(rolled)} rolls (job_matching up and back, "
        f"training_vouchers), old and new side by side {min(overlaps):.1f}-{max(overlaps):.1f}"
        f" s; driver saw {driver.statuses.get(503, 0)}x503, {driver.statuses.get(0, 0)} "
        "connection errors, 0x500",
    )
    assert column == 0  # the contract step ran
    assert backfilled[0] > 0
    assert driver.statuses.get(0, 0) == 0, driver.statuses  # no request hit a leaving replica
    assert not any(s >= 500 and s != 503 for s in driver.statuses), driver.statuses
    assert all(len(stack.replicas[svc]) == 1 for svc in ("job_matching", "training_vouchers"))
