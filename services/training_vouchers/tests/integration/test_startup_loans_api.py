"""Over HTTP and a real database: a 创业担保贷款 case from application to 贴息 and to 风险补偿,
each step saved and audited; impossible steps are 422 naming the field, steps out of order 409,
another district's loan 404."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from suxin_common.auth import Role, mint_dev_token

pytestmark = pytest.mark.integration


def headers(runtime, *roles: Role, district: str | None = None) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, "bank-feed", roles, district=district)
    return {"Authorization": f"Bearer {token}"}


def application(**changes) -> dict:
    return {
        "loan_id": f"L-{uuid.uuid4().hex[:8]}",
        "applied_on": "2026-05-01",
        "borrower_kind": "individual",
        "borrower_groups": ["college_graduate"],
        "amount_fen": 20_000_000,
        "term_months": 24,
        "person_key": f"pk_{uuid.uuid4().hex}",
        "district_code": "321002",
    } | changes


async def test_from_application_to_risk_compensation(client, runtime):
    feed = headers(runtime, Role.SERVICE)
    r = await client.post("/v1/startup-loans", json=application(), headers=feed)
    assert r.status_code == 201, r.text
    loan = r.json()
    assert loan["status"] == "applied"
    base = f"/v1/startup-loans/{loan['id']}"

    guaranteed = {"guarantor": "扬州市创业担保中心", "guaranteed_on": "2026-05-08"}
    r = await client.post(
        f"{base}/guarantee", headers=feed, json=guaranteed | {"fee_charged_fen": 1}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "fee_charged_fen"
    r = await client.post(
        f"{base}/guarantee", headers=feed, json=guaranteed | {"fee_charged_fen": 0}
    )
    assert r.json()["status"] == "guaranteed"
    r = await client.post(f"{base}/disbursement", headers=feed, json={
        "bank": "某银行", "disbursed_on": "2026-05-15", "principal_fen": 20_000_000,
        "annual_rate_bp": 345})  # fmt: skip
    assert (r.json()["status"], r.json()["due_on"]) == ("disbursed", "2028-05-15")
    r = await client.post(f"{base}/interest-periods", headers=feed, json={
        "period_start": "2026-05-15", "period_end": "2026-08-14",
        "interest_paid_fen": 172_500})  # fmt: skip
    assert r.json()["subsidy_total_fen"] == 86_250
    r = await client.post(f"{base}/interest-periods", headers=feed, json={
        "period_start": "2026-08-01", "period_end": "2026-09-01",
        "interest_paid_fen": 1})  # fmt: skip
    assert r.status_code == 422  # overlaps the first period
    r = await client.post(f"{base}/risk-compensation", headers=feed)
    assert r.status_code == 409  # not defaulted
    r = await client.post(f"{base}/default", headers=feed, json={
        "defaulted_on": "2026-11-30", "outstanding_fen": 8_000_000})  # fmt: skip
    assert r.json()["status"] == "defaulted"
    r = await client.post(f"{base}/risk-compensation", headers=feed)
    assert (r.json()["status"], r.json()["compensation_fen"]) == ("compensated", 4_000_000)

    stored = (await client.get(base, headers=feed)).json()
    assert stored["compensation_fen"] == 4_000_000 and len(stored["interest_periods"]) == 1
    # The read is audited too (issue 22), apart from the decisions.
    async with runtime.engine.connect() as conn:
        steps = (
            await conn.execute(
                text("SELECT details->>'decision' FROM audit_log WHERE object_id = :id"
                     " AND action <> 'read_personal_data' ORDER BY occurred_at"),
                {"id": loan["id"]})
        ).scalars().all()  # fmt: skip
    assert steps == ["applied", "guaranteed", "disbursed", "interest_subsidised", "defaulted",
                     "compensated"]  # fmt: skip


async def test_an_ineligible_application_is_rejected_with_chinese_reasons(client, runtime):
    r = await client.post(
        "/v1/startup-loans",
        json=application(amount_fen=30_000_001),
        headers=headers(runtime, Role.SERVICE),
    )
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "rejected"
    assert any(x.startswith("不符合") for x in r.json()["reasons"])


async def test_the_same_loan_twice_is_a_conflict_and_other_districts_do_not_see_it(client, runtime):
    body = application()
    feed = headers(runtime, Role.SERVICE)
    first = await client.post("/v1/startup-loans", json=body, headers=feed)
    again = await client.post("/v1/startup-loans", json=body, headers=feed)
    assert again.status_code == 409
    nanjing = headers(runtime, Role.HRSS_STAFF, district="320102")
    r = await client.get(f"/v1/startup-loans/{first.json()['id']}", headers=nanjing)
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"applied_on": "2099-01-01"}, "applied_on"),
        ({"amount_fen": 0}, "amount_fen"),
        ({"person_key": None}, "person_key"),
        ({"district_code": "999999"}, "district_code"),
    ],
)
async def test_impossible_applications_are_a_422_naming_the_field(client, runtime, changes, field):
    r = await client.post(
        "/v1/startup-loans", json=application(**changes), headers=headers(runtime, Role.SERVICE)
    )
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
