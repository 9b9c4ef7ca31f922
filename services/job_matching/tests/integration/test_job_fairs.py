"""招聘会 over a real database, walked with staff's, an enterprise's and two seekers' tokens:
online and on-site fairs with their 专场 theme, booths with the enterprise's posts, seekers'
registrations and check-in, and the fair recorded as held (JobFairHeld with its counts)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin.hiring.v1 import events_pb2 as pb
from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_uscc

pytestmark = pytest.mark.integration
SME = make_uscc(61, region="321002")
PLAIN = make_uscc(62, region="321002")
TODAY = date.today()


def bearer(roles: list[str], sub: str, **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(ServiceSettings(), sub, roles, **claims)}"}


STAFF = bearer(["hrss_staff"], "staff-1", district="3210")
NANJING_STAFF = bearer(["hrss_staff"], "staff-2", district="3201")
AS_SME = bearer(["enterprise"], "sme-hr", uscc=SME)
AS_PLAIN = bearer(["enterprise"], "plain-hr", uscc=PLAIN)
SEEKER_A = bearer(["seeker"], "fair-a", person_key="pk-fair-a")
SEEKER_B = bearer(["seeker"], "fair-b", person_key="pk-fair-b")
NO_PROFILE = bearer(["seeker"], "fair-c")


@pytest.fixture(scope="module")
async def jm(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_fairs", Settings, create_app
    ) as c:
        for uscc, name, sme in ((SME, "扬州精工", True), (PLAIN, "扬州商贸", False)):
            r = await c.post(
                "/v1/enterprises",
                headers=STAFF,
                json={
                    "uscc": uscc,
                    "name": name,
                    "city_code": "3210",
                    "district_code": "321002",
                    "industry_code": "C",
                    "size": "small",
                    "specialized_sme": sme,
                },
            )
            assert r.status_code == 201, r.text
        yield c


async def open_post(jm, uscc: str, headers, headcount: int = 3) -> str:
    r = await jm.post(
        "/v1/job-posts",
        headers=headers,
        json={
            "enterprise_uscc": uscc,
            "title": "数控车工",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": headcount,
            "wage_min_fen": 500000,
            "wage_max_fen": 800000,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def fair(**changes) -> dict:
    return {
        "name": "扬州市专精特新企业专场招聘会",
        "mode": "onsite",
        "theme": "specialized_sme",
        "city_code": "3210",
        "district_code": "321002",
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
        "venue": "扬州市人力资源市场（文昌中路）",
    } | changes


async def test_an_onsite_specialized_fair_from_organising_to_held(jm):
    # Organised by staff of the district, with the venue an on-site fair needs.
    assert (await jm.post("/v1/job-fairs", json=fair(), headers=AS_SME)).status_code == 403
    assert (await jm.post("/v1/job-fairs", json=fair(), headers=NANJING_STAFF)).status_code == 403
    r = await jm.post("/v1/job-fairs", json=fair(venue=None), headers=STAFF)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "venue"
    r = await jm.post("/v1/job-fairs", json=fair(), headers=STAFF)
    assert r.status_code == 201, r.text
    f = r.json()
    assert (f["theme_name"], f["status"]) == ("专精特新企业专场", "scheduled")

    # Booths: the 专精特新 enterprise shows its open posts; another enterprise's post, or a
    # plain enterprise at a 专精特新 专场, is refused.
    sme_post = await open_post(jm, SME, AS_SME, headcount=3)
    plain_post = await open_post(jm, PLAIN, AS_PLAIN)
    booth = f"/v1/job-fairs/{f['id']}/booth"
    r = await jm.put(booth, json={"job_post_ids": [plain_post]}, headers=AS_SME)
    assert r.status_code == 422
    r = await jm.put(booth, json={"job_post_ids": [plain_post]}, headers=AS_PLAIN)
    assert r.status_code == 409 and r.json()["code"] == "not-specialized"
    r = await jm.put(booth, json={"job_post_ids": [sme_post]}, headers=AS_SME)
    assert r.status_code == 200, r.text
    assert (r.json()["booth_no"], r.json()["enterprise_name"]) == (1, "扬州精工")
    r = await jm.get(f"/v1/job-fairs/{f['id']}/booths", headers=SEEKER_A)
    assert [p["title"] for p in r.json()[0]["posts"]] == ["数控车工"]

    # Seekers register once each and get a code; one of them is checked in at the door.
    url = f"/v1/job-fairs/{f['id']}/registrations"
    a = await jm.post(url, headers=SEEKER_A)
    assert a.status_code == 201, a.text
    assert (await jm.post(url, headers=SEEKER_A)).status_code == 409
    assert (await jm.post(url, headers=SEEKER_B)).status_code == 201
    r = await jm.post(url, headers=NO_PROFILE)
    assert r.status_code == 409 and r.json()["code"] == "seeker-profile-missing"
    code = a.json()["code"]
    assert len(code) == 8

    # Mine and nobody else's.
    [mine] = (await jm.get("/v1/me/job-fair-registrations", headers=SEEKER_A)).json()["items"]
    assert mine["fair_name"] == f["name"] and mine["code"] == code
    r = await jm.get(f"/v1/me/job-fair-registrations/{a.json()['id']}", headers=SEEKER_B)
    assert r.status_code == 404
    r = await jm.post(f"/v1/me/job-fair-registrations/{a.json()['id']}/check-in", headers=SEEKER_A)
    assert r.status_code == 409 and r.json()["code"] == "check-in-on-site"

    door = f"/v1/job-fairs/{f['id']}/check-ins"
    assert (await jm.post(door, json={"code": "ZZZZZZZZ"}, headers=STAFF)).status_code == 404
    assert (await jm.post(door, json={"code": "bad"}, headers=STAFF)).status_code == 422
    r = await jm.post(door, json={"code": code}, headers=STAFF)
    assert r.status_code == 200 and r.json()["checked_in_at"]
    again = await jm.post(door, json={"code": code}, headers=STAFF)
    assert again.json()["checked_in_at"] == r.json()["checked_in_at"]

    r = await jm.get(f"/v1/job-fairs/{f['id']}", headers=AS_PLAIN)
    assert r.json()["counts"] == {
        "booths": 1,
        "job_posts": 1,
        "positions": 3,
        "registrations": 2,
        "check_ins": 1,
    }

    # Held once, announced once with its counts.
    held = f"/v1/job-fairs/{f['id']}/held"
    r = await jm.post(held, headers=STAFF)
    assert r.status_code == 200 and r.json()["status"] == "held"
    assert (await jm.post(held, headers=STAFF)).status_code == 409
    late = bearer(["seeker"], "fair-d", person_key="pk-fair-d")
    r = await jm.post(url, headers=late)
    assert r.status_code == 409 and r.json()["code"] == "fair-closed"
    engine = create_async_engine(jm.database_url)
    async with engine.connect() as conn:
        payloads = (
            await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = 'suxin.hiring.job_fair_held.v1'")
            )
        ).scalars()
        [event] = [pb.JobFairHeld.FromString(bytes(p)) for p in payloads]
    await engine.dispose()
    assert event.job_fair_id == f["id"] and event.theme == pb.JOB_FAIR_THEME_SPECIALIZED_SME
    assert (event.booths, event.job_posts, event.positions) == (1, 1, 3)
    assert (event.registrations, event.check_ins) == (2, 1)


async def test_an_online_fair_seekers_enter_by_themselves_and_fairs_are_listed(jm):
    online = fair(
        name="高校毕业生网络招聘会",
        mode="online",
        theme="graduates",
        venue=None,
        link="https://jobs.example.cn/fair/2026",
        ends_on=(TODAY + timedelta(days=2)).isoformat(),
    )
    assert (
        await jm.post("/v1/job-fairs", json=online | {"link": None}, headers=STAFF)
    ).status_code == 422
    r = await jm.post("/v1/job-fairs", json=online, headers=STAFF)
    assert r.status_code == 201, r.text
    f = r.json()
    later = fair(
        name="退役军人专场招聘会",
        theme="veterans",
        starts_on=(TODAY + timedelta(days=9)).isoformat(),
        ends_on=(TODAY + timedelta(days=9)).isoformat(),
    )
    assert (await jm.post("/v1/job-fairs", json=later, headers=STAFF)).status_code == 201

    reg = (await jm.post(f"/v1/job-fairs/{f['id']}/registrations", headers=SEEKER_B)).json()
    r = await jm.post(f"/v1/me/job-fair-registrations/{reg['id']}/check-in", headers=SEEKER_A)
    assert r.status_code == 404  # not theirs
    r = await jm.post(f"/v1/me/job-fair-registrations/{reg['id']}/check-in", headers=SEEKER_B)
    assert r.status_code == 200 and r.json()["checked_in_at"]
    # Not over yet: it cannot be recorded as held.
    r = await jm.post(f"/v1/job-fairs/{f['id']}/held", headers=STAFF)
    assert r.status_code == 409 and r.json()["code"] == "not-over"

    r = await jm.get("/v1/job-fairs", params={"theme": "graduates"}, headers=SEEKER_A)
    assert [x["name"] for x in r.json()["items"]] == ["高校毕业生网络招聘会"]
    r = await jm.get(
        "/v1/job-fairs", params={"limit": 1, "from": TODAY.isoformat()}, headers=SEEKER_A
    )
    first = r.json()
    assert first["next_cursor"]
    r = await jm.get(
        "/v1/job-fairs", params={"limit": 50, "cursor": first["next_cursor"]}, headers=SEEKER_A
    )
    assert "退役军人专场招聘会" in [x["name"] for x in r.json()["items"]]
    assert (
        await jm.get("/v1/job-fairs", params={"cursor": "x"}, headers=SEEKER_A)
    ).status_code == 422
    r = await jm.get("/v1/job-fairs", headers=NANJING_STAFF)
    assert r.json()["items"] == []  # staff see their district's fairs
    assert (await jm.get(f"/v1/job-fairs/{f['id']}", headers=NANJING_STAFF)).status_code == 404
