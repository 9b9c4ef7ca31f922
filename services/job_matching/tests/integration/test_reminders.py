"""到期提醒: the sweep reminds a seeker of a 招聘会 they registered for and an enterprise of a
booth with no open post — once per (recipient, object, deadline), not before the lead time,
not after the action (check-in, an open post) is taken, and not again on a second or a
concurrent sweep (a restart or another replica)."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from job_matching.app import create_app
from job_matching.handlers import reminders
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_uscc

pytestmark = pytest.mark.integration
ENT = make_uscc(81, region="321002")
TODAY = date.today()


def bearer(roles: list[str], sub: str, **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(ServiceSettings(), sub, roles, **claims)}"}


STAFF = bearer(["hrss_staff"], "staff-r", district="3210")
AS_ENT = bearer(["enterprise"], "ent-hr", uscc=ENT)
SEEKER_A = bearer(["seeker"], "rem-a", person_key="pk-rem-a")
SEEKER_B = bearer(["seeker"], "rem-b", person_key="pk-rem-b")


@pytest.fixture(scope="module")
async def jm(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_reminders", Settings, create_app
    ) as c:
        r = await c.post(
            "/v1/enterprises",
            headers=STAFF,
            json={
                "uscc": ENT,
                "name": "扬州提醒机械",
                "city_code": "3210",
                "district_code": "321002",
                "industry_code": "C",
                "size": "small",
            },
        )
        assert r.status_code == 201, r.text
        yield c


async def open_post(jm) -> str:
    r = await jm.post(
        "/v1/job-posts",
        headers=AS_ENT,
        json={
            "enterprise_uscc": ENT,
            "title": "装配钳工",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 2,
            "wage_min_fen": 500000,
            "wage_max_fen": 700000,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def new_fair(jm, name: str, mode: str, starts: int, ends: int) -> str:
    body = {
        "name": name,
        "mode": mode,
        "theme": "general",
        "city_code": "3210",
        "district_code": "321002",
        "starts_on": (TODAY + timedelta(days=starts)).isoformat(),
        "ends_on": (TODAY + timedelta(days=ends)).isoformat(),
    } | (
        {"link": "https://jobs.example.cn/f"}
        if mode == "online"
        else {"venue": "扬州市人力资源市场"}
    )
    r = await jm.post("/v1/job-fairs", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def register(jm, fair_id: str, who) -> str:
    r = await jm.post(f"/v1/job-fairs/{fair_id}/registrations", headers=who)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def reminders_in(jm, headers, path="/v1/me/notifications") -> list[dict]:
    r = await jm.get(path, headers=headers)
    assert r.status_code == 200, r.text
    return [n for n in r.json()["items"] if n["kind"] == "deadline_reminder"]


async def test_a_reminder_before_the_deadline_once_and_not_after_the_action(jm):
    runtime = jm._transport.app.state.runtime
    later = await new_fair(jm, "扬州市春风行动现场招聘会", "onsite", 3, 3)
    now_on = await new_fair(jm, "扬州市网络招聘会", "online", 0, 1)
    a_later = await register(jm, later, SEEKER_A)
    await register(jm, later, SEEKER_B)
    a_now = await register(jm, now_on, SEEKER_A)
    b_now = await register(jm, now_on, SEEKER_B)
    # The action taken: A checks in at the online fair.
    r = await jm.post(f"/v1/me/job-fair-registrations/{a_now}/check-in", headers=SEEKER_A)
    assert r.status_code == 200, r.text
    # Booths: the one at the later fair shows a post that is then closed; the other an open one.
    closed, still_open = await open_post(jm), await open_post(jm)
    for fair_id, post in ((later, closed), (now_on, still_open)):
        r = await jm.put(
            f"/v1/job-fairs/{fair_id}/booth", json={"job_post_ids": [post]}, headers=AS_ENT
        )
        assert r.status_code == 200, r.text
    r = await jm.post(f"/v1/job-posts/{closed}/status", json={"status": "closed"}, headers=AS_ENT)
    assert r.status_code == 200, r.text

    # Today, 2 days' lead: the later fair is 3 days off (not yet); only B, not checked in, is
    # reminded of the fair under way.
    await reminders.sweep(runtime, today=TODAY, lead_days=2)
    assert await reminders_in(jm, SEEKER_A) == []
    [b_reminder] = await reminders_in(jm, SEEKER_B)
    assert b_reminder["title"] == "招聘会提醒：扬州市网络招聘会今天起举办"
    assert "签到" in b_reminder["body"]
    assert b_reminder["link"] == f"/v1/me/job-fair-registrations/{b_now}"
    assert (await jm.get(b_reminder["link"], headers=SEEKER_B)).status_code == 200
    assert await reminders_in(jm, AS_ENT, "/v1/enterprise/notifications") == []

    # A day later the later fair is within the lead time; swept twice at once (two replicas)
    # and again: each reminder is there once.
    tomorrow = TODAY + timedelta(days=1)
    await asyncio.gather(*(reminders.sweep(runtime, today=tomorrow, lead_days=2) for _ in "ab"))
    await reminders.sweep(runtime, today=tomorrow, lead_days=2)
    [a_reminder] = await reminders_in(jm, SEEKER_A)
    assert a_reminder["link"] == f"/v1/me/job-fair-registrations/{a_later}"
    assert a_reminder["title"] == "招聘会提醒：扬州市春风行动现场招聘会2天后开幕"
    assert len(await reminders_in(jm, SEEKER_B)) == 2
    [booth] = await reminders_in(jm, AS_ENT, "/v1/enterprise/notifications")
    assert booth["link"] == f"/v1/job-fairs/{later}/booth"
    assert "没有在招岗位" in booth["body"]
