"""Shared steps of the e2e scenarios: an enterprise with a post, and people hired into it."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from suxin_common.auth import mint_dev_token
from suxin_common.privacy import PersonalData
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import make_resident_id, make_uscc

ENTERPRISE = make_uscc(7)
CONSUMERS = ["training_vouchers", "injury_insurance", "talent_card", "employment_monitor"]
SERVICES = ["job_matching", *CONSUMERS]


def seeker_headers(resident_id: str, n: int) -> dict[str, str]:
    """The person's own (real-name verified) account."""
    settings = ServiceSettings()
    key = PersonalData.from_settings(settings).person_key(resident_id)
    token = mint_dev_token(settings, f"e2e-seeker-{n}", ["seeker"], person_key=key)
    return {"Authorization": f"Bearer {token}"}


def staff_headers() -> dict[str, str]:
    token = mint_dev_token(ServiceSettings(), "e2e-staff", ["hrss_staff"])
    return {"Authorization": f"Bearer {token}"}


async def open_enterprise(jm: httpx.AsyncClient, headcount: int) -> str:
    r = await jm.post(
        "/v1/enterprises",
        json={
            "uscc": ENTERPRISE,
            "name": "扬州智造科技有限公司",
            "city_code": "3210",
            "district_code": "321002",
            "industry_code": "C",
            "size": "medium",
            "specialized_sme": True,
        },
    )
    assert r.status_code == 201, r.text
    r = await jm.post(
        "/v1/job-posts",
        json={
            "enterprise_uscc": ENTERPRISE,
            "title": "数控设备运维工程师",
            "occupation_code": "6-18-01-01",
            "district_code": "321002",
            "kind": "full_time",
            "headcount": headcount,
            "wage_min_fen": 600000,
            "wage_max_fen": 900000,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def hire_graduate(
    jm: httpx.AsyncClient, tc: httpx.AsyncClient, post_id: str, n: int, *, confirm: bool = True
) -> str:
    """Register graduate n (on their own account), give them a talent card, hire them and
    (``confirm``) have them confirm the hire (录用确认). Returns the hire id."""
    resident_id = make_resident_id(n)
    me = seeker_headers(resident_id, n)
    r = await jm.post(
        "/v1/seekers",
        headers=me,
        json={
            "resident_id": resident_id,
            "education": "master",
            "graduation_date": str(date.today() - timedelta(days=150)),
            "key_groups": ["college_graduate"],
        },
    )
    assert r.status_code == 201, r.text
    seeker_id = r.json()["id"]
    r = await tc.post(
        "/v1/cards", json={"resident_id": resident_id, "level": "C", "city_code": "3201"}
    )
    assert r.status_code == 201, r.text
    r = await jm.post(
        "/v1/hires",
        json={
            "enterprise_uscc": ENTERPRISE,
            "seeker_id": seeker_id,
            "job_post_id": post_id,
            "start_date": str(date.today()),
            "contract_type": "fixed_term",
            "contract_months": 36,
            "monthly_wage_fen": 750000,
        },
    )
    assert r.status_code == 201, r.text
    hire_id = r.json()["id"]
    if confirm:
        r = await jm.post(
            f"/v1/hires/{hire_id}/confirmation", headers=me, json={"decision": "confirm"}
        )
        assert r.status_code == 200, r.text
    return hire_id
