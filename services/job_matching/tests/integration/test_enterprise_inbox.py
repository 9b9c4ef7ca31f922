"""单位消息 and the gig market's notices: a worker's and an enterprise's inbox are built from
the same gig events (each told what needs their attention), job applications and subsidy cases
reach the enterprise, every notice arrives once — also across a consumer restart mid-stream on
real NATS — and no enterprise sees another's notices."""

from __future__ import annotations

import json
import uuid

import pytest

from job_matching.app import create_app
from job_matching.consumers import SUBSCRIPTIONS
from job_matching.settings import Settings
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.auth import Role, mint_dev_token
from suxin_common.messaging.catalog import event_type_of
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit.testing import (
    api_client,
    consumer_settled,
    eventually,
    fresh_streams,
    headers_for,
    make_uscc,
    scalar,
    service_runtime,
)

from .test_notifications import T0, _ts, case_decided, person, running, sse_events

pytestmark = pytest.mark.integration
POSTER = make_uscc(71, region="321002")
OTHER = make_uscc(72, region="320102")
WORKER = "pk_" + "w" * 32


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "job-matching", Settings) as rt:
        yield rt


def enterprise(runtime, uscc: str) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, f"hr-{uscc}", [Role.ENTERPRISE], uscc=uscc)
    return {"Authorization": f"Bearer {token}"}


def gig_changed(
    status: int, version: int, *, invited: bool = False, app_id: str = ""
) -> gig.GigApplicationChanged:
    return gig.GigApplicationChanged(
        application_id=app_id or str(uuid.uuid4()),
        posting_id="5d1e6f0a-0000-4000-8000-000000000001",
        posting_title="仓库装卸工（日结）",
        poster_uscc=POSTER,
        person_key=WORKER,
        status=status,
        invited=invited,
        version=version,
        changed_at=_ts(T0),
    )


def applied_to_post() -> hiring.ApplicationSubmitted:
    return hiring.ApplicationSubmitted(
        application_id=str(uuid.uuid4()),
        job_post_id=str(uuid.uuid4()),
        enterprise_uscc=POSTER,
        person_key=WORKER,
        submitted_at=_ts(T0),
    )


async def publish(js, event, event_id: str, *, msg_id: str | None = None) -> None:
    subject = event_type_of(event).subject
    headers = headers_for(event_id, subject) | {"Nats-Msg-Id": msg_id or event_id}
    await js.publish(subject, event.SerializeToString(), headers=headers)


async def deliver_all(runtime, event, event_id: str | None = None) -> str:
    """Run every subscription of job-matching for the event, as the consumer does."""
    event_id = event_id or str(uuid.uuid4())
    for sub in SUBSCRIPTIONS:
        if sub.event.message is not type(event):
            continue
        meta = EventMeta(
            id=event_id, type=sub.event.subject, source="/t", subject="x", time=T0, headers={}
        )
        async with runtime.uow() as uow:
            await sub.deliver(uow, event, meta)
            await uow.commit()
    return event_id


async def test_the_worker_and_the_poster_are_each_told_what_needs_them(runtime):
    app_id = str(uuid.uuid4())
    S = gig
    walk = [
        gig_changed(S.GIG_APPLICATION_STATUS_INVITED, 1, invited=True, app_id=app_id),
        gig_changed(S.GIG_APPLICATION_STATUS_APPLIED, 2, invited=True, app_id=app_id),
        gig_changed(S.GIG_APPLICATION_STATUS_CONFIRMED, 3, invited=True, app_id=app_id),
        gig_changed(S.GIG_APPLICATION_STATUS_COMPLETED, 4, invited=True, app_id=app_id),
    ]
    ids = [await deliver_all(runtime, e) for e in walk]
    await deliver_all(runtime, walk[2], ids[2])  # redelivered: nothing new
    await deliver_all(runtime, applied_to_post())
    decided = case_decided(WORKER)
    decided.enterprise_uscc = POSTER
    await deliver_all(runtime, decided)

    async with api_client(create_app(runtime.settings), runtime) as client:
        mine = (
            await client.get("/v1/me/notifications", headers=person(runtime, WORKER, "w"))
        ).json()
        worker_titles = [n["title"] for n in mine["items"]]
        # newest first: the subsidy case, then completed, confirmed, invited (not "applied":
        # the worker accepted the invitation themselves)
        assert worker_titles == ["补贴审核通过", "零工已完工", "零工已确认", "零工邀约"]
        assert mine["items"][1]["link"] == f"/v1/me/gig-applications/{app_id}"

        inbox = (
            await client.get("/v1/enterprise/notifications", headers=enterprise(runtime, POSTER))
        ).json()
        assert [n["title"] for n in inbox["items"]] == [
            "补贴审核通过",
            "收到新的求职申请",
            "零工报名",
        ]
        assert inbox["unread"] == 3
        assert "贵单位" in inbox["items"][0]["body"]
        first = inbox["items"][-1]

        other = enterprise(runtime, OTHER)
        assert (await client.get("/v1/enterprise/notifications", headers=other)).json()[
            "items"
        ] == []
        r = await client.post(f"/v1/enterprise/notifications/{first['id']}/read", headers=other)
        assert r.status_code == 404
        r = await client.post(
            f"/v1/enterprise/notifications/{first['id']}/read", headers=enterprise(runtime, POSTER)
        )
        assert r.status_code == 200 and r.json()["read_at"]
        page = (
            await client.get(
                "/v1/enterprise/notifications",
                params={"limit": 2, "unread_only": "true"},
                headers=enterprise(runtime, POSTER),
            )
        ).json()
        assert page["unread"] == 2 and len(page["items"]) == 2
        seeker = person(runtime, WORKER, "w")
        assert (await client.get("/v1/enterprise/notifications", headers=seeker)).status_code == 403


async def test_enterprise_notices_arrive_once_across_a_consumer_restart(runtime, infra):
    await fresh_streams(infra.nats_url)
    events = [(applied_to_post(), str(uuid.uuid4())) for _ in range(5)]
    events += [
        (gig_changed(gig.GIG_APPLICATION_STATUS_APPLIED, 1), str(uuid.uuid4())) for _ in range(5)
    ]
    count = "SELECT count(*) FROM enterprise_notifications WHERE enterprise_uscc = :u"
    async with running(runtime, infra.nats_url) as (js, runner):
        for event, event_id in events[:5]:
            await publish(js, event, event_id)
        await eventually(lambda: consumer_settled(js, runner))
        for event, event_id in events[5:]:
            await publish(js, event, event_id)  # the consumer stops mid-stream
    async with running(runtime, infra.nats_url) as (js, runner):
        for event, event_id in events[:3]:  # re-published past the duplicate window
            await publish(js, event, event_id, msg_id=str(uuid.uuid4()))
        await eventually(lambda: consumer_settled(js, runner))
    assert await scalar(runtime.engine, count, u=POSTER) == len(events)
    # The gig events reached the worker too, once each ("applied" by the worker: no notice).
    worker = "SELECT count(*) FROM notifications WHERE person_key = :k"
    assert await scalar(runtime.engine, worker, k=WORKER) == 0


async def test_the_enterprise_inbox_live_resumes_after_the_last_event_id(runtime):
    uscc = make_uscc(73, region="321002")
    short = runtime.settings.model_copy(
        update={"notification_stream_seconds": 0.3, "notification_poll_seconds": 0.1}
    )
    # The routes read the runtime's settings (the lifespan builds the runtime from the app's):
    # short connections there too, or each stream lasts the default 55 s.
    runtime.settings = short

    def applied() -> hiring.ApplicationSubmitted:
        event = applied_to_post()
        event.enterprise_uscc = uscc
        return event

    async with api_client(create_app(short), runtime) as client:
        mine, url = enterprise(runtime, uscc), "/v1/enterprise/notifications/stream"
        for _ in range(2):
            await deliver_all(runtime, applied())
        first = await client.get(url, headers=mine)
        assert first.status_code == 200
        assert first.headers["content-type"].startswith("text/event-stream")
        seen = sse_events(first.text)
        assert [json.loads(e["data"])["title"] for e in seen] == ["收到新的求职申请"] * 2
        # One more while away; the reconnect with the last id gets exactly that one.
        await deliver_all(runtime, applied())
        again = await client.get(url, headers=mine | {"Last-Event-ID": seen[-1]["id"]})
        resumed = sse_events(again.text)
        assert len(resumed) == 1 and int(resumed[0]["id"]) > int(seen[-1]["id"])
        other = await client.get(url, headers=enterprise(runtime, OTHER))
        assert sse_events(other.text) == []
        bad = await client.get(url, headers=mine | {"Last-Event-ID": "x1"})
        assert bad.status_code == 422
        r = await client.get(url, headers=person(runtime, WORKER, "w"))
        assert r.status_code == 403
