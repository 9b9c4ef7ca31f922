"""The raw resident ID goes nowhere (database, logs, events, spool), and every fact change
reaches JetStream exactly once through the outbox relay."""

from __future__ import annotations

import asyncio
import logging
import os

import nats
import pytest
from sqlalchemy import text

from data_exchange.handlers.batches import process_pending
from suxin.dataexchange.v1 import events_pb2 as pb
from suxin_common.messaging.catalog import DATAEXCHANGE
from suxin_common.messaging.relay import OutboxRelay
from suxin_common.messaging.streams import ensure_stream
from suxin_devkit.testing import eventually, fresh_streams, scalar

from .conftest import (
    EDUCATION,
    EMPLOYER,
    SOCIAL_INSURANCE,
    bearer,
    csv_bytes,
    facts_published,
    jsonl_bytes,
    manifest,
    person,
    send,
    send_and_apply,
)

pytestmark = pytest.mark.integration

HEADER = ["resident_id", "uscc", "enrolled_on", "ended_on", "district_code"]


async def _all_database_text(runtime) -> str:
    """Every row of every table of the service's database, as text (bytea as its bytes)."""
    async with runtime.engine.connect() as conn:
        tables = (
            await conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        ).scalars()
        parts = []
        for table in list(tables):
            rows = await conn.execute(text(f'SELECT t::text FROM "{table}" t'))
            parts.extend(rows.scalars())
        payloads = await conn.execute(text("SELECT payload FROM outbox"))
        parts.extend(bytes(p).decode("latin-1") for p in payloads.scalars())
    return "\n".join(parts)


async def test_raw_resident_ids_are_in_no_table_log_event_or_file(client, runtime, caplog):
    caplog.set_level(logging.DEBUG)
    ids = [person(n) for n in range(31, 36)]
    # A valid ID on a row that fails for another reason, and an invalid one.
    rows = [[i, EMPLOYER, "2026-01-01", "", "321002"] for i in ids[:3]]
    rows.append([ids[3], "bad-uscc", "2026-01-01", "", "321002"])
    broken = ids[4][:-1] + ("0" if ids[4][-1] != "0" else "1")
    rows.append([broken, EMPLOYER, "2026-01-01", "", "321002"])
    data = csv_bytes(HEADER, rows)
    await send_and_apply(
        client,
        runtime,
        SOCIAL_INSURANCE,
        manifest("social_insurance", "si_enrolment", data, 5),
        data,
    )
    # All-or-nothing rejected batch, a single record, and a staff record.
    jl = jsonl_bytes([{"resident_id": ids[0], "education_level": 99}])
    await send_and_apply(
        client,
        runtime,
        EDUCATION,
        manifest("education", "education", jl, 1, format="jsonl", mode="all_or_nothing"),
        jl,
    )
    record = {
        "resident_id": ids[1],
        "education_level": 5,
        "school": "扬州大学",
        "graduation_date": "2024-06-30",
        "full_time": True,
    }
    r = await client.post("/v1/feeds/education/records", json={"record": record}, headers=EDUCATION)
    assert r.status_code == 200
    staff = bearer("hrss_staff", "s1", district="321002")
    r = await client.post(
        "/v1/unemployment-registrations",
        json={"resident_id": ids[2], "residence_district": "321002"},
        headers=staff,
    )
    assert r.status_code == 201 and ids[2] not in r.text

    stored = await _all_database_text(runtime)
    assert await scalar(runtime.engine, "SELECT count(*) FROM facts") == 4  # the data is there
    logged = "\n".join(r.getMessage() for r in caplog.records)
    published = "\n".join(str(e) for e in await facts_published(runtime))
    for raw in [*ids, broken]:
        assert raw not in stored
        assert raw not in logged
        assert raw not in published
    assert await asyncio.to_thread(os.listdir, runtime.settings.spool_dir) == []


async def test_each_change_reaches_jetstream_exactly_once(client, runtime, infra):
    data = csv_bytes(
        HEADER, [[person(n), EMPLOYER, "2026-01-01", "", "321002"] for n in range(40, 47)]
    )
    body = manifest("social_insurance", "si_enrolment", data, 7)
    await send(client, SOCIAL_INSURANCE, body, data)
    await process_pending(runtime)
    again = csv_bytes(
        HEADER + [], [[person(n), EMPLOYER, "2026-01-01", "", "321002"] for n in range(40, 48)]
    )
    await send(
        client, SOCIAL_INSURANCE, manifest("social_insurance", "si_enrolment", again, 8), again
    )
    await process_pending(runtime)  # one new person: one more event, the seven unchanged: none
    assert len(await facts_published(runtime)) == 8

    await fresh_streams(infra.nats_url)
    nc = await nats.connect(infra.nats_url)
    try:
        js = nc.jetstream()
        settings = runtime.settings.model_copy(update={"outbox_poll_interval_s": 0.1})
        await ensure_stream(js, DATAEXCHANGE, settings)
        relays = [OutboxRelay(runtime.engine, js, settings, worker_id=f"r{i}") for i in range(2)]
        stop = asyncio.Event()
        tasks = [asyncio.create_task(r.run(stop)) for r in relays]

        async def all_sent() -> bool:
            pending = await scalar(
                runtime.engine, "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            return pending == 0

        try:
            await eventually(all_sent)
        finally:
            stop.set()
            await asyncio.gather(*tasks)
        info = await js.stream_info(DATAEXCHANGE.name)
        assert info.state.messages == 8
        sub = await js.pull_subscribe("suxin.dataexchange.fact_verified.v1", "probe")
        messages = await sub.fetch(8, timeout=5)
        keys = sorted(pb.FactVerified.FromString(m.data).fact_key for m in messages)
        assert len(set(keys)) == 8
        assert all(m.headers["ce-type"] == "suxin.dataexchange.fact_verified.v1" for m in messages)
    finally:
        await nc.close()
