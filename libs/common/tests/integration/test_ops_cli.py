"""`suxin ops dead-letters`: list, replay and discard many dead letters at once through the
service's admin API (suxin_common.ops_cli on an app with the real runner, NATS and PostgreSQL);
`suxin ops requeue` and `suxin ops streams` on a real database and NATS."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import nats
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from suxin_common import cli, operate, ops_cli
from suxin_common.auth import Authenticator, mint_dev_token
from suxin_common.messaging.admin import router
from suxin_common.messaging.catalog import STREAMS, event_type_for_subject
from suxin_common.web import install_problem_handlers
from suxin_devkit.testing import (
    api_client,
    consumer_settled,
    eventually,
    headers_for,
    hire_event,
    message_subscription,
    platform_database,
    running_consumers,
    scalar,
    settings_for,
)

pytestmark = pytest.mark.integration
HIRE = event_type_for_subject("suxin.hiring.hire_recorded.v1")


@contextlib.asynccontextmanager
async def service(infra, handler):
    url, engine = await platform_database(infra, "opscli")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effects (hire_id text NOT NULL)"))
    settings = settings_for(url, infra.nats_url, consumer_max_deliver=2)
    runtime = SimpleNamespace(
        settings=settings, sessions=async_sessionmaker(engine), source="/test", consumers=None
    )
    app = FastAPI()
    app.state.settings = settings
    app.state.authenticator = Authenticator(settings)
    install_problem_handlers(app)
    app.include_router(router)
    try:
        async with running_consumers(
            runtime, [message_subscription(HIRE, handler)], infra.nats_url, consumer_max_deliver=2
        ) as (js, runner):
            runtime.consumers = runner
            async with api_client(app, runtime) as client:
                token = mint_dev_token(settings, subject="op-1", roles=["ops"])
                client.headers["Authorization"] = f"Bearer {token}"
                yield js, engine, runner, client
    finally:
        await engine.dispose()


def args(action: str, *, ids=(), all_=False, json_=False) -> argparse.Namespace:  # noqa: ANN001
    return argparse.Namespace(
        action=action, url="", subject=None, ids=list(ids), all=all_, token=None, json=json_
    )


async def test_dead_letters_listed_replayed_and_discarded_in_bulk(infra, capsys):
    broken = {"yes": True}

    async def handler(uow, event, meta):
        if broken["yes"] and event.person_key.startswith("pk-bad"):
            raise RuntimeError("bug in the handler")
        await uow.session.execute(
            text("INSERT INTO effects (hire_id) VALUES (:h)"), {"h": event.hire_id}
        )

    async with service(infra, handler) as (js, engine, runner, client):
        bad = [hire_event(i) for i in range(1, 6)]
        for e in bad:
            e.person_key = f"pk-bad-{e.hire_id}"
            await js.publish(
                HIRE.subject, e.SerializeToString(), headers=headers_for(str(uuid.uuid4()))
            )
        await js.publish(HIRE.subject, b"\xff\xfe junk", headers=headers_for("ev-junk"))
        await eventually(lambda: _count_is(engine, "SELECT count(*) FROM dead_letters", 6))
        await eventually(lambda: consumer_settled(js, runner))
        assert await scalar(engine, "SELECT count(*) FROM effects") == 0

        # list: every letter, one line each.
        assert await ops_cli.run_dead_letters(client, args("list", json_=True)) == 0
        listed = [line for line in capsys.readouterr().out.splitlines() if line]
        assert len(listed) == 6
        letters = await operate.list_dead_letters(client)
        junk = next(item["id"] for item in letters if item["event_id"] == "ev-junk")

        # replay --all before the fix: every replay fails, every letter is kept.
        assert await ops_cli.run_dead_letters(client, args("replay", all_=True)) == 1
        assert "0 failed" not in capsys.readouterr().out
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 6

        # After the fix: the five are replayed once each; the undecodable one cannot be.
        broken["yes"] = False
        assert await ops_cli.run_dead_letters(client, args("replay", all_=True)) == 1
        out = capsys.readouterr()
        assert "5 replayed; 1 failed" in out.out
        assert f"{junk}: failed (422" in out.err
        assert await scalar(engine, "SELECT count(*) FROM effects") == 5
        assert await scalar(engine, "SELECT count(DISTINCT hire_id) FROM effects") == 5

        # discard the junk by id; an unknown id is refused before anything is done.
        assert await ops_cli.run_dead_letters(client, args("discard", ids=[junk, 10**9])) == 1
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 1
        assert await ops_cli.run_dead_letters(client, args("discard", ids=[junk])) == 0
        assert "1 discarded; 0 failed" in capsys.readouterr().out
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0
        assert await operate.list_dead_letters(client) == []


async def test_requeue_marks_kept_rows_since_a_time_and_streams_are_recreated(infra, capsys):
    url, engine = await platform_database(infra, "opsrequeue")
    now = datetime.now(UTC)
    async with engine.begin() as conn:
        for i, age_h in enumerate((30, 2, 1)):
            await conn.execute(
                text(
                    "INSERT INTO outbox (id, subject, ce_type, ce_source, ce_subject, payload,"
                    " created_at, published_at) VALUES (:id, :s, 't', '/x', :k, '\\x00',"
                    " :at, :at)"
                ),
                {
                    "id": uuid.uuid4(),
                    "s": HIRE.subject,
                    "k": f"h{i}",
                    "at": now - timedelta(hours=age_h),
                },
            )
    try:
        since = operate.parse_since("6h", now)
        assert await operate.requeue_outbox(url, since) == 2
        state = await operate.outbox_state(url)
        assert state["unpublished"] == 2 and state["kept_rows"] == 3
        assert state["oldest_unpublished_age_s"] >= 2 * 3600 - 60
        # The command line, on two databases at once (the second has nothing to requeue).
        other, other_engine = await platform_database(infra, "opsrequeue2")
        await other_engine.dispose()
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE outbox SET published_at = now()"))
        argv = ["ops", "requeue", "--database-url", url, "--database-url", other, "--since", "3h"]
        assert await asyncio.to_thread(cli.main, argv) == 0
        out = capsys.readouterr().out
        assert "2 outbox row(s) queued" in out and "0 outbox row(s) queued" in out
        assert "2 outbox row(s) created since" in out
        assert await asyncio.to_thread(cli.main, ["ops", "requeue", "--since", "yesterday"]) == 2
    finally:
        await engine.dispose()
    with pytest.raises(ValueError, match="offset"):
        operate.parse_since("2026-12-07T01:00:00", now)

    nc = await nats.connect(infra.nats_url)
    try:
        js = nc.jetstream()
        with contextlib.suppress(Exception):
            await js.delete_stream("SUXIN_GIG")
        names = await operate.ensure_streams(infra.nats_url)
        assert names == [s.name for s in STREAMS]
        assert (await js.stream_info("SUXIN_GIG")).config.subjects
    finally:
        await nc.close()


async def _count_is(engine, sql: str, n: int) -> bool:
    return await scalar(engine, sql) == n
