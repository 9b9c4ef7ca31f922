"""Over HTTP, a real database and the EmploymentEnded handler: a maternity case waiting for six
months of contributions is decided on the months the employer actually paid once she leaves
(seed 003: 按照企业为其实际缴纳的…保险费的50%给予补贴), and a 机关事业单位 birth opens nothing."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.auth import Role
from suxin_devkit import factfeed
from training_vouchers import contracts, handlers
from training_vouchers.policies import load_book

from .test_review_and_ingest_api import SIX, USCC, bearer, month, woman

pytestmark = pytest.mark.integration

EMPLOYER_MONTH_FEN = 205_600


async def employment_ended(runtime, person_key: str, end: Date) -> None:
    event = hiring.EmploymentEnded(
        hire_id=str(uuid.uuid4()),
        version=2,
        enterprise_uscc=USCC,
        person_key=person_key,
        city_code="3210",
        end_date=end,
        reason=hiring.SEPARATION_REASON_RESIGNATION,
    )
    async with runtime.uow() as uow:
        # What the subscription does: translate once, then handle the domain object.
        await handlers.on_employment_ended(uow, contracts.employment_ended(event), book=load_book())
        await uow.commit()


async def test_she_leaves_after_three_months_and_the_case_pays_on_those(client, runtime, verify):
    feed = bearer(runtime, Role.SERVICE)
    staff = bearer(runtime, Role.HRSS_STAFF)
    resident_id = woman(400)
    # 卫健's 出生医学证明 (the employer's report alone is a claim the case would wait on).
    await verify(
        factfeed.birth(runtime.personal_data.person_key(resident_id), date(2026, 3, 14), 3)
    )
    birth = {
        "enterprise_uscc": USCC,
        "resident_id": resident_id,
        "birth_date": "2026-03-14",
        "child_order": 3,
        "district_code": "321002",
    }
    [case_id] = (await client.post("/v1/social-insurance/births", json=birth, headers=feed)).json()[
        "cases"
    ]
    body = {
        "enterprise_uscc": USCC,
        "resident_id": resident_id,
        "months": [month(m) for m in SIX[:3]],
    }
    await client.post("/v1/social-insurance/contributions", json=body, headers=feed)
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=staff)).json()
    assert case["status"] == "awaiting_data"

    person_key = runtime.personal_data.person_key(resident_id)
    await employment_ended(runtime, person_key, Date(year=2026, month=5, day=31))

    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=staff)).json()
    assert case["status"] == "under_review"
    assert case["amount_fen"] == EMPLOYER_MONTH_FEN * 3 * 8 // 10  # 三孩 80% of three months
    assert case["inputs"]["employment_ended_in_window"] is True
    assert case["review_deadline"] is not None


async def test_a_public_institution_birth_opens_no_case(client, runtime):
    from stdnum.cn import uscc as std

    body17 = "12321002MB1XXXXX1"
    institution = body17 + std.calc_check_digit(body17)
    birth = {
        "enterprise_uscc": institution,
        "resident_id": woman(500),
        "birth_date": "2026-03-14",
        "child_order": 2,
        "district_code": "321002",
    }
    r = await client.post(
        "/v1/social-insurance/births", json=birth, headers=bearer(runtime, Role.SERVICE)
    )
    assert r.status_code == 201, r.text
    assert r.json()["cases"] == []
