"""Job-matching's HTTP API on real PostgreSQL and NATS: validation, auth, and the hire."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_resident_id, make_uscc

pytestmark = pytest.mark.integration
USCC = make_uscc(42)


def bearer(roles: list[str], **tenant) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {mint_dev_token(ServiceSettings(), 'tester', roles, **tenant)}"
    }


STAFF = bearer(["hrss_staff"])


@pytest.fixture
async def api(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching", Settings, create_app
    ) as client:
        yield client


async def register(api, uscc=USCC) -> str:
    r = await api.post(
        "/v1/enterprises",
        headers=STAFF,
        json={
            "uscc": uscc,
            "name": "扬州智造",
            "city_code": "3210",
            "district_code": "321002",
            "industry_code": "C",
            "size": "small",
        },
    )
    assert r.status_code == 201, r.text
    r = await api.post(
        "/v1/job-posts",
        headers=STAFF,
        json={
            "enterprise_uscc": uscc,
            "title": "运维工程师",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 1,
            "wage_min_fen": 500000,
            "wage_max_fen": 800000,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_invalid_resident_id_is_a_422_problem_naming_the_field(api):
    bad = make_resident_id(1)[:-1] + ("0" if make_resident_id(1)[-1] != "0" else "1")
    r = await api.post(
        "/v1/seekers", headers=STAFF, json={"resident_id": bad, "education": "bachelor"}
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert [e["field"] for e in body["errors"]] == ["resident_id"]
    assert bad not in r.text  # the number is never echoed back


async def test_invalid_uscc_is_a_422_problem_naming_the_field(api):
    bad = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    r = await api.post(
        "/v1/enterprises",
        headers=STAFF,
        json={
            "uscc": bad,
            "name": "某公司",
            "city_code": "3210",
            "district_code": "321002",
            "industry_code": "C",
            "size": "small",
        },
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["uscc"]


async def test_unauthenticated_is_401_and_wrong_role_is_403(api):
    body = {"resident_id": make_resident_id(2), "education": "bachelor"}
    r = await api.post("/v1/seekers", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"].startswith("Bearer")
    assert r.json()["status"] == 401
    r = await api.post("/v1/seekers", json=body, headers={"Authorization": "Bearer not-a-jwt"})
    assert r.status_code == 401
    r = await api.post("/v1/hires", headers=bearer(["seeker"]), json={})
    assert r.status_code == 403 and r.json()["type"].endswith("forbidden")


async def test_an_enterprise_acts_only_for_itself(api):
    post_id = await register(api)
    other = bearer(["enterprise"], uscc=make_uscc(99))
    r = await api.post(
        "/v1/job-posts",
        headers=other,
        json={
            "enterprise_uscc": USCC,
            "title": "冒名岗位",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 1,
            "wage_min_fen": 1,
            "wage_max_fen": 2,
        },
    )
    assert r.status_code == 403
    own = bearer(["enterprise"], uscc=USCC)
    r = await api.post(
        "/v1/seekers",
        headers=STAFF,
        json={"resident_id": make_resident_id(3), "education": "bachelor"},
    )
    r = await api.post(
        "/v1/hires",
        headers=own,
        json={
            "enterprise_uscc": USCC,
            "seeker_id": r.json()["id"],
            "job_post_id": post_id,
            "start_date": str(date.today()),
            "contract_type": "fixed_term",
            "contract_months": 12,
            "monthly_wage_fen": 600000,
        },
    )
    assert r.status_code == 201, r.text


async def test_recording_a_hire_writes_the_hire_and_its_event_in_one_transaction(api):
    post_id = await register(api)
    rid = make_resident_id(4)
    r = await api.post(
        "/v1/seekers",
        headers=STAFF,
        json={"resident_id": rid, "education": "bachelor", "key_groups": ["college_graduate"]},
    )
    assert r.status_code == 201
    assert r.json()["masked_resident_id"] == rid[:4] + "*" * 10 + rid[-4:]
    seeker_id = r.json()["id"]
    hire = {
        "enterprise_uscc": USCC,
        "seeker_id": seeker_id,
        "job_post_id": post_id,
        "start_date": str(date.today()),
        "contract_type": "fixed_term",
        "contract_months": 12,
        "monthly_wage_fen": 600000,
    }
    r = await api.post("/v1/hires", headers=STAFF, json=hire)
    assert r.status_code == 201, r.text
    hire_id = r.json()["id"]
    again = await api.post("/v1/hires", headers=STAFF, json=hire)
    assert again.status_code == 409  # same person, same post
    engine = create_async_engine(api.database_url)
    try:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT subject, ce_subject, payload FROM outbox"))
            ).all()
            stored = (
                await conn.execute(text("SELECT resident_id_encrypted FROM seekers"))
            ).scalar()
    finally:
        await engine.dispose()
    assert sorted((r.subject, r.ce_subject) for r in rows) == [
        ("suxin.hiring.hire_recorded.v1", hire_id),
        ("suxin.hiring.job_post_closed.v1", post_id),  # headcount 1: filled by this hire
        ("suxin.hiring.job_post_opened.v1", post_id),
    ]
    assert all(rid.encode() not in r.payload for r in rows)  # no raw resident ID on the bus
    assert rid not in stored  # stored encrypted


async def test_a_rejected_hire_leaves_nothing_behind(api):
    post_id = await register(api)
    r = await api.post(
        "/v1/seekers",
        headers=STAFF,
        json={"resident_id": make_resident_id(5), "education": "bachelor"},
    )
    r = await api.post(
        "/v1/hires",
        headers=STAFF,
        json={
            "enterprise_uscc": USCC,
            "seeker_id": r.json()["id"],
            "job_post_id": post_id,
            "start_date": str(date.today()),
            "contract_type": "internship_agreement",
            "contract_months": 6,
            "monthly_wage_fen": 300000,
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contract_type"
    r = await api.get(f"/v1/hires/{uuid.uuid4()}", headers=STAFF)
    assert r.status_code == 404
    engine = create_async_engine(api.database_url)
    try:
        async with engine.connect() as conn:
            subjects = (await conn.execute(text("SELECT subject FROM outbox"))).scalars().all()
            assert subjects == ["suxin.hiring.job_post_opened.v1"]
            assert (await conn.execute(text("SELECT count(*) FROM hires"))).scalar() == 0
    finally:
        await engine.dispose()
