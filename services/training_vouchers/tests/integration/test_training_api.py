"""Subsidised training over HTTP and a real database: catalogue, institution, voucher issued,
redeemed, completed, certified (subsidy released), then the holder's hire makes the outcome
"employed"; every step announced on SUXIN_TRAINING."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from suxin.training.v1 import events_pb2 as training
from suxin_common.auth import Role, mint_dev_token
from suxin_devkit.testing import make_resident_id, make_uscc

pytestmark = pytest.mark.integration


def bearer(runtime, role: Role, institution_id: str | None = None) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, "u-1", [role], institution_id=institution_id)
    return {"Authorization": f"Bearer {token}"}


async def subjects(runtime) -> list[str]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(text("SELECT subject FROM outbox ORDER BY created_at, id"))
        return [r.subject for r in rows]


async def outbox_payloads(runtime, subject: str) -> list[bytes]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox WHERE subject = :s"), {"s": subject}
        )
        return [r.payload for r in rows]


async def test_voucher_from_issue_to_employed_outcome(
    client, runtime, make_hire, deliver, four_eyes
):
    staff = bearer(runtime, Role.HRSS_STAFF)
    # The catalogue entry takes two people: one proposes the table, another approves it.
    await four_eyes.put_occupation(
        "6-18-02-04",
        {
            "name": "焊工",
            "subsidy_fen": {"junior_worker": 100000, "intermediate_worker": 150000},
            "shortage": True,
        },
    )
    r = await client.get("/v1/occupations", params={"shortage": True}, headers=staff)
    assert [o["code"] for o in r.json()["items"]] == ["6-18-02-04"]
    r = await client.post(
        "/v1/institutions",
        json={"uscc": make_uscc(501), "name": "扬州技师学院", "district_code": "321002"},
        headers=staff,
    )
    assert r.status_code == 201, r.text
    school = r.json()["id"]
    other_school = (
        await client.post(
            "/v1/institutions",
            json={"uscc": make_uscc(502), "name": "另一学校", "district_code": "320102"},
            headers=staff,
        )
    ).json()["id"]

    resident_id = make_resident_id(88)
    issue = {
        "resident_id": resident_id,
        "occupation_code": "6-18-02-04",
        "training_kind": "employment_skills",
        "target_level": "intermediate_worker",
        "eligibility": "rural_labour",
        "city_code": "3210",
    }
    r = await client.post("/v1/vouchers", json=issue, headers=staff)
    assert r.status_code == 201, r.text
    voucher = r.json()
    assert voucher["amount_fen"] == 150000 and voucher["status"] == "issued"
    assert voucher["masked_resident_id"].startswith("3210") and "*" in voucher["masked_resident_id"]
    assert resident_id not in r.text
    assert (await client.post("/v1/vouchers", json=issue, headers=staff)).status_code == 409
    bad = issue | {"target_level": "senior_technician", "resident_id": make_resident_id(89)}
    assert (await client.post("/v1/vouchers", json=bad, headers=staff)).status_code == 422

    vid = voucher["id"]
    mine = bearer(runtime, Role.INSTITUTION, school)
    theirs = bearer(runtime, Role.INSTITUTION, other_school)
    r = await client.post(
        f"/v1/vouchers/{vid}/completion",
        json={"completed_on": str(date.today()), "passed": True},
        headers=mine,
    )
    assert r.status_code == 404  # not enrolled there: nothing to complete
    r = await client.post(f"/v1/vouchers/{vid}/enrolment", headers=mine)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "enrolled" and r.json()["eligibility"] is None
    r = await client.post(f"/v1/vouchers/{vid}/enrolment", headers=theirs)
    assert r.status_code == 404  # another institution's voucher
    today = date.today()
    r = await client.post(
        f"/v1/vouchers/{vid}/completion",
        json={"completed_on": str(today), "passed": True},
        headers=mine,
    )
    assert r.json()["status"] == "completed", r.text
    r = await client.post(
        f"/v1/vouchers/{vid}/certification",
        json={"certified_on": str(today), "skill_level": "intermediate_worker"},
        headers=mine,
    )
    assert r.json()["status"] == "certified" and r.json()["subsidy_fen"] == 150000, r.text
    r = await client.post(
        f"/v1/vouchers/{vid}/certification",
        json={"certified_on": str(today), "skill_level": "intermediate_worker"},
        headers=mine,
    )
    assert r.status_code == 409

    # The holder is hired 30 days later: the outcome becomes "employed".
    hire = make_hire()
    hire.person_key = runtime.personal_data.person_key(resident_id)
    start = today + timedelta(days=30)
    hire.start_date.year, hire.start_date.month, hire.start_date.day = (
        start.year,
        start.month,
        start.day,
    )
    await deliver(hire)
    await deliver(hire, event_id=str(uuid.uuid4()))  # announced again: no second outcome

    r = await client.get(f"/v1/vouchers/{vid}", headers=staff)
    assert r.json()["outcome"] == "employed"
    training_subjects = [s for s in await subjects(runtime) if s.startswith("suxin.training")]
    assert training_subjects == [
        "suxin.training.voucher_issued.v1",
        "suxin.training.voucher_redeemed.v1",
        "suxin.training.training_completed.v1",
        "suxin.training.training_certified.v1",
        "suxin.training.training_outcome_recorded.v1",
    ]
    [certified] = await outbox_payloads(runtime, "suxin.training.training_certified.v1")
    certified = training.TrainingCertified.FromString(certified)
    assert certified.subsidy_fen == 150000 and certified.city_code == "3210"
    [outcome] = await outbox_payloads(runtime, "suxin.training.training_outcome_recorded.v1")
    outcome = training.TrainingOutcomeRecorded.FromString(outcome)
    assert (outcome.hire_id, outcome.days_after_certification) == (hire.hire_id, 30)
    for payload in await outbox_payloads(runtime, "suxin.training.voucher_issued.v1"):
        assert resident_id.encode() not in payload
    listed = await client.get("/v1/vouchers", headers=theirs)
    assert listed.status_code == 200 and listed.json()["items"] == []
