"""Over HTTP and a real database: the social-insurance data feed opens and completes cases
(maternity, 稳岗返还, hiring), staff review them, payment is recorded, overdue cases show."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.auth import Role, mint_dev_token
from suxin_common.identity import gender_of
from suxin_devkit import factfeed
from suxin_devkit.testing import make_resident_id, make_uscc

pytestmark = pytest.mark.integration

USCC = "91321000MA1XXXXX18"
OTHER = make_uscc(9)
SIX = ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]


def bearer(runtime, *roles: Role, uscc: str | None = None) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {mint_dev_token(runtime.settings, 'staff-7', roles, uscc=uscc)}"
    }


def month(m: str) -> dict:
    return {
        "month": m,
        "employer": {
            "pension_fen": 128000,
            "medical_fen": 64000,
            "unemployment_fen": 4000,
            "work_injury_fen": 3200,
            "maternity_fen": 6400,
        },
        "employee_fen": 84000,
    }


def woman(n: int) -> str:
    for k in range(n, n + 20):
        rid = make_resident_id(k)
        if gender_of(rid) == "female":
            return rid
    raise AssertionError


async def events(runtime, subject: str) -> list:
    async with runtime.engine.connect() as conn:
        rows = (
            await conn.execute(
                text("SELECT payload FROM outbox WHERE subject = :s"), {"s": subject}
            )
        ).all()
    return [r.payload for r in rows]


async def test_maternity_subsidy_from_birth_and_six_months_of_contributions(
    client, runtime, verify
):
    feed = bearer(runtime, Role.SERVICE)
    resident_id = woman(300)
    person_key = runtime.personal_data.person_key(resident_id)
    birth = {
        "enterprise_uscc": USCC,
        "resident_id": resident_id,
        "birth_date": "2026-03-14",
        "child_order": 2,
        "district_code": "321002",
    }
    r = await client.post("/v1/social-insurance/births", json=birth, headers=feed)
    assert r.status_code == 201, r.text
    [case_id] = r.json()["cases"]
    # The same birth reported again opens nothing more.
    r = await client.post("/v1/social-insurance/births", json=birth, headers=feed)
    assert r.json()["cases"] == []
    # The employer's report is a claim: the case waits for 卫健's 出生医学证明.
    staff = bearer(runtime, Role.HRSS_STAFF)
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=staff)).json()
    assert case["status"] == "awaiting_data"
    waiting = {w["fact"]: w for w in case["waiting_for"]}
    assert waiting["child_order"]["accepted_sources"] == ["health"]
    assert waiting["child_order"]["declared"] == 2
    await verify(factfeed.birth(person_key, date(2026, 3, 14), 2))
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=staff)).json()
    assert case["waiting_for"] == [] and case["sources"]["child_order"]["source"] == "health"

    body = {
        "enterprise_uscc": USCC,
        "resident_id": resident_id,
        "months": [month(m) for m in SIX[:5]],
    }
    r = await client.post("/v1/social-insurance/contributions", json=body, headers=feed)
    assert r.status_code == 200, r.text
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=staff)).json()
    assert case["status"] == "awaiting_data"

    body["months"] = [month(SIX[5])]
    r = await client.post("/v1/social-insurance/contributions", json=body, headers=feed)
    assert r.json()["cases_changed"] == [case_id]
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=staff)).json()
    assert case["status"] == "under_review"
    assert case["rule_id"] == "maternity_second_third_child"
    assert case["amount_fen"] == 616_800  # 50% of 6 x 2,056 yuan employer-paid
    assert case["occasion"] == "child-2"
    assert case["city_code"] == "3210"
    assert resident_id not in r.text and resident_id not in str(case)

    replay = (await client.get(f"/v1/subsidy-cases/{case_id}/replay", headers=staff)).json()
    assert replay["same_as_stored"] and replay["amount_fen"] == 616_800


async def test_job_stabilisation_refund_once_a_year(client, runtime):
    feed = bearer(runtime, Role.HRSS_STAFF)
    year = {
        "enterprise_uscc": USCC,
        "year": 2025,
        "enterprise_size": "medium",
        "insured_headcount": 200,
        "layoffs": 10,
        "unemployment_insurance_paid_fen": 1_000_000,
        "contributions_in_arrears": False,
        "district_code": "321002",
    }
    r = await client.post("/v1/social-insurance/enterprise-years", json=year, headers=feed)
    assert r.status_code == 201, r.text
    [case_id] = r.json()["cases"]
    r = await client.post("/v1/social-insurance/enterprise-years", json=year, headers=feed)
    assert r.json()["cases"] == []
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=feed)).json()
    assert (case["rule_family"], case["amount_fen"], case["status"]) == (
        "job_stabilisation",
        600_000,
        "under_review",
    )
    assert case["review_deadline"] is not None


@pytest.fixture
async def case_id(client, runtime) -> str:
    year = {
        "enterprise_uscc": USCC,
        "year": 2025,
        "enterprise_size": "large",
        "insured_headcount": 1000,
        "layoffs": 0,
        "unemployment_insurance_paid_fen": 2_000_000,
        "contributions_in_arrears": False,
    }
    r = await client.post(
        "/v1/social-insurance/enterprise-years", json=year, headers=bearer(runtime, Role.SERVICE)
    )
    [case_id] = r.json()["cases"]
    return case_id


async def test_staff_approve_and_record_payment_and_the_events_say_so(
    client, runtime, case_id, four_eyes
):
    staff = bearer(runtime, Role.HRSS_STAFF)
    path = f"/v1/subsidy-cases/{case_id}"

    # Two people approve (maker-checker); a proposal already waiting is not made twice.
    r = await client.post(f"{path}/decision", json={"decision": "approve"}, headers=staff)
    assert r.status_code == 200, r.text
    proposal = r.json()["pending_approval_id"]
    again = await client.post(f"{path}/decision", json={"decision": "approve"}, headers=staff)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    r = await four_eyes.check(proposal, "checker-2")
    assert r.status_code == 200, r.text
    r = await client.get(path, headers=staff)
    assert r.json()["status"] == "approved"
    again = await client.post(f"{path}/decision", json={"decision": "approve"}, headers=staff)
    assert again.status_code == 409
    # Two more people, neither an approver, record the payment.
    r = await client.post(
        f"{path}/payment", json={"reference": "PV-2026-001"}, headers=four_eyes.staff("payer-3")
    )
    assert r.status_code == 200, r.text
    r = await four_eyes.check(r.json()["pending_approval_id"], "payer-4")
    assert r.status_code == 200, r.text
    r = await client.get(path, headers=staff)
    assert r.json()["status"] == "paid" and r.json()["payment_reference"] == "PV-2026-001"

    [decided] = await events(runtime, "suxin.subsidy.subsidy_case_decided.v1")
    decided = subsidy.SubsidyCaseDecided.FromString(decided)
    assert decided.decision == subsidy.DECISION_APPROVED
    assert decided.amount_fen == 600_000 and decided.decided_in_time
    [paid] = await events(runtime, "suxin.subsidy.subsidy_case_paid.v1")
    assert subsidy.SubsidyCasePaid.FromString(paid).amount_fen == 600_000


async def test_return_for_information_then_resubmit_then_reject_with_reason(
    client, runtime, case_id
):
    staff = bearer(runtime, Role.HRSS_STAFF)
    own = bearer(runtime, Role.ENTERPRISE, uscc=USCC)
    other = bearer(runtime, Role.ENTERPRISE, uscc=OTHER)
    path = f"/v1/subsidy-cases/{case_id}"

    r = await client.post(f"{path}/decision", json={"decision": "return"}, headers=staff)
    assert r.status_code == 422  # a return needs a reason
    r = await client.post(
        f"{path}/decision", json={"decision": "return", "reason": "请补充裁员名单"}, headers=staff
    )
    assert r.json()["status"] == "returned"
    r = await client.post(f"{path}/resubmission", json={"note": "已上传"}, headers=other)
    assert r.status_code == 404  # another enterprise's case does not exist for it
    r = await client.post(f"{path}/resubmission", json={"note": "已上传"}, headers=own)
    assert r.status_code == 200 and r.json()["status"] == "under_review"
    r = await client.post(
        f"{path}/decision", json={"decision": "reject", "reason": "裁员数据不符"}, headers=staff
    )
    assert r.json()["status"] == "rejected" and r.json()["decision_reason"] == "裁员数据不符"
    r = await client.post(f"{path}/payment", json={"reference": "PV-1"}, headers=staff)
    assert r.status_code == 409


async def test_overdue_cases_are_listed_for_staff(client, runtime, case_id):
    async with runtime.engine.begin() as conn:
        await conn.execute(
            text("UPDATE subsidy_cases SET review_deadline = '2026-01-30' WHERE id = :id"),
            {"id": case_id},
        )
    staff = bearer(runtime, Role.HRSS_STAFF)

    r = await client.get("/v1/subsidy-cases/overdue", headers=staff)

    assert r.status_code == 200, r.text
    [item] = r.json()["items"]
    assert item["id"] == case_id and item["overdue"] is True
    r = await client.get(
        "/v1/subsidy-cases/overdue", headers=bearer(runtime, Role.ENTERPRISE, uscc=USCC)
    )
    assert r.status_code == 403


async def test_contributions_by_resident_id_complete_a_hire_case(
    client, runtime, make_hire, deliver, verify
):
    resident_id = make_resident_id(77)
    event = make_hire()
    event.person_key = runtime.personal_data.person_key(resident_id)
    await verify(factfeed.education(event.person_key, "bachelor", date(2025, 6, 30)))
    await deliver(event, at=datetime(2026, 9, 18, 2, tzinfo=UTC))
    body = {
        "enterprise_uscc": event.enterprise_uscc,
        "resident_id": resident_id,
        "months": [month("2026-09")],
    }

    r = await client.post(
        "/v1/social-insurance/contributions", json=body, headers=bearer(runtime, Role.SERVICE)
    )

    assert r.status_code == 200, r.text
    [case_id] = r.json()["cases_changed"]
    case = (
        await client.get(f"/v1/subsidy-cases/{case_id}", headers=bearer(runtime, Role.HRSS_STAFF))
    ).json()
    assert case["status"] == "under_review" and case["hire_id"] == event.hire_id
