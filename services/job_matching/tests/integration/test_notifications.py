"""站内消息: events that concern a person land in their inbox exactly once (also redelivered,
re-published, and across a consumer restart mid-stream, on real NATS JetStream), with Chinese
title and body, a link, cursor paging and read state; nobody sees another's notices."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import UTC, datetime

import nats
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from job_matching.app import create_app
from job_matching.consumers import NOTICES as NOTICE_SUBSCRIPTIONS
from job_matching.consumers import SUBSCRIPTIONS
from job_matching.settings import Settings
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin_common.auth import Role, mint_dev_token
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import ConsumerRunner
from suxin_common.messaging.streams import ensure_stream
from suxin_devkit.testing import (
    api_client,
    consumer_settled,
    eventually,
    fresh_streams,
    headers_for,
    scalar,
    service_runtime,
)

pytestmark = pytest.mark.integration
A, B = "pk_" + "a" * 32, "pk_" + "b" * 32
T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
BY_MESSAGE = {sub.event.message: sub for sub in NOTICE_SUBSCRIPTIONS}


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "job-matching", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


def person(runtime, key: str | None, subject: str) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, subject, [Role.SEEKER], person_key=key)
    return {"Authorization": f"Bearer {token}"}


def _ts(at: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(at)
    return stamp


def case_decided(key: str, approved: bool = True) -> subsidy.SubsidyCaseDecided:
    return subsidy.SubsidyCaseDecided(
        case_id=str(uuid.uuid4()),
        rule_family="hiring_absorption",
        person_key=key,
        enterprise_uscc="91321000MA1XXXXX18",
        decision=subsidy.DECISION_APPROVED if approved else subsidy.DECISION_REJECTED,
        decided_at=_ts(T0),
    )


def claim_paid(key: str) -> insurance.ClaimStageChanged:
    return insurance.ClaimStageChanged(
        claim_id=str(uuid.uuid4()),
        person_key=key,
        stage=insurance.CLAIM_STAGE_PAID,
        amount_fen=1_500_000,
        changed_at=_ts(T0),
    )


def card(key: str) -> talent.CardIssued:
    return talent.CardIssued(
        card_id=str(uuid.uuid4()), person_key=key, level=talent.CARD_LEVEL_B, proactive=True
    )


async def deliver(runtime, event, event_id: str | None = None) -> str:
    """What the consumer runner does with one message (translate, handle, commit)."""
    subscription = BY_MESSAGE[type(event)]
    event_id = event_id or str(uuid.uuid4())
    meta = EventMeta(
        id=event_id,
        type=subscription.event.subject,
        source="/test",
        subject="x",
        time=T0,
        headers={},
    )
    async with runtime.uow() as uow:
        await subscription.deliver(uow, event, meta)
        await uow.commit()
    return event_id


async def test_each_person_reads_their_own_inbox_once_per_event(runtime, client) -> None:
    decided = case_decided(A)
    event_id = await deliver(runtime, decided)
    await deliver(runtime, decided, event_id)  # redelivered: nothing new
    await deliver(runtime, claim_paid(A))
    await deliver(runtime, card(A))
    await deliver(runtime, claim_paid(B))
    # A case about an enterprise only concerns no person: no notice.
    await deliver(runtime, case_decided(""))
    a, b = person(runtime, A, "user-a"), person(runtime, B, "user-b")

    first = (await client.get("/v1/me/notifications", params={"limit": 2}, headers=a)).json()
    rest = (
        await client.get(
            "/v1/me/notifications", params={"limit": 2, "cursor": first["next_cursor"]}, headers=a
        )
    ).json()
    notices = first["items"] + rest["items"]
    assert rest["next_cursor"] is None and first["unread"] == 3
    assert [n["kind"] for n in notices] == [
        "card_issued",
        "claim_stage_changed",
        "subsidy_case_decided",
    ]
    assert notices[1]["title"] == "理赔进度：已支付" and "15000.00 元" in notices[1]["body"]
    assert notices[2]["title"] == "补贴审核通过" and "吸纳就业补贴" in notices[2]["body"]
    assert notices[2]["link"] == f"/v1/me/subsidy-cases/{decided.case_id}"
    assert notices[2]["service"] == "training-vouchers"
    assert await scalar(runtime.engine, "SELECT count(*) FROM notifications") == 4

    # B sees only B's; marking A's notice read answers 404 and changes nothing.
    [theirs] = (await client.get("/v1/me/notifications", headers=b)).json()["items"]
    assert theirs["kind"] == "claim_stage_changed"
    target = notices[2]["id"]
    assert (await client.post(f"/v1/me/notifications/{target}/read", headers=b)).status_code == 404
    read = await client.post(f"/v1/me/notifications/{target}/read", headers=a)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    again = await client.post(f"/v1/me/notifications/{target}/read", headers=a)
    assert again.json()["read_at"] == read.json()["read_at"]
    unread = (
        await client.get("/v1/me/notifications", params={"unread_only": True}, headers=a)
    ).json()
    assert unread["unread"] == 2 and target not in [n["id"] for n in unread["items"]]

    bad = await client.get("/v1/me/notifications", params={"cursor": "e30"}, headers=a)
    assert bad.status_code == 422 and "cursor" in bad.text
    huge = await client.post("/v1/me/notifications/99999999999999999999/read", headers=a)
    assert huge.status_code == 422
    staff = {"Authorization": f"Bearer {mint_dev_token(runtime.settings, 's', ['hrss_staff'])}"}
    assert (await client.get("/v1/me/notifications", headers=staff)).status_code == 403


@contextlib.asynccontextmanager
async def running(runtime, nats_url: str):
    """job-matching's real consumer runner, waited for until bound on every stream it reads."""
    settings = runtime.settings.model_copy(
        update={
            "consumer_fetch_timeout_s": 0.5,
            "consumer_backoff_s": [0.05],
            # What the stopped runner fetched but never acked comes back soon after.
            "consumer_ack_wait_s": 2.0,
        }
    )
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    runner = ConsumerRunner(js, runtime.sessions, settings, SUBSCRIPTIONS, source=runtime.source)
    for spec in runner.streams:
        await ensure_stream(js, spec, settings)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))

    async def bound() -> bool:
        for spec in runner.streams:
            try:
                await js.consumer_info(spec.name, runner.consumer)
            except nats.js.errors.NotFoundError:
                return False
        return True

    try:
        await eventually(bound, within=10)
        yield js, runner
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await nc.close()


async def publish(js, event, event_id: str, *, msg_id: str | None = None) -> None:
    subject = BY_MESSAGE[type(event)].event.subject
    headers = headers_for(event_id, subject) | {"Nats-Msg-Id": msg_id or event_id}
    await js.publish(subject, event.SerializeToString(), headers=headers)


async def test_every_notice_arrives_once_across_a_consumer_restart(runtime, infra) -> None:
    await fresh_streams(infra.nats_url)
    events = [(case_decided(A), str(uuid.uuid4())) for _ in range(6)]
    events += [(claim_paid(A), str(uuid.uuid4())) for _ in range(6)]
    count = "SELECT count(*) FROM notifications WHERE person_key = :k"
    async with running(runtime, infra.nats_url) as (js, runner):
        for event, event_id in events[:6]:
            await publish(js, event, event_id)
        await eventually(lambda: consumer_settled(js, runner))
        # The rest is published while the consumer works through it; it stops mid-stream.
        for event, event_id in events[6:]:
            await publish(js, event, event_id)
    handled_before_restart = await scalar(runtime.engine, count, k=A)
    assert 6 <= handled_before_restart <= 12
    async with running(runtime, infra.nats_url) as (js, runner):
        # After the restart: the same events re-published past the duplicate window.
        for event, event_id in events[:3]:
            await publish(js, event, event_id, msg_id=str(uuid.uuid4()))
        await eventually(lambda: consumer_settled(js, runner))
    assert await scalar(runtime.engine, count, k=A) == len(events)
    distinct = "SELECT count(DISTINCT event_id) FROM notifications WHERE person_key = :k"
    assert await scalar(runtime.engine, distinct, k=A) == len(events)


def sse_events(text: str) -> list[dict]:
    """The events of a Server-Sent Events body (comments and retry lines skipped)."""
    events = []
    for frame in text.split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in frame.splitlines() if line and not line.startswith(":")
        )
        if "id" in fields:
            events.append(fields)
    return events


async def test_the_live_stream_resumes_after_the_last_event_id(runtime) -> None:
    short = runtime.settings.model_copy(
        update={"notification_stream_seconds": 0.3, "notification_poll_seconds": 0.1}
    )
    # The routes read the runtime's settings (the lifespan builds the runtime from the app's):
    # short connections there too, or each stream lasts the default 55 s.
    runtime.settings = short
    async with api_client(create_app(short), runtime) as client:
        for event in (case_decided(A), claim_paid(A), claim_paid(B)):
            await deliver(runtime, event)
        a = person(runtime, A, "user-a")
        first = await client.get("/v1/me/notifications/stream", headers=a)
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/event-stream")
        seen = sse_events(first.text)
        assert [e["event"] for e in seen] == ["notification", "notification"]
        assert [json.loads(e["data"])["kind"] for e in seen] == [
            "subsidy_case_decided",
            "claim_stage_changed",
        ]
        # Two more arrive while the app is away; it reconnects with the last id it saw.
        later = [await deliver(runtime, card(A)), await deliver(runtime, claim_paid(A))]
        again = await client.get(
            "/v1/me/notifications/stream", headers=a | {"Last-Event-ID": seen[-1]["id"]}
        )
        resumed = sse_events(again.text)
        assert [json.loads(e["data"])["kind"] for e in resumed] == [
            "card_issued",
            "claim_stage_changed",
        ]
        assert len(later) == 2 and int(resumed[0]["id"]) > int(seen[-1]["id"])
        # All ids of the two connections: each notice exactly once.
        ids = [e["id"] for e in seen + resumed]
        assert len(ids) == len(set(ids)) == 4
        bad = await client.get("/v1/me/notifications/stream", headers=a | {"Last-Event-ID": "x1"})
        assert bad.status_code == 422 and "Last-Event-ID" in bad.text
