"""Job posts, applications, hires and separations, matching, search and the "131" services,
through the HTTP API on real PostgreSQL: rules, ownership (404 for others'), 409s, events."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin.hiring.v1 import events_pb2 as pb
from suxin_common.auth import mint_dev_token
from suxin_common.privacy import PersonalData
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_resident_id, make_uscc

pytestmark = pytest.mark.integration
ACME = make_uscc(11)
OTHER = make_uscc(12)


def bearer(roles: list[str], sub: str = "tester", **tenant) -> dict[str, str]:
    token = mint_dev_token(ServiceSettings(), sub, roles, **tenant)
    return {"Authorization": f"Bearer {token}"}


def person_key(resident_id: str) -> str:
    return PersonalData.from_settings(Settings(environment="test")).person_key(resident_id)


STAFF = bearer(["hrss_staff"])
ACME_USER = bearer(["enterprise"], sub="acme-hr", uscc=ACME)
OTHER_USER = bearer(["enterprise"], sub="other-hr", uscc=OTHER)


@pytest.fixture(scope="module")
async def jm(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_flows", Settings, create_app
    ) as client:
        for uscc, zone, district in ((ACME, True, "321002"), (OTHER, False, "320114")):
            r = await client.post(
                "/v1/enterprises",
                headers=STAFF,
                json={
                    "uscc": uscc,
                    "name": "扬州智造" if zone else "南京软件",
                    "city_code": district[:4],
                    "district_code": district,
                    "industry_code": "C",
                    "size": "medium",
                    "specialized_sme": zone,
                },
            )
            assert r.status_code == 201, r.text
        yield client


async def outbox(jm, subject: str, key: str) -> list[bytes]:
    engine = create_async_engine(jm.database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = :s AND ce_subject = :k"),
                {"s": subject, "k": key},
            )
            return [r.payload for r in rows]
    finally:
        await engine.dispose()


async def post(jm, headers=ACME_USER, uscc=ACME, **overrides) -> str:
    body = {
        "enterprise_uscc": uscc,
        "title": "数控设备运维工程师",
        "description": "负责智能制造产线的设备运维，熟悉 PLC 与 Python 自动化",
        "occupation_code": "6-18-01-01",
        "district_code": "321002",
        "kind": "full_time",
        "headcount": 2,
        "wage_min_fen": 600000,
        "wage_max_fen": 900000,
        "required_skills": ["PLC", "Python", "数控"],
        "min_education": "junior_college",
    } | overrides
    r = await jm.post("/v1/job-posts", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def seeker(jm, n: int, sub: str | None = None, **profile) -> tuple[str, dict]:
    """Register seeker n as their own (real-name verified) account; returns (id, that
    account's headers)."""
    rid = make_resident_id(n)
    headers = bearer(["seeker"], sub=sub or f"seeker-{n}", person_key=person_key(rid))
    body = {"resident_id": rid, "education": "bachelor"} | profile
    r = await jm.post("/v1/seekers", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"], headers


def assert_problem(r: httpx.Response, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


# --- job posts ----------------------------------------------------------------------------


async def test_inverted_wage_range_is_a_422(jm):
    r = await jm.post(
        "/v1/job-posts",
        headers=ACME_USER,
        json={
            "enterprise_uscc": ACME,
            "title": "质检员",
            "occupation_code": "6-31-03-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 1,
            "wage_min_fen": 900000,
            "wage_max_fen": 600000,
        },
    )
    assert assert_problem(r, 422)["errors"][0]["field"] == "wage_min_fen"


async def test_unknown_fields_are_refused(jm):
    r = await jm.post(
        "/v1/job-posts",
        headers=ACME_USER,
        json={
            "enterprise_uscc": ACME,
            "title": "质检员",
            "occupation_code": "6-31-03-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 1,
            "wage_min_fen": 1,
            "wage_max_fen": 2,
            "hired": 5,
        },
    )
    assert_problem(r, 422)


async def test_post_lifecycle_draft_open_closed_with_events_and_409s(jm):
    post_id = await post(jm, status="draft")
    assert await outbox(jm, "suxin.hiring.job_post_opened.v1", post_id) == []
    # A draft is invisible to everyone but its enterprise.
    assert_problem(await jm.get(f"/v1/job-posts/{post_id}", headers=OTHER_USER), 404)
    r = await jm.get(f"/v1/job-posts/{post_id}", headers=ACME_USER)
    assert r.json()["status"] == "draft"
    # Another enterprise cannot open it: not found, not forbidden.
    r = await jm.post(
        f"/v1/job-posts/{post_id}/status", headers=OTHER_USER, json={"status": "open"}
    )
    assert_problem(r, 404)
    r = await jm.post(f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "open"})
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert r.json()["specialized_zone"] is True  # ACME is 专精特新
    [opened] = await outbox(jm, "suxin.hiring.job_post_opened.v1", post_id)
    event = pb.JobPostOpened.FromString(opened)
    assert event.specialized_zone and event.min_education == pb.EDUCATION_JUNIOR_COLLEGE
    assert (event.wage_min_fen, event.wage_max_fen, event.industry_code) == (600000, 900000, "C")
    r = await jm.post(f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "open"})
    assert assert_problem(r, 409)["status"] == 409
    r = await jm.post(
        f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "closed"}
    )
    assert r.json()["status"] == "closed"
    [closed] = await outbox(jm, "suxin.hiring.job_post_closed.v1", post_id)
    assert pb.JobPostClosed.FromString(closed).reason == pb.JOB_POST_CLOSE_REASON_CLOSED
    r = await jm.post(f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "open"})
    assert_problem(r, 409)
    r = await jm.post(
        f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "filled"}
    )
    assert_problem(r, 422)  # posts fill by hires only


# --- seekers ------------------------------------------------------------------------------


async def test_a_seeker_sees_and_edits_only_their_own_profile(jm):
    mine, me = await seeker(jm, 201, graduation_date=str(date.today() - timedelta(days=100)))
    theirs, _ = await seeker(jm, 202)
    r = await jm.get(f"/v1/seekers/{mine}", headers=me)
    assert r.status_code == 200 and r.json()["recent_graduate"] is True
    assert_problem(await jm.get(f"/v1/seekers/{theirs}", headers=me), 404)
    r = await jm.patch(
        f"/v1/seekers/{mine}",
        headers=me,
        json={
            "skills": [" Python ", "PLC"],
            "desired_regions": ["3210"],
            "skill_level": "technician",
        },
    )
    assert r.status_code == 200, r.text
    assert r.json()["skills"] == ["plc", "python"] and r.json()["skill_level"] == "technician"
    assert_problem(await jm.patch(f"/v1/seekers/{theirs}", headers=me, json={"skills": []}), 404)
    assert_problem(await jm.patch(f"/v1/seekers/{mine}", headers=me, json={"status": "x"}), 422)
    r = await jm.patch(f"/v1/seekers/{mine}", headers=me, json={"desired_regions": ["3301"]})
    assert assert_problem(r, 422)["errors"][0]["field"] == "desired_regions.0"
    # Enterprises do not read profiles.
    assert_problem(await jm.get(f"/v1/seekers/{mine}", headers=ACME_USER), 403)


# --- applications, hire, separation -------------------------------------------------------


async def test_application_review_hire_and_separation(jm):
    post_id = await post(jm)
    seeker_id, me = await seeker(
        jm,
        301,
        key_groups=["college_graduate"],
        graduation_date=str(date.today() - timedelta(days=60)),
        skill_level="senior_worker",
        professional_title="junior",
        previously_unemployed=True,
    )
    intruder_id, intruder = await seeker(jm, 302)
    # Nobody applies in another's name.
    r = await jm.post(
        "/v1/applications", headers=intruder, json={"seeker_id": seeker_id, "job_post_id": post_id}
    )
    assert_problem(r, 404)
    r = await jm.post(
        "/v1/applications", headers=me, json={"seeker_id": seeker_id, "job_post_id": post_id}
    )
    assert r.status_code == 201, r.text
    application = r.json()
    app_id = application["id"]
    assert application["status"] == "submitted"
    [submitted] = await outbox(jm, "suxin.hiring.application_submitted.v1", app_id)
    event = pb.ApplicationSubmitted.FromString(submitted)
    assert event.person_key.startswith("pk_") and event.key_groups == [
        pb.KEY_GROUP_COLLEGE_GRADUATE
    ]
    again = await jm.post(
        "/v1/applications", headers=me, json={"seeker_id": seeker_id, "job_post_id": post_id}
    )
    assert_problem(again, 409)
    # Ownership: the other enterprise and the other seeker see nothing.
    assert_problem(await jm.get(f"/v1/applications/{app_id}", headers=OTHER_USER), 404)
    assert_problem(await jm.get(f"/v1/applications/{app_id}", headers=intruder), 404)
    r = await jm.post(f"/v1/applications/{app_id}/shortlist", headers=OTHER_USER, json={})
    assert_problem(r, 404)
    assert_problem(await jm.get(f"/v1/job-posts/{post_id}/applications", headers=OTHER_USER), 404)
    r = await jm.post(f"/v1/applications/{app_id}/withdraw", headers=intruder, json={})
    assert_problem(r, 404)
    # The enterprise reviews.
    r = await jm.post(f"/v1/applications/{app_id}/shortlist", headers=ACME_USER, json={})
    assert r.json()["status"] == "shortlisted"
    r = await jm.post(f"/v1/applications/{app_id}/shortlist", headers=ACME_USER, json={})
    assert_problem(r, 409)
    r = await jm.post(
        f"/v1/applications/{app_id}/offer", headers=ACME_USER, json={"note": "欢迎加入"}
    )
    assert r.json()["status"] == "offered" and r.json()["note"] == "欢迎加入"
    assert_problem(
        await jm.post(f"/v1/applications/{app_id}/reject", headers=ACME_USER, json={}), 409
    )
    r = await jm.get(f"/v1/job-posts/{post_id}/applications", headers=ACME_USER)
    assert [a["id"] for a in r.json()["items"]] == [app_id]
    r = await jm.get(f"/v1/seekers/{seeker_id}/applications", headers=me)
    assert [a["status"] for a in r.json()["items"]] == ["offered"]
    # The hire closes the loop.
    hire = {
        "enterprise_uscc": ACME,
        "seeker_id": seeker_id,
        "job_post_id": post_id,
        "application_id": app_id,
        "start_date": str(date.today()),
        "contract_type": "fixed_term",
        "contract_months": 24,
        "monthly_wage_fen": 700000,
    }
    r = await jm.post("/v1/hires", headers=OTHER_USER, json=hire)
    assert_problem(r, 403)  # acting for another enterprise
    r = await jm.post("/v1/hires", headers=ACME_USER, json=hire)
    assert r.status_code == 201, r.text
    hire_id = r.json()["id"]
    assert r.json()["application_id"] == app_id
    r = await jm.get(f"/v1/applications/{app_id}", headers=me)
    assert r.json()["status"] == "hired"
    assert_problem(await jm.post(f"/v1/applications/{app_id}/withdraw", headers=me, json={}), 409)
    [recorded] = await outbox(jm, "suxin.hiring.hire_recorded.v1", hire_id)
    event = pb.HireRecorded.FromString(recorded)
    assert event.application_id == app_id
    assert event.skill_level == 3 and event.professional_title == 1  # senior worker, junior
    assert event.previously_unemployed is True
    assert event.enterprise_size == 3  # medium
    assert make_resident_id(301).encode() not in recorded
    # Another enterprise neither reads nor ends the hire.
    assert_problem(await jm.get(f"/v1/hires/{hire_id}", headers=OTHER_USER), 404)
    separation = {"end_date": str(date.today()), "reason": "resignation"}
    r = await jm.post(f"/v1/hires/{hire_id}/separation", headers=OTHER_USER, json=separation)
    assert_problem(r, 404)
    r = await jm.post(
        f"/v1/hires/{hire_id}/separation",
        headers=ACME_USER,
        json={"end_date": str(date.today() - timedelta(days=3)), "reason": "resignation"},
    )
    assert assert_problem(r, 422)["errors"][0]["field"] == "end_date"
    r = await jm.post(f"/v1/hires/{hire_id}/separation", headers=ACME_USER, json=separation)
    assert r.status_code == 200, r.text
    assert r.json()["end_reason"] == "resignation"
    r = await jm.post(f"/v1/hires/{hire_id}/separation", headers=ACME_USER, json=separation)
    assert_problem(r, 409)
    [ended] = await outbox(jm, "suxin.hiring.employment_ended.v1", hire_id)
    event = pb.EmploymentEnded.FromString(ended)
    assert event.version == 2 and event.reason == pb.SEPARATION_REASON_RESIGNATION
    assert event.specialized_sme and event.skill_level == 3
    assert event.key_groups == [pb.KEY_GROUP_COLLEGE_GRADUATE]


async def test_concurrent_hires_never_exceed_the_headcount(jm):
    """Hires racing into one post: exactly `headcount` succeed, the rest are refused as for a
    filled post, and the post is filled once (one JobPostClosed)."""
    post_id = await post(jm, headcount=3)
    people = [(await seeker(jm, 700 + i))[0] for i in range(8)]

    async def hire(seeker_id: str) -> httpx.Response:
        body = {
            "enterprise_uscc": ACME,
            "seeker_id": seeker_id,
            "job_post_id": post_id,
            "start_date": str(date.today()),
            "contract_type": "fixed_term",
            "contract_months": 12,
            "monthly_wage_fen": 700000,
        }
        return await jm.post("/v1/hires", headers=ACME_USER, json=body)

    responses = await asyncio.gather(*(hire(p) for p in people))
    assert sorted(r.status_code for r in responses) == [201] * 3 + [422] * 5
    for r in responses:
        if r.status_code == 422:
            assert r.json()["errors"][0]["field"] == "job_post_id"
    r = await jm.get(f"/v1/job-posts/{post_id}", headers=ACME_USER)
    assert (r.json()["status"], r.json()["hired"]) == ("filled", 3)
    [closed] = await outbox(jm, "suxin.hiring.job_post_closed.v1", post_id)
    assert pb.JobPostClosed.FromString(closed).reason == pb.JOB_POST_CLOSE_REASON_FILLED
    # A retried hire of someone hired is still a 409, not a rule about the filled post.
    winner = next(r for r in responses if r.status_code == 201)
    assert_problem(await hire(winner.json()["seeker_id"]), 409)


async def test_hires_racing_a_close_are_counted_or_refused(jm):
    """A post closed while hires into it are in flight: each hire is recorded (and counted) or
    refused as for a closed post; nothing deadlocks, and the count matches the hires."""
    post_id = await post(jm, headcount=50)
    people = [(await seeker(jm, 720 + i))[0] for i in range(12)]

    async def hire(seeker_id: str) -> httpx.Response:
        body = {
            "enterprise_uscc": ACME,
            "seeker_id": seeker_id,
            "job_post_id": post_id,
            "start_date": str(date.today()),
            "contract_type": "fixed_term",
            "contract_months": 12,
            "monthly_wage_fen": 700000,
        }
        return await jm.post("/v1/hires", headers=ACME_USER, json=body)

    async def close() -> httpx.Response:
        await asyncio.sleep(0.01)
        return await jm.post(
            f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "closed"}
        )

    *hired, closed = await asyncio.gather(*(hire(p) for p in people), close())
    assert closed.status_code == 200, closed.text
    assert {r.status_code for r in hired} <= {201, 422}
    r = await jm.get(f"/v1/job-posts/{post_id}", headers=ACME_USER)
    assert r.json()["status"] == "closed"
    assert r.json()["hired"] == sum(r.status_code == 201 for r in hired)


async def test_a_hire_through_an_application_needs_an_offer(jm):
    post_id = await post(jm)
    seeker_id, me = await seeker(jm, 311)
    r = await jm.post(
        "/v1/applications", headers=me, json={"seeker_id": seeker_id, "job_post_id": post_id}
    )
    app_id = r.json()["id"]
    hire = {
        "enterprise_uscc": ACME,
        "seeker_id": seeker_id,
        "job_post_id": post_id,
        "application_id": app_id,
        "start_date": str(date.today()),
        "contract_type": "fixed_term",
        "contract_months": 12,
        "monthly_wage_fen": 700000,
    }
    assert_problem(await jm.post("/v1/hires", headers=ACME_USER, json=hire), 409)
    r = await jm.post(f"/v1/applications/{app_id}/withdraw", headers=me, json={})
    assert r.json()["status"] == "withdrawn"
    # After a withdrawal, a new application is allowed; a closed post takes none.
    r = await jm.post(
        "/v1/applications", headers=me, json={"seeker_id": seeker_id, "job_post_id": post_id}
    )
    assert r.status_code == 201
    await jm.post(f"/v1/job-posts/{post_id}/status", headers=ACME_USER, json={"status": "closed"})
    other_id, other = await seeker(jm, 312)
    r = await jm.post(
        "/v1/applications", headers=other, json={"seeker_id": other_id, "job_post_id": post_id}
    )
    assert_problem(r, 409)


# --- matching -----------------------------------------------------------------------------


async def test_recommendations_rank_explain_filter_and_paginate(jm):
    good = await post(jm, title="PLC 设备运维工程师")
    await post(jm, title="仓储配送员", occupation_code="4-02-06-03", required_skills=["叉车"])
    await post(
        jm,
        OTHER_USER,
        OTHER,
        title="Python 后端开发",
        occupation_code="2-02-10-03",
        district_code="320114",
        required_skills=["Python", "SQL"],
        kind="part_time",
    )
    for n in range(3):
        await post(
            jm, title=f"数控操作工 {n}", occupation_code="6-18-01-02", required_skills=["数控"]
        )
    seeker_id, me = await seeker(
        jm,
        401,
        skills=["PLC", "python", "数控"],
        desired_occupations=["6-18-01-01"],
        desired_regions=["321002"],
        desired_wage_fen=700000,
    )
    r = await jm.get(f"/v1/seekers/{seeker_id}/recommendations", headers=me)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items[0]["job_post"]["id"] == good or items[0]["score"] == items[1]["score"]
    top = items[0]
    assert top["score"] == pytest.approx(sum(p["points"] for p in top["breakdown"]), abs=0.05)
    assert {p["part"] for p in top["breakdown"]} == {
        "skills",
        "occupation",
        "region",
        "wage",
        "education",
    }
    assert top["matched_skills"] == ["plc", "python", "数控"] and top["missing_skills"] == []
    scores = [i["score"] for i in items]
    assert scores == sorted(scores, reverse=True)
    # Filters.
    # Recommendations come from the desired cities, unless a region filter says otherwise.
    assert all(i["job_post"]["city_code"] == "3210" for i in items)
    r = await jm.get(
        f"/v1/seekers/{seeker_id}/recommendations",
        headers=me,
        params={"kind": "part_time", "city_code": "3201"},
    )
    [python_job] = r.json()["items"]
    assert python_job["job_post"]["kind"] == "part_time"
    assert python_job["matched_skills"] == ["python"] and python_job["missing_skills"] == ["sql"]
    r = await jm.get(
        f"/v1/seekers/{seeker_id}/recommendations",
        headers=me,
        params={"specialized_zone": "true", "min_wage_fen": 800000},
    )
    assert r.json()["items"] and all(
        i["job_post"]["specialized_zone"] and i["job_post"]["wage_max_fen"] >= 800000
        for i in r.json()["items"]
    )
    # Cursor pagination: pages of 2 cover the same list without repeats.
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        r = await jm.get(f"/v1/seekers/{seeker_id}/recommendations", headers=me, params=params)
        seen += [i["job_post"]["id"] for i in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(seen) == {i["job_post"]["id"] for i in items}
    r = await jm.get(
        f"/v1/seekers/{seeker_id}/recommendations", headers=me, params={"cursor": "%%%"}
    )
    assert_problem(r, 422)
    r = await jm.get(f"/v1/seekers/{seeker_id}/recommendations", headers=me, params={"limit": 500})
    assert_problem(r, 422)
    # Someone else's recommendations are not found.
    _, stranger = await seeker(jm, 402)
    r = await jm.get(f"/v1/seekers/{seeker_id}/recommendations", headers=stranger)
    assert_problem(r, 404)


async def test_candidates_for_a_post_are_for_its_enterprise_only(jm):
    post_id = await post(jm, title="智能产线 PLC 工程师")
    fit, _ = await seeker(
        jm,
        501,
        skills=["PLC", "Python"],
        desired_occupations=["6-18-01-01"],
        desired_regions=["3210"],
    )
    await seeker(
        jm, 502, skills=["会计"], desired_occupations=["2-06-01-01"], desired_regions=["3210"]
    )
    hidden, hidden_headers = await seeker(
        jm, 503, skills=["PLC", "Python", "数控"], desired_occupations=["6-18-01-01"]
    )
    await jm.patch(
        f"/v1/seekers/{hidden}",
        headers=hidden_headers,
        json={"open_to_offers": False, "desired_regions": ["321002"]},
    )
    r = await jm.get(f"/v1/job-posts/{post_id}/candidates", headers=ACME_USER)
    assert r.status_code == 200, r.text
    ids = [i["seeker"]["id"] for i in r.json()["items"]]
    assert fit in ids and hidden not in ids
    first = r.json()["items"][0]
    assert "masked_resident_id" not in first["seeker"] and "key_groups" not in first["seeker"]
    assert_problem(await jm.get(f"/v1/job-posts/{post_id}/candidates", headers=OTHER_USER), 404)


# --- search -------------------------------------------------------------------------------


async def test_chinese_full_text_search_with_filters_and_cursor(jm):
    wanted = await post(jm, title="工业机器人调试工程师", description="负责焊接机器人的调试与维护")
    await post(jm, title="电商客服专员", occupation_code="4-01-02-01", required_skills=[])
    r = await jm.get("/v1/job-posts", headers=ACME_USER, params={"q": "机器人调试"})
    assert r.status_code == 200, r.text
    assert [p["id"] for p in r.json()["items"]] == [wanted]
    r = await jm.get("/v1/job-posts", headers=ACME_USER, params={"q": "焊接"})
    assert [p["id"] for p in r.json()["items"]] == [wanted]
    r = await jm.get(
        "/v1/job-posts", headers=ACME_USER, params={"q": "机器人", "city_code": "3201"}
    )
    assert r.json()["items"] == []
    r = await jm.get("/v1/job-posts", headers=ACME_USER, params={"city_code": "9999"})
    assert_problem(r, 422)
    seen, cursor = [], None
    for _ in range(100):
        params = {"limit": 3, "city_code": "3210"} | ({"cursor": cursor} if cursor else {})
        r = await jm.get("/v1/job-posts", headers=ACME_USER, params=params)
        seen += [p["id"] for p in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert wanted in seen and len(seen) == len(set(seen))
    assert all(p["status"] == "open" for p in r.json()["items"])


# --- "131" and "1+3" ----------------------------------------------------------------------


async def test_131_services_are_recorded_and_what_is_owed_is_reported(jm):
    post_ids = [await post(jm, title=f"见习岗位 {n}", kind="internship") for n in range(3)]
    graduate, me = await seeker(
        jm,
        601,
        key_groups=["college_graduate"],
        graduation_date=str(date.today() - timedelta(days=200)),
    )
    displaced, _ = await seeker(jm, 602, key_groups=["displaced_by_digital_transformation"])
    nobody, _ = await seeker(jm, 603)

    async def deliver(seeker_id, programme, kind, post_id=None):
        body = {"programme": programme, "kind": kind}
        if post_id:
            body["job_post_id"] = post_id
        return await jm.post(f"/v1/seekers/{seeker_id}/services", headers=STAFF, json=body)

    assert (await deliver(graduate, "graduate_131", "guidance")).status_code == 201
    assert (
        await deliver(graduate, "graduate_131", "job_recommendation", post_ids[0])
    ).status_code == 201
    assert_problem(await deliver(graduate, "graduate_131", "job_recommendation", post_ids[0]), 409)
    assert_problem(await deliver(graduate, "graduate_131", "job_recommendation"), 422)
    assert_problem(await deliver(nobody, "graduate_131", "guidance"), 409)
    assert_problem(await deliver(displaced, "displaced_1_3", "training_or_internship"), 409)
    assert_problem(await deliver(uuid.uuid4(), "graduate_131", "guidance"), 404)
    r = await jm.post(
        f"/v1/seekers/{graduate}/services",
        headers=ACME_USER,
        json={"programme": "graduate_131", "kind": "guidance"},
    )
    assert_problem(r, 403)

    r = await jm.get(f"/v1/seekers/{graduate}/services", headers=me)
    [balance] = r.json()["programmes"]
    assert balance["owed"] == {"guidance": 0, "job_recommendation": 2, "training_or_internship": 1}
    owed = await _owed(jm)
    assert owed[graduate]["graduate_131"]["job_recommendation"] == 2
    assert owed[displaced]["displaced_1_3"] == {"guidance": 1, "job_recommendation": 3}
    assert nobody not in owed

    for post_id in post_ids[1:]:
        await deliver(graduate, "graduate_131", "job_recommendation", post_id)
    await deliver(graduate, "graduate_131", "training_or_internship")
    assert graduate not in await _owed(jm)  # fully served
    # A person hired is no longer owed.
    await deliver(displaced, "displaced_1_3", "guidance")
    r = await jm.post(
        "/v1/hires",
        headers=ACME_USER,
        json={
            "enterprise_uscc": ACME,
            "seeker_id": displaced,
            "job_post_id": post_ids[0],
            "start_date": str(date.today()),
            "contract_type": "internship_agreement",
            "contract_months": 6,
            "monthly_wage_fen": 300000,
        },
    )
    assert r.status_code == 201, r.text
    assert displaced not in await _owed(jm)


async def _owed(jm) -> dict[str, dict]:
    out, cursor = {}, None
    for _ in range(100):
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        r = await jm.get("/v1/services/owed", headers=STAFF, params=params)
        assert r.status_code == 200, r.text
        for item in r.json()["items"]:
            out[item["seeker_id"]] = {p["programme"]: p["owed"] for p in item["programmes"]}
        cursor = r.json()["next_cursor"]
        if not cursor:
            return out
    raise AssertionError("pagination did not end")


# --- free text (issue 22, item 4) -----------------------------------------------------------


async def test_personal_numbers_in_free_text_are_masked_before_storage(jm):
    rid = make_resident_id(951)
    masked = rid[:4] + "*" * 10 + rid[-4:]
    post_id = await post(jm, description=f"联系人王女士 13912345678，身份证{rid}")
    shown = (await jm.get(f"/v1/job-posts/{post_id}", headers=ACME_USER)).json()
    assert shown["description"] == f"联系人王女士 139****5678，身份证{masked}"
    seeker_id, me = await seeker(jm, 952)
    r = await jm.post(
        "/v1/applications",
        headers=me,
        json={"seeker_id": seeker_id, "job_post_id": post_id, "cover_letter": "请拨13800001111"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["cover_letter"] == "请拨138****1111"
    app_id = r.json()["id"]
    await jm.post(f"/v1/applications/{app_id}/shortlist", headers=ACME_USER, json={})
    r = await jm.post(
        f"/v1/applications/{app_id}/offer", headers=ACME_USER, json={"note": f"核对{rid}"}
    )
    assert r.json()["note"] == f"核对{masked}"
    engine = create_async_engine(jm.database_url)
    try:
        async with engine.connect() as conn:
            stored = repr(
                (
                    await conn.execute(
                        text(
                            "SELECT p.description, a.cover_letter, a.note FROM job_posts p "
                            "JOIN applications a ON a.job_post_id = p.id WHERE a.id = :a"
                        ),
                        {"a": app_id},
                    )
                ).all()
            )
    finally:
        await engine.dispose()
    assert masked in stored
    assert rid not in stored and "13912345678" not in stored and "13800001111" not in stored
