"""Dead letters through the operators' API: list, inspect, replay after a fix, discard; and
inbox pruning and batch commits of the runner."""

from __future__ import annotations

import contextlib
import uuid
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker

from suxin_common.auth import Authenticator, Role, mint_dev_token
from suxin_common.messaging.admin import router
from suxin_common.messaging.catalog import event_type_for_subject
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
async def service_with(infra, handler, **overrides):
    url, engine = await platform_database(infra, "dlq")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE effects (hire_id text NOT NULL)"))
    settings = settings_for(url, infra.nats_url, consumer_max_deliver=2, **overrides)
    runtime = SimpleNamespace(
        settings=settings,
        sessions=async_sessionmaker(engine),
        source="/test",
        consumers=None,
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
                yield js, engine, runner, client
    finally:
        await engine.dispose()


def auth(settings, *roles: Role) -> dict[str, str]:
    token = mint_dev_token(settings, subject="op-1", roles=list(roles))
    return {"Authorization": f"Bearer {token}"}


async def test_a_failing_event_is_dead_lettered_then_replayed_once_fixed(infra):
    broken = {"yes": True}

    async def handler(uow, event, meta):
        if broken["yes"] and event.person_key == "pk-bad":
            raise RuntimeError("bug in the handler")
        await record(uow, event)

    async with service_with(infra, handler) as (js, engine, runner, client):
        ops = auth(runner._settings, Role.OPS)
        bad = hire_event(1)
        bad.person_key = "pk-bad"
        good = [hire_event(i) for i in range(2, 12)]
        await js.publish(HIRE.subject, bad.SerializeToString(), headers=headers_for("ev-bad"))
        for e in good:
            await js.publish(
                HIRE.subject, e.SerializeToString(), headers=headers_for(str(uuid.uuid4()))
            )
        await eventually(lambda: scalar_is(engine, "SELECT count(*) FROM dead_letters", 1))
        await eventually(lambda: consumer_settled(js, runner))
        assert await effects(engine) == sorted(e.hire_id for e in good)

        # Only operators may look.
        assert (await client.get("/v1/admin/dead-letters")).status_code == 401
        seeker = auth(runner._settings, Role.SEEKER)
        assert (await client.get("/v1/admin/dead-letters", headers=seeker)).status_code == 403

        page = (await client.get("/v1/admin/dead-letters", headers=ops)).json()
        assert [item["event_id"] for item in page["items"]] == ["ev-bad"]
        letter = page["items"][0]
        assert "bug in the handler" in letter["error"] and letter["deliveries"] == 2
        detail = (await client.get(f"/v1/admin/dead-letters/{letter['id']}", headers=ops)).json()
        assert detail["payload"]["hire_id"] == bad.hire_id

        # Replaying before the fix fails and keeps the letter.
        response = await client.post(f"/v1/admin/dead-letters/{letter['id']}/replay", headers=ops)
        assert response.status_code == 409
        assert response.headers["content-type"].startswith("application/problem+json")
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 1

        broken["yes"] = False
        response = await client.post(f"/v1/admin/dead-letters/{letter['id']}/replay", headers=ops)
        assert response.json() == {"id": letter["id"], "outcome": "replayed"}
        assert await effects(engine) == sorted([bad.hire_id] + [e.hire_id for e in good])
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0
        assert (
            await client.post(f"/v1/admin/dead-letters/{letter['id']}/replay", headers=ops)
        ).status_code == 404


async def test_undecodable_letters_cannot_be_replayed_but_can_be_discarded(infra):
    async def handler(uow, event, meta):
        pass

    async with service_with(infra, handler) as (js, engine, runner, client):
        ops = auth(runner._settings, Role.OPS)
        await js.publish(HIRE.subject, b"\xff\xfe junk", headers=headers_for("ev-junk"))
        await eventually(lambda: scalar_is(engine, "SELECT count(*) FROM dead_letters", 1))
        letter = (await client.get("/v1/admin/dead-letters", headers=ops)).json()["items"][0]
        detail = (await client.get(f"/v1/admin/dead-letters/{letter['id']}", headers=ops)).json()
        assert detail["payload"] is None and detail["payload_base64"]
        response = await client.post(f"/v1/admin/dead-letters/{letter['id']}/replay", headers=ops)
        assert response.status_code == 422
        response = await client.delete(f"/v1/admin/dead-letters/{letter['id']}", headers=ops)
        assert response.status_code == 204
        assert await scalar(engine, "SELECT count(*) FROM dead_letters") == 0
        bad_cursor = await client.get("/v1/admin/dead-letters?cursor=%%%", headers=ops)
        assert bad_cursor.status_code == 422


async def test_a_batch_commits_together_and_a_failure_falls_back_to_one_by_one(infra):
    async def handler(uow, event, meta):
        if event.person_key == "pk-poison":
            raise RuntimeError("always fails")
        await record(uow, event)

    async with service_with(infra, handler, consumer_batch_size=50) as (js, engine, runner, _):
        events = [hire_event(i) for i in range(40)]
        events[17].person_key = "pk-poison"
        for e in events:
            await js.publish(
                HIRE.subject, e.SerializeToString(), headers=headers_for(str(uuid.uuid4()))
            )
        await eventually(lambda: scalar_is(engine, "SELECT count(*) FROM dead_letters", 1))
        await eventually(lambda: consumer_settled(js, runner))
        expected = [e.hire_id for i, e in enumerate(events) if i != 17]
        assert await effects(engine) == sorted(expected)
        assert await scalar(engine, "SELECT count(*) FROM inbox") == 39


async def test_inbox_rows_are_pruned_after_the_retention(infra):
    async def handler(uow, event, meta):
        pass

    async with service_with(infra, handler) as (js, engine, runner, _):
        for i in range(5):
            await js.publish(
                HIRE.subject, hire_event(i).SerializeToString(), headers=headers_for(f"ev-{i}")
            )
        await eventually(lambda: scalar_is(engine, "SELECT count(*) FROM inbox", 5))
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "UPDATE inbox SET processed_at = now() - interval '30 days'"
                    " WHERE event_id IN ('ev-0', 'ev-1')"
                )
            )
        assert await runner.prune_inbox(14 * 24 * 3600, batch=1) == 2
        remaining = await scalar(
            engine, "SELECT string_agg(event_id, ',' ORDER BY event_id) FROM inbox"
        )
        assert remaining == "ev-2,ev-3,ev-4"


async def scalar_is(engine, sql: str, expected) -> bool:
    return await scalar(engine, sql) == expected


async def record(uow, event) -> None:
    """The handler's effect, in the handler's transaction (rolled back with it)."""
    await uow.session.execute(
        text("INSERT INTO effects (hire_id) VALUES (:h)"), {"h": event.hire_id}
    )


async def effects(engine) -> list[str]:
    async with engine.connect() as conn:
        return sorted(r[0] for r in await conn.execute(text("SELECT hire_id FROM effects")))
