"""我的 over a real database: a verified person sees their own profile, applications (with the
offer) and employment history, nobody else's (404 / empty), every read audited, and a PIPL
export."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.privacy import PersonalData
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_resident_id, make_uscc

pytestmark = pytest.mark.integration
ACME = make_uscc(31)


def bearer(roles: list[str], sub: str, **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(ServiceSettings(), sub, roles, **claims)}"}


def person(n: int, sub: str) -> dict[str, str]:
    key = PersonalData.from_settings(Settings(environment="test")).person_key(make_resident_id(n))
    return bearer(["seeker"], sub, person_key=key)


STAFF = bearer(["hrss_staff"], "staff-1")
ACME_USER = bearer(["enterprise"], "acme-hr", uscc=ACME)


@pytest.fixture(scope="module")
async def jm(infra):
    async with lifespan_client(infra, "job_matching", "job_matching_me", Settings, create_app) as c:
        r = await c.post(
            "/v1/enterprises",
            headers=STAFF,
            json={
                "uscc": ACME,
                "name": "扬州智造",
                "city_code": "3210",
                "district_code": "321002",
                "industry_code": "C",
                "size": "medium",
            },
        )
        assert r.status_code == 201, r.text
        yield c


async def register(jm, n: int, sub: str) -> tuple[str, dict]:
    headers = person(n, sub)
    body = {"resident_id": make_resident_id(n), "education": "bachelor"}
    r = await jm.post("/v1/seekers", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"], headers


async def test_a_person_sees_only_their_own_applications_and_hires(jm):
    a_id, a = await register(jm, 401, "user-a")
    b_id, b = await register(jm, 402, "user-b")
    post = await jm.post(
        "/v1/job-posts",
        headers=ACME_USER,
        json={
            "enterprise_uscc": ACME,
            "title": "数控设备运维工程师",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 2,
            "wage_min_fen": 600000,
            "wage_max_fen": 900000,
        },
    )
    post_id = post.json()["id"]
    applied = await jm.post(
        "/v1/applications", headers=a, json={"seeker_id": a_id, "job_post_id": post_id}
    )
    app_id = applied.json()["id"]
    await jm.post(f"/v1/applications/{app_id}/offer", headers=ACME_USER, json={"note": "欢迎"})

    [mine] = (await jm.get("/v1/me/applications", headers=a)).json()
    assert (mine["id"], mine["status"], mine["note"]) == (app_id, "offered", "欢迎")
    assert (mine["job_title"], mine["enterprise_name"]) == ("数控设备运维工程师", "扬州智造")
    hire = {
        "enterprise_uscc": ACME,
        "seeker_id": a_id,
        "job_post_id": post_id,
        "application_id": app_id,
        "start_date": str(date.today()),
        "contract_type": "fixed_term",
        "contract_months": 24,
        "monthly_wage_fen": 700000,
    }
    hired = await jm.post("/v1/hires", headers=ACME_USER, json=hire)
    assert hired.status_code == 201, hired.text
    [job] = (await jm.get("/v1/me/hires", headers=a)).json()
    assert (job["id"], job["monthly_wage_fen"], job["end_date"]) == (
        hired.json()["id"],
        700000,
        None,
    )
    profile = (await jm.get("/v1/me/profile", headers=a)).json()
    assert profile["id"] == a_id and "*" in profile["masked_resident_id"]

    # B sees none of A's: empty lists, A's application 404 like one that does not exist.
    assert (await jm.get("/v1/me/applications", headers=b)).json() == []
    assert (await jm.get("/v1/me/hires", headers=b)).json() == []
    assert (await jm.get(f"/v1/me/applications/{app_id}", headers=b)).status_code == 404
    assert (await jm.get(f"/v1/me/applications/{app_id}", headers=a)).status_code == 200
    assert (await jm.get("/v1/me/profile", headers=b)).json()["id"] == b_id
    unverified = bearer(["seeker"], "user-u")
    assert (await jm.get("/v1/me/profile", headers=unverified)).status_code == 404

    engine = create_async_engine(jm.database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                text("SELECT object_type, object_id FROM audit_log WHERE actor = 'user-a'")
            )
            trail = {(r.object_type, r.object_id) for r in rows}
    finally:
        await engine.dispose()
    assert {("application", app_id), ("hire", job["id"]), ("seeker", a_id)} <= trail

    export = await jm.get("/v1/me/export", headers=a)
    document = export.json()
    assert document["verified"] is True and document["profile"]["id"] == a_id
    assert [h["id"] for h in document["hires"]] == [job["id"]]
    assert make_resident_id(401) not in export.text
    assert (await jm.get("/v1/me/export", headers=ACME_USER)).status_code == 403
