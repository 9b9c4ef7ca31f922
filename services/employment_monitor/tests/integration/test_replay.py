"""A replay from the streams rebuilds exactly the read models the live consumer built."""

from __future__ import annotations

import uuid

import pytest
from em_scenario import AS_OF, build, shuffled_with_repeats
from sqlalchemy import text

from employment_monitor import replay
from employment_monitor.adapters.tables import READ_MODELS
from employment_monitor.consumers import SUBSCRIPTIONS
from suxin_common.messaging.catalog import event_type_of
from suxin_devkit.testing import (
    consumer_settled,
    eventually,
    headers_for,
    running_consumers,
)

pytestmark = pytest.mark.integration


async def snapshot(engine) -> dict[str, list[tuple]]:
    out = {}
    async with engine.connect() as conn:
        for table in READ_MODELS:
            keys = ", ".join(c.name for c in table.primary_key.columns)
            rows = await conn.execute(text(f"SELECT * FROM {table.name} ORDER BY {keys}"))
            out[table.name] = [tuple(r) for r in rows]
    return out


async def publish(js, events) -> None:
    for event in events:
        subject = event_type_of(event).subject
        headers = headers_for(str(uuid.uuid4()), subject)
        await js.publish(subject, event.SerializeToString(), headers=headers)


async def test_replay_rebuilds_the_live_read_models(runtime, infra, client, staff, monkeypatch):
    scenario = build(seed=5)
    async with running_consumers(
        runtime, SUBSCRIPTIONS, infra.nats_url, fault_redeliver_after_commit=True
    ) as (js, runner):
        await publish(js, shuffled_with_repeats(scenario.events))
        await eventually(lambda: consumer_settled(js, runner), within=60)
        live = await snapshot(runtime.engine)
        params = {"group_by": ["city", "month"]}
        live_stats = (await client.get("/v1/stats/employment", params=params, headers=staff)).json()
        live_sme = (
            await client.get("/v1/specialized", params={"as_of": str(AS_OF)}, headers=staff)
        ).json()
        # Every recorded hire is kept; only the confirmed ones count in the statistics.
        assert len(live["hire_facts"]) == len(scenario.hires) + len(scenario.declared_only)
        assert len(live["hire_confirmations"]) == len(scenario.hires)
        assert all(live[t.name] for t in READ_MODELS), "every read model has rows"

        # Damage the read models; the replay starts from nothing anyway.
        async with runtime.engine.begin() as conn:
            await conn.execute(text("DELETE FROM hire_facts WHERE month >= '2026-04-01'"))
            await conn.execute(text("UPDATE claim_facts SET stage = 'reported'"))

        seen: list[tuple[int, int]] = []
        report = await replay.rebuild(
            runtime.settings.database_url,
            infra.nats_url,
            batch_size=100,
            progress=lambda applied, total: seen.append((applied, total)),
        )

    assert report.events == len(shuffled_with_repeats(scenario.events))
    # Progress after every batch: growing, against the streams' size at the start.
    assert len(seen) >= 2  # 1,329 events in batches of about 100 or a reader chunk
    assert [a for a, _ in seen] == sorted(a for a, _ in seen)
    assert seen[-1] == (report.events, report.events)
    assert report.skipped == 0
    assert await snapshot(runtime.engine) == live
    stats = (await client.get("/v1/stats/employment", params=params, headers=staff)).json()
    assert stats == live_stats
    sme = (await client.get("/v1/specialized", params={"as_of": str(AS_OF)}, headers=staff)).json()
    assert sme == live_sme

    # The fallback reader (nats-py's ordered consumer, for TLS URLs) rebuilds the same.
    monkeypatch.setattr(replay.raw_stream, "supported", lambda url: False)
    again = await replay.rebuild(runtime.settings.database_url, infra.nats_url)
    assert again.events == report.events
    assert await snapshot(runtime.engine) == live


async def test_replay_endpoint_is_for_operators_only(client, staff, ops, project):
    await project(build(seed=2, enterprises=2, hires=4).events[:1])
    r = await client.post("/v1/admin/replay", headers=staff)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post("/v1/admin/replay", headers=ops)
    assert r.status_code == 200, r.text
    assert set(r.json()) >= {"events", "seconds", "events_per_second"}
