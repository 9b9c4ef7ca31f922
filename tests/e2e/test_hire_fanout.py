"""The platform's central flow: one hire fans out to four services, each effect exactly once.

Real uvicorn processes on real PostgreSQL and NATS JetStream. Every consumer is made to receive
every message twice (it naks after committing), one consumer is killed mid-run and restarted,
and a poison message is slipped into the hiring stream.
"""

from __future__ import annotations

import asyncio

import httpx
import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from e2e.scenario import CONSUMERS, ENTERPRISE, hire_graduate, open_enterprise, staff_headers
from suxin_common.messaging.catalog import HIRING
from suxin_devkit.testing import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

HIRES = 200
# (table, column holding the hire id) of each consumer's effect.
EFFECTS = {
    "training_vouchers": ("subsidy_cases", "hire_id"),
    "injury_insurance": ("coverages", "hire_id"),
    "talent_card": ("talent_flows", "hire_id"),
    "employment_monitor": ("hire_facts", "hire_id"),
}


async def effect_counts(engines, svc: str) -> tuple[int, int]:
    table, column = EFFECTS[svc]
    async with engines[svc].connect() as conn:
        row = (
            await conn.execute(text(f"SELECT count(*), count(DISTINCT {column}) FROM {table}"))
        ).one()
    return row[0], row[1]


async def test_200_hires_take_effect_exactly_once_in_each_consumer(infra, databases, processes):
    jm = await processes("job_matching")
    consumers = {
        svc: await processes(svc, FAULT_REDELIVER_AFTER_COMMIT="true") for svc in CONSUMERS
    }
    engines = {svc: create_async_engine(databases[svc]) for svc in CONSUMERS}
    async with (
        httpx.AsyncClient(base_url=jm.url, headers=staff_headers(), timeout=30) as jm_client,
        httpx.AsyncClient(
            base_url=consumers["talent_card"].url, headers=staff_headers(), timeout=30
        ) as tc,
    ):
        post_id = await open_enterprise(jm_client, HIRES)
        hire_ids = []
        for n in range(HIRES):
            if n == HIRES // 2:
                # Crash a consumer mid-run; hires keep coming while it is down.
                consumers["training_vouchers"].kill()
                await _publish_poison(infra.nats_url)
            if n == HIRES // 2 + 40:
                await consumers["training_vouchers"].start()
            hire_ids.append(await hire_graduate(jm_client, tc, post_id, n))

    try:

        async def all_counted() -> bool:
            counts = [await effect_counts(engines, svc) for svc in CONSUMERS]
            return all(c[0] >= HIRES for c in counts)

        deadline = asyncio.get_running_loop().time() + 180
        while not await all_counted():
            assert asyncio.get_running_loop().time() < deadline, {
                svc: await effect_counts(engines, svc) for svc in CONSUMERS
            }
            await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)  # let any late duplicate arrive before the final count

        for svc in CONSUMERS:
            assert await effect_counts(engines, svc) == (HIRES, HIRES), svc
            async with engines[svc].connect() as conn:
                hires_seen = set(
                    str(r[0])
                    for r in await conn.execute(
                        text(f"SELECT {EFFECTS[svc][1]} FROM {EFFECTS[svc][0]}")
                    )
                )
                dead = (
                    await conn.execute(text("SELECT count(*), min(error) FROM dead_letters"))
                ).one()
            assert hires_seen == set(hire_ids), svc
            assert dead[0] == 1 and "poison" in dead[1], (svc, dead)

        # Each consumer really received messages more than once (forced redelivery).
        nc = await nats.connect(infra.nats_url)
        try:
            js = nc.jetstream()
            for svc in CONSUMERS:
                name = svc.replace("_", "-")

                async def settled(name: str = name) -> bool:
                    info = await js.consumer_info(HIRING.name, name)
                    return info.num_pending == 0 and info.num_ack_pending == 0

                # The last forced redeliveries are acked (as duplicates) shortly after.
                await eventually(settled, within=30)
                info = await js.consumer_info(HIRING.name, name)
                assert info.delivered.consumer_seq >= 2 * HIRES, (svc, info.delivered)
        finally:
            await nc.close()

        # And every effect is visible through its service's own API.
        await _check_apis(consumers, hire_ids)
    finally:
        for engine in engines.values():
            await engine.dispose()


async def _publish_poison(nats_url: str) -> None:
    nc = await nats.connect(nats_url)
    try:
        headers = {
            "ce-id": "poison-e2e",
            "ce-type": "suxin.hiring.hire_recorded.v1",
            "ce-source": "/e2e",
            "ce-specversion": "1.0",
            "Nats-Msg-Id": "poison-e2e",
        }
        await nc.jetstream().publish(
            "suxin.hiring.hire_recorded.v1", b"\x08\x96\x01\xff garbage", headers=headers
        )
    finally:
        await nc.close()


async def _check_apis(consumers, hire_ids: list[str]) -> None:
    sample = hire_ids[0], hire_ids[HIRES // 2], hire_ids[-1]
    async with httpx.AsyncClient(headers=staff_headers(), timeout=30) as c:
        monitor = consumers["employment_monitor"].url
        r = await c.get(f"{monitor}/v1/stats/hires", params={"group_by": ["city", "industry"]})
        assert r.status_code == 200, r.text
        assert r.json()["total"] == HIRES
        assert r.json()["rows"] == [{"city": "3210", "industry": "C", "hires": HIRES}]
        for hire_id in sample:
            r = await c.get(
                f"{consumers['training_vouchers'].url}/v1/subsidy-cases",
                params={"hire_id": hire_id},
            )
            assert r.status_code == 200 and len(r.json()["items"]) == 1, r.text
            assert r.json()["items"][0]["enterprise_uscc"] == ENTERPRISE
            r = await c.get(
                f"{consumers['injury_insurance'].url}/v1/coverages", params={"hire_id": hire_id}
            )
            assert r.status_code == 200 and len(r.json()["items"]) == 1, r.text
            r = await c.get(
                f"{consumers['talent_card'].url}/v1/talent-flows", params={"hire_id": hire_id}
            )
            assert r.status_code == 200 and len(r.json()["items"]) == 1, r.text
