"""Recovery scenarios: what an operator does after losing data, run as the runbooks say
(docs/operations.md), with hires flowing, and judged by reconciliation (0 lost, 0 duplicated).

12. The NATS store is lost entirely (every stream, message and durable consumer): the streams
    are recreated and every service's outbox rows since the last quiet point are published
    again; the consumers' inboxes absorb what they had already handled.
13. Point-in-time restore of PostgreSQL (base backup + WAL archive): hires recorded after the
    target time are gone everywhere, those before it are there, and once the bus is rebuilt
    from the restored outboxes every consumer holds each kept hire exactly once.
"""

from __future__ import annotations

import asyncio
import re
import time

import pytest
from chaos.backup import (
    archive_current_wal,
    base_backup,
    delete_streams,
    lose_nats_store,
    restore_to,
    server_now,
    stream_messages,
    suxin_ops,
)
from chaos.conftest import size
from chaos.harness import CONSUMERS, HIRE_SUBJECT, SERVICES, ChaosStack, HireDriver
from chaos.test_chaos_scenarios import baseline, settle_and_check

from suxin_common.reconcile import EFFECTS

pytestmark = [pytest.mark.chaos, pytest.mark.timeout(3600)]


async def requeue_everywhere(stack: ChaosStack, since) -> int:  # noqa: ANN001
    """``suxin ops requeue`` on every service's database; rows queued in all."""
    urls = [arg for svc in SERVICES for arg in ("--database-url", stack.database_urls[svc])]
    out = await suxin_ops("requeue", *urls, "--since", since.isoformat())
    print(f"\n$ suxin ops requeue --since {since.isoformat()} ...\n{out}")
    return int(re.search(r"^(\d+) outbox row\(s\) created since .* in all$", out, re.M).group(1))


# --- 12. NATS store lost ------------------------------------------------------------------------


@pytest.mark.short
async def test_nats_store_lost_and_rebuilt_from_the_outboxes(chaos_stack: ChaosStack, record):
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    quiet_since = await server_now(stack)  # everything older was handled: the requeue window
    first, during = size(20, 2000), size(10, 1000)
    driver = HireDriver(stack)
    await driver.open(first + during)
    await driver.run(first)
    # Right after the last of the first hires: consumers are still working through them.
    await asyncio.to_thread(lose_nats_store, stack)
    await stack.restart_nats()  # an empty server: no stream, no message, no consumer
    lost_at = time.monotonic()
    await driver.run(during)  # hires are still accepted; their events wait in the outbox
    print(f"\n{during} hires in {time.monotonic() - lost_at:.1f}s with the store lost")

    # The runbook: recreate the streams, then publish the outboxes again from the quiet point.
    print("\n$ suxin ops streams\n" + await suxin_ops("streams", "--nats-url", stack.nats_url))
    requeued = await requeue_everywhere(stack, quiet_since)
    print(f"streams + requeue done at {time.monotonic() - lost_at:.1f}s")
    await settle_and_check(
        stack,
        driver,
        lost_at,
        "12 NATS store lost, streams rebuilt from the outboxes",
        record,
        before,
        effects_before,
        notes=f"store deleted after {first} hires, {during} more accepted meanwhile; "
        f"{requeued} outbox rows requeued (suxin ops requeue on {len(SERVICES)} services); "
        f"SUXIN_HIRING rebuilt with {await stream_messages(stack)} hire events",
    )


# --- 13. point-in-time restore --------------------------------------------------------------


@pytest.mark.short
async def test_point_in_time_restore_drill(chaos_stack: ChaosStack, record):
    stack = chaos_stack
    before, effects_before = await baseline(stack)
    backup_started = await server_now(stack)
    backup = await asyncio.to_thread(base_backup, stack, f"base-{int(time.time())}")
    kept_n, gone_n = size(20, 2000), size(10, 1000)
    driver = HireDriver(stack)
    await driver.open(kept_n + gone_n)
    await driver.run(kept_n)
    kept = list(driver.acknowledged)
    await asyncio.sleep(0.5)
    target = await server_now(stack)  # consumers may still be handling the kept hires
    await asyncio.sleep(0.5)
    await driver.run(gone_n)
    gone = driver.acknowledged[len(kept) :]
    await stack.quiesce()  # the later hires took full effect: the restore must undo all of it
    await archive_current_wal(stack)

    # The drill: services down, PostgreSQL back to `target`, the bus rebuilt from the outboxes.
    disaster = time.monotonic()
    await stack.stop_services()
    await restore_to(stack, backup, target)
    deleted = await delete_streams(stack)
    await stack.start_services()  # they recreate their streams and durable consumers
    requeued = await requeue_everywhere(stack, backup_started)

    driver.acknowledged = kept  # the later hires are meant to be gone
    await settle_and_check(
        stack,
        driver,
        disaster,
        "13 PostgreSQL point-in-time restore (base backup + WAL)",
        record,
        before,
        effects_before,
        notes=f"{kept_n} hires before the target time kept, {gone_n} after it gone in all 5 "
        f"databases; {len(deleted)} streams deleted, {requeued} outbox rows requeued",
    )
    published = await stack.scalar(
        "job_matching",
        "SELECT count(*) FROM outbox WHERE subject = :s AND ce_subject = ANY(:ids)",
        s=HIRE_SUBJECT,
        ids=gone,
    )
    hires = await stack.scalar(
        "job_matching", "SELECT count(*) FROM hires WHERE id::text = ANY(:ids)", ids=gone
    )
    assert published == 0 and hires == 0, "hires after the target time survived the restore"
    assert await stack.published_hires() == before + kept_n
    for svc in CONSUMERS:
        effects = await stack.scalar(
            svc,
            f"SELECT count(*) FROM ({EFFECTS[svc][HIRE_SUBJECT]}) e(k) WHERE k = ANY(:ids)",
            ids=gone,
        )
        assert effects == 0, f"{svc} kept effects of hires after the target time"
