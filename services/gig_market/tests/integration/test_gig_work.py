"""The market for gig work, walked with a worker's, another worker's and an enterprise's token:
place and time of postings, matches both ways by distance and skills, applications and
invitations, confirmation up to the headcount, completion; nobody sees another's items."""

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from suxin.gig.v1 import events_pb2 as pb
from suxin_devkit.testing import make_uscc

from .conftest import STAFF, bearer

pytestmark = pytest.mark.integration

POSTER = make_uscc(31, region="321002")
AS_POSTER = bearer("enterprise", uscc=POSTER)
AS_OTHER_ENTERPRISE = bearer("enterprise", uscc=make_uscc(32, region="321002"))
WORKER = bearer("seeker", person_key="pk-worker-1")
OTHER_WORKER = bearer("seeker", person_key="pk-worker-2")
UNVERIFIED = bearer("seeker")
# 扬州: 文昌阁, and points about 1.1 km and 25 km from it.
HERE = (32.3942, 119.4330)
NEAR = (32.4040, 119.4330)
FAR = (32.6200, 119.4330)
TODAY = date.today()


async def market_and_posting(client, **posting) -> tuple[dict, dict]:
    market = {
        "name": "扬州市零工市场",
        "level": "city",
        "city_code": "3210",
        "opened_on": "2023-05-01",
    }
    r = await client.post("/v1/gig-markets", json=market, headers=STAFF)
    assert r.status_code == 201, r.text
    body = {
        "title": "仓库装卸工（日结）",
        "occupation_code": "4-02-06-03",
        "district_code": "321002",
        "pay_unit": "day",
        "pay_fen": 20000,
        "headcount": 1,
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + timedelta(days=3)).isoformat(),
        "address": "扬州市广陵区文昌中路 1 号",
        "latitude": HERE[0],
        "longitude": HERE[1],
        "daily_start": "08:00",
        "daily_end": "17:00",
        "skills": ["装卸", "叉车"],
    } | posting
    r = await client.post(
        f"/v1/gig-markets/{r.json()['id']}/postings", json=body, headers=AS_POSTER
    )
    assert r.status_code == 201, r.text
    return market, r.json()


async def profile(client, headers, point, skills, **extra) -> dict:
    body = {
        "display_name": "王师傅",
        "skills": skills,
        "district_code": "321002",
        "latitude": point[0],
        "longitude": point[1],
        "radius_km": 10,
    } | extra
    r = await client.put("/v1/me/gig-profile", json=body, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def announced(runtime) -> list[pb.GigApplicationChanged]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT payload FROM outbox "
                "WHERE subject = 'suxin.gig.gig_application_changed.v1' ORDER BY created_at"
            )
        )
        return [pb.GigApplicationChanged.FromString(bytes(p)) for p in rows.scalars()]


async def test_a_worker_applies_the_poster_confirms_and_completes(client, runtime):
    _, posting = await market_and_posting(client)
    assert posting["latitude"] == HERE[0] and posting["skills"] == ["装卸", "叉车"]
    assert posting["daily_start"] == "08:00:00"

    # Without a profile, a worker cannot apply; an unverified login cannot take gig work.
    url = f"/v1/gig-postings/{posting['id']}/applications"
    r = await client.post(url, headers=WORKER)
    assert r.status_code == 409 and r.json()["code"] == "gig-profile-missing"
    assert (await client.put("/v1/me/gig-profile", json={}, headers=UNVERIFIED)).status_code == 422
    assert (await client.get("/v1/me/gig-profile", headers=UNVERIFIED)).status_code == 404
    r = await client.put(
        "/v1/me/gig-profile",
        json={
            "display_name": "王",
            "skills": ["装卸"],
            "district_code": "321002",
            "latitude": NEAR[0],
            "longitude": NEAR[1],
        },
        headers=UNVERIFIED,
    )
    assert r.status_code == 403
    assert (await client.get("/v1/me/gig-profile", headers=WORKER)).status_code == 404

    mine = await profile(client, WORKER, NEAR, ["装卸"])
    again = await profile(client, WORKER, NEAR, ["装卸", "搬运"])
    assert again["id"] == mine["id"] and again["skills"] == ["装卸", "搬运"]

    # The worker finds the posting among their matches: distance, matched skills, score.
    r = await client.get("/v1/me/gig-matches", headers=WORKER)
    [match] = r.json()
    assert match["posting"]["id"] == posting["id"]
    assert 1000 < match["distance_m"] < 1200 and match["matched_skills"] == ["装卸"]
    # Anyone can look around a point; far away there is nothing.
    r = await client.get(
        "/v1/gig-postings/nearby",
        params={"latitude": NEAR[0], "longitude": NEAR[1], "skill": "叉车"},
        headers=OTHER_WORKER,
    )
    assert [m["posting"]["id"] for m in r.json()] == [posting["id"]]
    r = await client.get(
        "/v1/gig-postings/nearby",
        params={"latitude": FAR[0], "longitude": FAR[1], "radius_km": 5},
        headers=WORKER,
    )
    assert r.json() == []

    r = await client.post(url, headers=WORKER)
    assert r.status_code == 201, r.text
    application = r.json()
    assert application["status"] == "applied" and application["invited"] is False
    assert (await client.post(url, headers=WORKER)).status_code == 409
    assert (await client.post(url, headers=AS_POSTER)).status_code == 403

    # Mine, and nobody else's.
    r = await client.get("/v1/me/gig-applications", headers=WORKER)
    assert [a["posting_title"] for a in r.json()["items"]] == ["仓库装卸工（日结）"]
    r = await client.get(f"/v1/me/gig-applications/{application['id']}", headers=OTHER_WORKER)
    assert r.status_code == 404
    r = await client.post(
        f"/v1/me/gig-applications/{application['id']}/withdraw", headers=OTHER_WORKER
    )
    assert r.status_code == 404
    assert (await client.get("/v1/me/gig-applications", headers=OTHER_WORKER)).json()["items"] == []

    # The poster sees the applicant's gig profile (name shown, skills, distance), never more;
    # another enterprise sees nothing of the posting's applicants.
    apps = f"/v1/gig-postings/{posting['id']}/applications"
    r = await client.get(apps, headers=AS_POSTER)
    [seen] = r.json()["items"]
    assert seen["display_name"] == "王师傅" and 1000 < seen["distance_m"] < 1200
    assert "person_key" not in seen
    assert (await client.get(apps, headers=AS_OTHER_ENTERPRISE)).status_code == 404
    decide = f"/v1/gig-applications/{application['id']}"
    assert (await client.post(f"{decide}/confirm", headers=AS_OTHER_ENTERPRISE)).status_code == 404
    assert (await client.post(f"{decide}/confirm", headers=WORKER)).status_code == 403

    # Completing before confirming is refused; then confirm, complete.
    r = await client.post(f"{decide}/complete", headers=AS_POSTER)
    assert r.status_code == 409 and r.json()["code"] == "transition-not-allowed"
    r = await client.post(f"{decide}/confirm", headers=AS_POSTER)
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = await client.post(f"{decide}/complete", headers=AS_POSTER)
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert (await client.post(f"{decide}/bogus", headers=AS_POSTER)).status_code == 422

    events = await announced(runtime)
    assert [e.status for e in events] == [
        pb.GIG_APPLICATION_STATUS_APPLIED,
        pb.GIG_APPLICATION_STATUS_CONFIRMED,
        pb.GIG_APPLICATION_STATUS_COMPLETED,
    ]
    assert [e.version for e in events] == [1, 2, 3]
    assert {e.person_key for e in events} == {"pk-worker-1"}
    assert {e.poster_uscc for e in events} == {POSTER}


async def test_the_poster_invites_a_matched_worker_and_the_headcount_holds(client, runtime):
    _, posting = await market_and_posting(client, skills=["叉车"])
    near = await profile(client, WORKER, NEAR, ["叉车", "装卸"])
    await profile(client, OTHER_WORKER, NEAR, ["焊工"])  # no skill asked for
    r = await client.get(f"/v1/gig-postings/{posting['id']}/matches", headers=AS_POSTER)
    assert [m["profile_id"] for m in r.json()] == [near["id"]]
    assert r.json()[0]["matched_skills"] == ["叉车"]
    r = await client.get(f"/v1/gig-postings/{posting['id']}/matches", headers=AS_OTHER_ENTERPRISE)
    assert r.status_code == 404

    invite = f"/v1/gig-postings/{posting['id']}/invitations"
    r = await client.post(invite, json={"profile_id": near["id"]}, headers=AS_POSTER)
    assert r.status_code == 201 and r.json()["status"] == "invited"
    invitation = r.json()
    r = await client.post(invite, json={"profile_id": near["id"]}, headers=AS_POSTER)
    assert r.status_code == 409
    r = await client.post(invite, json={"profile_id": near["id"]}, headers=AS_OTHER_ENTERPRISE)
    assert r.status_code == 404

    # The poster may not confirm an invitation the worker has not accepted.
    decide = f"/v1/gig-applications/{invitation['id']}"
    assert (await client.post(f"{decide}/confirm", headers=AS_POSTER)).status_code == 409
    r = await client.post(f"/v1/me/gig-applications/{invitation['id']}/accept", headers=WORKER)
    assert r.status_code == 200 and r.json()["status"] == "applied"
    assert (await client.post(f"{decide}/confirm", headers=AS_POSTER)).status_code == 200

    # One place: the second applicant cannot be confirmed once it is taken.
    other = await client.post(
        f"/v1/gig-postings/{posting['id']}/applications", headers=OTHER_WORKER
    )
    assert other.status_code == 201
    r = await client.post(f"/v1/gig-applications/{other.json()['id']}/confirm", headers=AS_POSTER)
    assert r.status_code == 409 and r.json()["code"] == "headcount-filled"
    r = await client.post(f"/v1/gig-applications/{other.json()['id']}/decline", headers=AS_POSTER)
    assert r.json()["status"] == "declined"
    # A worker steps back even once confirmed; the place is free again.
    r = await client.post(f"/v1/me/gig-applications/{invitation['id']}/withdraw", headers=WORKER)
    assert r.json()["status"] == "withdrawn"

    # A closed posting takes no more applications.
    await client.post(f"/v1/gig-postings/{posting['id']}/close", headers=AS_POSTER)
    await profile(client, bearer("seeker", person_key="pk-3"), NEAR, ["叉车"])
    r = await client.post(
        f"/v1/gig-postings/{posting['id']}/applications",
        headers=bearer("seeker", person_key="pk-3"),
    )
    assert r.status_code == 409 and r.json()["code"] == "posting-closed"
    assert [e.invited for e in await announced(runtime)][:1] == [True]


async def test_work_that_has_not_started_cannot_be_completed(client):
    start = TODAY + timedelta(days=2)
    _, posting = await market_and_posting(
        client, starts_on=start.isoformat(), ends_on=start.isoformat()
    )
    await profile(client, WORKER, NEAR, ["装卸"])
    a = (await client.post(f"/v1/gig-postings/{posting['id']}/applications", headers=WORKER)).json()
    await client.post(f"/v1/gig-applications/{a['id']}/confirm", headers=AS_POSTER)
    r = await client.post(f"/v1/gig-applications/{a['id']}/complete", headers=AS_POSTER)
    assert r.status_code == 409 and r.json()["code"] == "not-started"


async def test_posting_place_and_hours_are_validated(client):
    market = (
        await client.post(
            "/v1/gig-markets",
            json={
                "name": "仪征零工市场",
                "level": "city",
                "city_code": "3210",
                "opened_on": "2023-05-01",
            },
            headers=STAFF,
        )
    ).json()
    base = {
        "title": "保洁",
        "occupation_code": "4-10-06-01",
        "district_code": "321002",
        "pay_unit": "hour",
        "pay_fen": 2500,
        "headcount": 2,
        "starts_on": TODAY.isoformat(),
        "ends_on": TODAY.isoformat(),
    }
    url = f"/v1/gig-markets/{market['id']}/postings"
    for bad, field in (
        ({"latitude": 32.4}, "longitude"),
        ({"latitude": 132.4, "longitude": 119.4}, "latitude"),
        ({"daily_start": "18:00", "daily_end": "08:00"}, "daily_end"),
        ({"skills": [""]}, "skills"),
    ):
        r = await client.post(url, json=base | bad, headers=AS_POSTER)
        assert r.status_code == 422, (bad, r.text)
        assert field in str(r.json()["errors"]), (bad, r.json())


async def test_stations_are_found_by_distance_with_their_opening_hours(client):
    station = {
        "name": "文昌阁零工驿站",
        "district_code": "321002",
        "address": "扬州市广陵区文昌中路 2 号",
        "latitude": HERE[0],
        "longitude": HERE[1],
        "opening_hours": [
            {"days": [1, 2, 3, 4, 5], "opens": "08:30", "closes": "17:30"},
            {"days": [6], "opens": "09:00", "closes": "12:00"},
        ],
        "services": ["求职登记", "政策咨询"],
        "phone": "0514-87654321",
    }
    assert (await client.post("/v1/gig-stations", json=station, headers=WORKER)).status_code == 403
    r = await client.post("/v1/gig-stations", json=station, headers=STAFF)
    assert r.status_code == 201, r.text
    assert (await client.post("/v1/gig-stations", json=station, headers=STAFF)).status_code == 409
    far = station | {"name": "宝应零工驿站", "latitude": FAR[0], "longitude": FAR[1]}
    assert (await client.post("/v1/gig-stations", json=far, headers=STAFF)).status_code == 201
    bad = station | {
        "name": "x站",
        "opening_hours": [{"days": [1], "opens": "18:00", "closes": "08:00"}],
    }
    r = await client.post("/v1/gig-stations", json=bad, headers=STAFF)
    assert r.status_code == 422
    r = await client.post(
        "/v1/gig-stations",
        json=station | {"name": "苏州站", "district_code": "320505"},
        headers=bearer("hrss_staff", district="3210"),
    )
    assert r.status_code == 403  # outside the caller's district

    # Monday 10:00 and Saturday 14:00 in 扬州 (2026-11-30 is a Monday).
    near = {"latitude": NEAR[0], "longitude": NEAR[1], "radius_km": 5}
    r = await client.get(
        "/v1/gig-stations",
        params=near | {"open_at": "2026-11-30T10:00:00+08:00"},
        headers=WORKER,
    )
    [found] = r.json()
    assert found["name"] == "文昌阁零工驿站" and found["open_now"] is True
    assert 1000 < found["distance_m"] < 1200
    r = await client.get(
        "/v1/gig-stations",
        params=near | {"open_at": "2026-12-05T14:00:00+08:00"},
        headers=WORKER,
    )
    assert r.json()[0]["open_now"] is False
    r = await client.get(
        "/v1/gig-stations",
        params={"latitude": NEAR[0], "longitude": NEAR[1], "radius_km": 50},
        headers=WORKER,
    )
    assert [s["name"] for s in r.json()] == ["文昌阁零工驿站", "宝应零工驿站"]
    assert (
        await client.get(
            "/v1/gig-stations", params={"latitude": 95, "longitude": 1}, headers=WORKER
        )
    ).status_code == 422
