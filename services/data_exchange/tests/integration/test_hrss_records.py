"""就业失业登记 and 就业困难人员认定 by district staff: lifecycle, maker-checker, districts,
audit, and the facts they publish."""

from __future__ import annotations

import pytest

from suxin.dataexchange.v1 import facts_pb2 as facts_pb
from suxin_devkit.testing import scalar

from .conftest import bearer, facts_published, person

pytestmark = pytest.mark.integration

# Two staff members of 扬州 广陵区 (321002), one of 邗江区 (321003).
HANDLER = bearer("hrss_staff", "staff-wang", district="321002")
CHECKER = bearer("hrss_staff", "staff-li", district="321002")
ELSEWHERE = bearer("hrss_staff", "staff-zhao", district="321003")


async def test_employment_difficulty_lifecycle_with_maker_checker(client, runtime):
    body = {
        "resident_id": person(11),
        "residence_district": "321002",
        "service_point": "文昌阁社区就业服务站",
        "category": "older_unemployed",
        "statement": "失业一年以上，年满50岁",
    }
    r = await client.post("/v1/employment-difficulties", json=body, headers=HANDLER)
    assert r.status_code == 201, r.text
    record = r.json()
    assert record["status"] == "applied" and record["handler"] == "staff-wang"
    assert record["masked_resident_id"] == person(11)[:4] + "*" * 10 + person(11)[-4:]
    url = f"/v1/employment-difficulties/{record['id']}"

    # Another open record for the same person: refused.
    again = await client.post("/v1/employment-difficulties", json=body, headers=CHECKER)
    assert again.status_code == 409
    # Outside the district: the record does not exist for that staff member.
    assert (await client.get(url, headers=ELSEWHERE)).status_code == 404
    other = await client.post(
        "/v1/employment-difficulties", json=body | {"resident_id": person(12)}, headers=ELSEWHERE
    )
    assert other.status_code == 403

    r = await client.post(
        f"{url}/check", json={"passed": True, "note": "材料齐全"}, headers=HANDLER
    )
    assert r.json()["status"] == "checked"
    # The handler may not decide on their own application.
    r = await client.post(f"{url}/decision", json={"approve": True}, headers=HANDLER)
    assert r.status_code == 403 and r.json()["code"] == "checker-is-handler"
    assert await facts_published(runtime) == []
    r = await client.post(f"{url}/decision", json={"approve": True}, headers=CHECKER)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["next_review_due"] is not None

    [recognised] = await facts_published(runtime)
    assert recognised.kind == facts_pb.FACT_KIND_EMPLOYMENT_DIFFICULTY
    assert recognised.department == facts_pb.DEPARTMENT_HRSS_RECORDS
    assert recognised.fact_key == record["fact_key"] and recognised.version == 1
    assert (
        recognised.employment_difficulty.category == facts_pb.DIFFICULTY_CATEGORY_OLDER_UNEMPLOYED
    )
    assert recognised.employment_difficulty.district_code == "321002"
    assert recognised.evidence_ref.startswith(f"employment_difficulty:{record['id']}@")

    # Yearly review: still eligible, a new version; then exit on re-employment: revoked.
    r = await client.post(f"{url}/reviews", json={"still_eligible": True}, headers=CHECKER)
    assert r.status_code == 200 and r.json()["reviewed_on"] is not None
    r = await client.post(f"{url}/exit", json={"reason": "reemployed"}, headers=HANDLER)
    assert r.json()["status"] == "exited" and r.json()["exit_reason"] == "reemployed"
    r = await client.post(f"{url}/exit", json={"reason": "reemployed"}, headers=HANDLER)
    assert r.status_code == 409 and r.json()["code"] == "wrong-status"

    events = await facts_published(runtime)
    assert [(e.version, e.revoked) for e in events] == [(1, False), (2, False), (3, True)]
    assert events[1].employment_difficulty.HasField("reviewed_on")

    history = (await client.get(f"{url}/history", headers=HANDLER)).json()
    assert [h["step"] for h in history] == ["apply", "check", "decision", "review", "exit"]
    assert [h["actor"] for h in history] == [
        "staff-wang",
        "staff-wang",
        "staff-li",
        "staff-li",
        "staff-wang",
    ]
    decisions = await scalar(
        runtime.engine,
        "SELECT count(*) FROM audit_log WHERE action = 'decide_hrss_record' AND object_id = :id",
        id=record["id"],
    )
    assert decisions == 3
    # After the exit the person may apply again.
    r = await client.post("/v1/employment-difficulties", json=body, headers=HANDLER)
    assert r.status_code == 201


async def test_unemployment_registration_rejected_and_approved_then_exit(client, runtime):
    body = {"resident_id": person(21), "residence_district": "321002"}
    r = await client.post("/v1/unemployment-registrations", json=body, headers=HANDLER)
    url = f"/v1/unemployment-registrations/{r.json()['id']}"
    await client.post(f"{url}/check", json={"passed": False, "note": "仍在职"}, headers=HANDLER)
    r = await client.post(f"{url}/decision", json={"approve": True}, headers=CHECKER)
    assert r.status_code == 409 and r.json()["code"] == "check-failed"
    r = await client.post(f"{url}/decision", json={"approve": False}, headers=CHECKER)
    assert r.status_code == 409 and r.json()["code"] == "reason-required"
    r = await client.post(
        f"{url}/decision", json={"approve": False, "note": "社保显示在职"}, headers=CHECKER
    )
    assert r.json()["status"] == "rejected"
    assert await facts_published(runtime) == []
    # No yearly review for registrations.
    assert (
        await client.post(f"{url}/reviews", json={"still_eligible": True}, headers=CHECKER)
    ).status_code == 404

    r = await client.post("/v1/unemployment-registrations", json=body, headers=HANDLER)
    url = f"/v1/unemployment-registrations/{r.json()['id']}"
    await client.post(f"{url}/check", json={"passed": True}, headers=HANDLER)
    await client.post(f"{url}/decision", json={"approve": True}, headers=CHECKER)
    await client.post(f"{url}/exit", json={"reason": "reemployed"}, headers=CHECKER)
    events = await facts_published(runtime)
    assert [(e.kind, e.version, e.revoked) for e in events] == [
        (facts_pb.FACT_KIND_UNEMPLOYMENT_REGISTRATION, 1, False),
        (facts_pb.FACT_KIND_UNEMPLOYMENT_REGISTRATION, 2, True),
    ]
    assert events[1].HasField("valid_until")

    listed = await client.get("/v1/unemployment-registrations", headers=HANDLER)
    assert len(listed.json()["items"]) == 2
    assert (await client.get("/v1/unemployment-registrations", headers=ELSEWHERE)).json()[
        "items"
    ] == []


async def test_bad_applications_are_named_problems(client, runtime):
    cases = [
        ({"resident_id": "321002199001010010", "residence_district": "321002"}, "resident_id"),
        ({"resident_id": person(1), "residence_district": "110101"}, "residence_district"),
        (
            {"resident_id": person(1), "residence_district": "321002", "applied_on": "2999-01-01"},
            "applied_on",
        ),
    ]
    for body, field in cases:
        r = await client.post("/v1/unemployment-registrations", json=body, headers=HANDLER)
        assert r.status_code == 422, r.text
        assert field in str(r.json()["errors"][0]["field"])
        assert person(1) not in r.text
    r = await client.post(
        "/v1/employment-difficulties",
        json={"resident_id": person(1), "residence_district": "321002", "category": "rich"},
        headers=HANDLER,
    )
    assert r.status_code == 422
    assert await scalar(runtime.engine, "SELECT count(*) FROM staff_records") == 0


async def test_personal_numbers_in_statements_and_notes_are_masked_before_storage(client, runtime):
    witness = person(91)
    masked = witness[:4] + "*" * 10 + witness[-4:]
    body = {
        "resident_id": person(90),
        "residence_district": "321002",
        "category": "older_unemployed",
        "statement": f"由配偶代办（身份证{witness}，电话13912345678）",
    }
    r = await client.post("/v1/employment-difficulties", json=body, headers=HANDLER)
    assert r.status_code == 201, r.text
    url = f"/v1/employment-difficulties/{r.json()['id']}"
    r = await client.post(
        f"{url}/check", json={"passed": True, "note": "已电话13800001111核实"}, headers=HANDLER
    )
    assert r.json()["check_note"].endswith("已电话138****1111核实")
    stored = await scalar(
        runtime.engine,
        "SELECT string_agg(coalesce(statement, '') || coalesce(check_note, ''), '|') "
        "FROM staff_records",
    )
    assert f"由配偶代办（身份证{masked}，电话139****5678）" in stored
    assert witness not in stored and "13912345678" not in stored and "13800001111" not in stored
