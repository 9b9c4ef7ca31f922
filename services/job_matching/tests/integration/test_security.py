"""The security pass: verified identity for seekers, input hardening, district scoping of HRSS
staff (404 outside, 403 when creating outside), and the audit of personal-data reads, hires
and separations — through the HTTP API on real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
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
YZ = make_uscc(21)  # 扬州 (321002)
NJ_DISTRICT = "320102"  # 南京 玄武区


def bearer(roles: list[str], sub: str, **claims) -> dict[str, str]:
    token = mint_dev_token(ServiceSettings(), sub, roles, **claims)
    return {"Authorization": f"Bearer {token}"}


def person_key(resident_id: str) -> str:
    return PersonalData.from_settings(Settings(environment="test")).person_key(resident_id)


def verified(resident_id: str, sub: str) -> dict[str, str]:
    """A seeker token from the real-name login, carrying that person's key."""
    return bearer(["seeker"], sub, person_key=person_key(resident_id))


PROVINCE = bearer(["hrss_staff"], "province-staff")  # no district claim: the whole province
YZ_STAFF = bearer(["hrss_staff"], "yz-staff", district="3210")
NJ_STAFF = bearer(["hrss_staff"], "nj-staff", district="3201")
YZ_HR = bearer(["enterprise"], "yz-hr", uscc=YZ)
AUDITOR = bearer(["auditor"], "auditor-1")
PROFILE = {
    "education": "bachelor",
    "skills": ["PLC", "Python"],
    "desired_occupations": ["6-18-01-01"],
    "desired_regions": ["321002"],
    "graduation_date": str(date.today() - timedelta(days=100)),
    "key_groups": ["college_graduate"],
}


@pytest.fixture(scope="module")
async def jm(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_security", Settings, create_app
    ) as client:
        r = await client.post(
            "/v1/enterprises",
            headers=YZ_STAFF,
            json={
                "uscc": YZ,
                "name": "扬州智造",
                "city_code": "3210",
                "district_code": "321002",
                "industry_code": "C",
                "size": "medium",
            },
        )
        assert r.status_code == 201, r.text
        yield client


async def open_post(jm, headcount: int = 5) -> str:
    r = await jm.post(
        "/v1/job-posts",
        headers=YZ_HR,
        json={
            "enterprise_uscc": YZ,
            "title": "PLC 工程师",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": headcount,
            "wage_min_fen": 600000,
            "wage_max_fen": 900000,
            "required_skills": ["PLC"],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def staff_registers(jm, n: int, headers=PROVINCE, **extra) -> str:
    body = {"resident_id": make_resident_id(n), **PROFILE} | extra
    r = await jm.post("/v1/seekers", headers=headers, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def audit_entries(jm, **params) -> list[dict]:
    r = await jm.get("/v1/audit/entries", headers=AUDITOR, params={"limit": 200} | params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def hire(jm, seeker_id: str, post_id: str, headers=YZ_HR) -> httpx.Response:
    return await jm.post(
        "/v1/hires",
        headers=headers,
        json={
            "enterprise_uscc": YZ,
            "seeker_id": seeker_id,
            "job_post_id": post_id,
            "start_date": str(date.today()),
            "contract_type": "fixed_term",
            "contract_months": 12,
            "monthly_wage_fen": 700000,
        },
    )


# --- verified identity ----------------------------------------------------------------------


async def test_a_seeker_registers_only_the_person_their_login_verified(jm):
    rid, other = make_resident_id(701), make_resident_id(702)
    body = {"resident_id": rid, "education": "bachelor"}
    unverified = bearer(["seeker"], "acct-701")
    r = await jm.post("/v1/seekers", headers=unverified, json=body)
    assert r.status_code == 403 and rid not in r.text
    r = await jm.post("/v1/seekers", headers=verified(other, "acct-701"), json=body)
    assert r.status_code == 403
    r = await jm.post("/v1/seekers", headers=verified(rid, "acct-701"), json=body)
    assert r.status_code == 201, r.text
    assert r.json()["district_code"] == "321002"  # from the household registration
    # A registered person's ID answers an impostor exactly like an unregistered one.
    r = await jm.post("/v1/seekers", headers=verified(other, "acct-x"), json=body)
    assert r.status_code == 403 and "seeker_id" not in r.text


async def test_the_verified_person_claims_the_profile_staff_registered(jm):
    rid = make_resident_id(703)
    seeker_id = await staff_registers(jm, 703)
    first = verified(rid, "acct-703")
    r = await jm.get(f"/v1/seekers/{seeker_id}", headers=first)
    assert r.status_code == 404  # not theirs until claimed
    r = await jm.post(
        "/v1/seekers", headers=first, json={"resident_id": rid, "education": "bachelor"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["id"] == seeker_id and r.json()["skills"] == ["plc", "python"]
    assert (await jm.get(f"/v1/seekers/{seeker_id}", headers=first)).status_code == 200
    # A later account of the same verified person takes the profile over; the old one loses it.
    second = verified(rid, "acct-703-new")
    r = await jm.post(
        "/v1/seekers", headers=second, json={"resident_id": rid, "education": "bachelor"}
    )
    assert r.status_code == 200
    assert (await jm.get(f"/v1/seekers/{seeker_id}", headers=first)).status_code == 404
    assert (await jm.get(f"/v1/seekers/{seeker_id}", headers=second)).status_code == 200
    claims = await audit_entries(jm, object_id=seeker_id, action="claim_seeker_profile")
    assert [(e["actor"], e["details"]) for e in claims] == [
        ("acct-703-new", {"previously_bound": True}),
        ("acct-703", {"previously_bound": False}),
    ]
    # The person's own reads are not audited.
    reads = await audit_entries(jm, object_id=seeker_id, action="read_personal_data")
    assert {e["actor"] for e in reads} <= {"province-staff"}


# --- input hardening ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/seekers", {"resident_id": "x", "education": "bachelor", "account_subject": "me"}),
        ("/v1/hires", {"enterprise_uscc": YZ, "amount": 1}),
        ("/v1/job-posts", {"enterprise_uscc": YZ, "hired": 3}),
        ("/v1/applications", {"seeker_id": str(uuid.uuid4()), "status": "offered"}),
    ],
)
async def test_bodies_carrying_unknown_fields_are_refused(jm, path, body):
    r = await jm.post(path, headers=PROVINCE, json=body)
    assert r.status_code == 422
    assert any(
        e["field"] in {"account_subject", "amount", "hired", "status"} for e in r.json()["errors"]
    )


# Fixed ids in parametrized paths: every pytest-xdist worker must collect the same test names.
UNKNOWN = "5e0c0000-0000-4000-8000-00000000dead"


@pytest.mark.parametrize(
    "path", ["/v1/job-posts", "/v1/services/owed", f"/v1/seekers/{UNKNOWN}/applications"]
)
async def test_page_sizes_are_capped(jm, path):
    for limit in (0, 51):
        r = await jm.get(path, headers=PROVINCE, params={"limit": limit})
        assert r.status_code == 422, (path, limit, r.text)
    r = await jm.get("/v1/job-posts", headers=PROVINCE, params={"limit": 50})
    assert r.status_code == 200


# --- district scoping -------------------------------------------------------------------------


async def test_staff_act_only_within_their_district(jm):
    post_id = await open_post(jm)
    seeker_id = await staff_registers(jm, 710, headers=YZ_STAFF)
    r = await jm.post(
        "/v1/applications",
        headers=YZ_STAFF,
        json={"seeker_id": seeker_id, "job_post_id": post_id},
    )
    assert r.status_code == 201, r.text
    application_id = r.json()["id"]
    r = await hire(jm, seeker_id, post_id, headers=YZ_STAFF)
    assert r.status_code == 201, r.text
    hire_id = r.json()["id"]

    for headers in (YZ_STAFF, PROVINCE):
        for path in (
            f"/v1/seekers/{seeker_id}",
            f"/v1/seekers/{seeker_id}/services",
            f"/v1/seekers/{seeker_id}/applications",
            f"/v1/seekers/{seeker_id}/recommendations",
            f"/v1/applications/{application_id}",
            f"/v1/job-posts/{post_id}/applications",
            f"/v1/job-posts/{post_id}/candidates",
            f"/v1/hires/{hire_id}",
        ):
            assert (await jm.get(path, headers=headers)).status_code == 200, path
    # Staff of another district: all of it is not found ...
    for path in (
        f"/v1/seekers/{seeker_id}",
        f"/v1/seekers/{seeker_id}/services",
        f"/v1/seekers/{seeker_id}/applications",
        f"/v1/seekers/{seeker_id}/recommendations",
        f"/v1/applications/{application_id}",
        f"/v1/job-posts/{post_id}/applications",
        f"/v1/job-posts/{post_id}/candidates",
        f"/v1/hires/{hire_id}",
    ):
        r = await jm.get(path, headers=NJ_STAFF)
        assert r.status_code == 404, path
    # ... and nothing can be done to it.
    r = await jm.patch(f"/v1/seekers/{seeker_id}", headers=NJ_STAFF, json={"skills": ["x"]})
    assert r.status_code == 404
    r = await jm.post(
        f"/v1/seekers/{seeker_id}/services",
        headers=NJ_STAFF,
        json={"programme": "graduate_131", "kind": "guidance"},
    )
    assert r.status_code == 404
    for action in ("shortlist", "withdraw"):
        r = await jm.post(f"/v1/applications/{application_id}/{action}", headers=NJ_STAFF, json={})
        assert r.status_code == 404, action
    r = await jm.post(
        f"/v1/job-posts/{post_id}/status", headers=NJ_STAFF, json={"status": "closed"}
    )
    assert r.status_code == 404
    r = await jm.post(
        f"/v1/hires/{hire_id}/separation",
        headers=NJ_STAFF,
        json={"end_date": str(date.today()), "reason": "resignation"},
    )
    assert r.status_code == 404
    other = await staff_registers(jm, 711)
    assert (await hire(jm, other, post_id, headers=NJ_STAFF)).status_code == 404
    # The open post itself stays public.
    assert (await jm.get(f"/v1/job-posts/{post_id}", headers=NJ_STAFF)).status_code == 200


async def test_staff_create_only_within_their_district(jm):
    r = await jm.post(
        "/v1/seekers",
        headers=NJ_STAFF,
        json={"resident_id": make_resident_id(720), "education": "bachelor"},
    )
    assert r.status_code == 403  # a 扬州 household registration, no district given
    r = await jm.post(
        "/v1/seekers",
        headers=NJ_STAFF,
        json={
            "resident_id": make_resident_id(720),
            "education": "bachelor",
            "district_code": NJ_DISTRICT,
        },
    )
    assert r.status_code == 201 and r.json()["district_code"] == NJ_DISTRICT
    # Someone registered in 扬州 already: 409, without naming the record to 南京 staff.
    existing = await staff_registers(jm, 721)
    r = await jm.post(
        "/v1/seekers",
        headers=NJ_STAFF,
        json={
            "resident_id": make_resident_id(721),
            "education": "bachelor",
            "district_code": NJ_DISTRICT,
        },
    )
    assert r.status_code == 409 and existing not in r.text
    r = await jm.post(
        "/v1/seekers",
        headers=YZ_STAFF,
        json={"resident_id": make_resident_id(721), "education": "bachelor"},
    )
    assert r.status_code == 409 and r.json()["seeker_id"] == existing
    r = await jm.post(
        "/v1/job-posts",
        headers=NJ_STAFF,
        json={
            "enterprise_uscc": YZ,
            "title": "越区岗位",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": 1,
            "wage_min_fen": 1,
            "wage_max_fen": 2,
        },
    )
    assert r.status_code == 403
    r = await jm.post(
        "/v1/enterprises",
        headers=NJ_STAFF,
        json={
            "uscc": make_uscc(22),
            "name": "扬州某企业",
            "city_code": "3210",
            "district_code": "321002",
            "industry_code": "C",
            "size": "small",
        },
    )
    assert r.status_code == 403


async def test_the_owed_services_report_is_by_district(jm):
    yz = await staff_registers(jm, 730)
    nj = await staff_registers(jm, 731, district_code=NJ_DISTRICT)

    async def owed(headers) -> set[str]:
        out, cursor = set(), None
        while True:
            params = {"limit": 50} | ({"cursor": cursor} if cursor else {})
            r = await jm.get("/v1/services/owed", headers=headers, params=params)
            assert r.status_code == 200, r.text
            out |= {i["seeker_id"] for i in r.json()["items"]}
            cursor = r.json()["next_cursor"]
            if not cursor:
                return out

    assert {yz, nj} <= await owed(PROVINCE)
    yz_view, nj_view = await owed(YZ_STAFF), await owed(NJ_STAFF)
    assert yz in yz_view and nj not in yz_view
    assert nj in nj_view and yz not in nj_view
    reads = await audit_entries(jm, object_id=nj, actor="nj-staff")
    assert [e["purpose"] for e in reads] == ["services owed report"]


# --- audit ----------------------------------------------------------------------------------


async def test_reads_of_a_persons_data_hires_and_separations_are_audited(jm):
    post_id = await open_post(jm)
    rid = make_resident_id(740)
    me = verified(rid, "acct-740")
    r = await jm.post("/v1/seekers", headers=me, json={"resident_id": rid} | PROFILE)
    assert r.status_code == 201, r.text
    seeker_id = r.json()["id"]
    assert (await jm.get(f"/v1/seekers/{seeker_id}", headers=me)).status_code == 200
    assert await audit_entries(jm, object_id=seeker_id) == []  # one's own reads are not

    assert (await jm.get(f"/v1/seekers/{seeker_id}", headers=YZ_STAFF)).status_code == 200
    r = await jm.get(f"/v1/job-posts/{post_id}/candidates", headers=YZ_HR)
    assert seeker_id in [i["seeker"]["id"] for i in r.json()["items"]]
    r = await jm.post(
        "/v1/applications", headers=me, json={"seeker_id": seeker_id, "job_post_id": post_id}
    )
    application_id = r.json()["id"]
    assert (await jm.get(f"/v1/applications/{application_id}", headers=YZ_HR)).status_code == 200
    r = await jm.get(f"/v1/job-posts/{post_id}/applications", headers=YZ_HR)
    assert r.status_code == 200
    reads = await audit_entries(jm, object_type="seeker", object_id=seeker_id)
    assert [(e["actor"], e["action"], e["purpose"]) for e in reversed(reads)] == [
        ("yz-staff", "read_personal_data", "profile view"),
        ("yz-hr", "read_personal_data", "candidates for a job post"),
        ("yz-hr", "read_personal_data", "application view"),
        ("yz-hr", "read_personal_data", "applications to a job post"),
    ]
    assert [e["details"] for e in reversed(reads)] == [
        {},
        {"job_post_id": post_id},
        {"application_id": application_id},
        {"application_id": application_id},
    ]

    r = await hire(jm, seeker_id, post_id)
    assert r.status_code == 201, r.text
    hire_id = r.json()["id"]
    r = await jm.post(
        f"/v1/hires/{hire_id}/separation",
        headers=YZ_HR,
        json={"end_date": str(date.today()), "reason": "resignation"},
    )
    assert r.status_code == 200, r.text
    decisions = await audit_entries(jm, object_type="hire", object_id=hire_id)
    assert [e["action"] for e in decisions] == ["record_separation", "record_hire"]
    separation, recorded = decisions
    assert recorded["actor"] == "yz-hr" and recorded["actor_roles"] == ["enterprise"]
    assert recorded["details"]["monthly_wage_fen"] == 700000
    assert recorded["details"]["seeker_id"] == seeker_id
    assert recorded["details"]["district_code"] == "321002"
    assert separation["details"]["reason"] == "resignation"
    assert separation["details"]["end_date"] == str(date.today())

    # A failed hire leaves no audit entry (it is written in the hire's transaction).
    before = len(await audit_entries(jm, action="record_hire"))
    assert (await hire(jm, seeker_id, post_id)).status_code == 409
    assert len(await audit_entries(jm, action="record_hire")) == before

    r = await jm.get("/v1/audit/verify", headers=AUDITOR)
    assert r.status_code == 200 and r.json()["ok"], r.text
    engine = create_async_engine(jm.database_url)
    try:
        async with engine.connect() as conn:
            dump = (await conn.execute(text("SELECT audit_log::text FROM audit_log"))).scalars()
            dump = "\n".join(dump)
    finally:
        await engine.dispose()
    assert rid not in dump and person_key(rid) not in dump
