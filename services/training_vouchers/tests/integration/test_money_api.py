"""Money under four eyes, over HTTP and a real database (docs/money.md): two people for every
approval and payment, amounts bounded by their rule, table changes that wait for approval,
a payment batch out and its result file back (one payment returned and queued again, the same
file twice changing nothing), and an appeal from a person's token that reopens the case."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.auth import Role, mint_dev_token
from suxin_devkit.testing import api_client, make_resident_id, make_uscc
from training_vouchers.app import create_app
from training_vouchers.domain.payments import Outcome, parse_batch_file, result_file

pytestmark = pytest.mark.integration

YANGZHOU = "321002"
PAYER = "JSRS-JYZJ-3210"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def stabilisation_case(client, runtime, n: int) -> str:
    """A 稳岗返还 case of 600,000 fen under review for enterprise ``n`` in 扬州广陵."""
    year = {
        "enterprise_uscc": make_uscc(n),
        "year": 2025,
        "enterprise_size": "large",
        "insured_headcount": 1000,
        "layoffs": 0,
        "unemployment_insurance_paid_fen": 2_000_000,
        "contributions_in_arrears": False,
        "district_code": YANGZHOU,
    }
    service = mint_dev_token(runtime.settings, "si-feed", [Role.SERVICE])
    r = await client.post(
        "/v1/social-insurance/enterprise-years",
        json=year,
        headers={"Authorization": f"Bearer {service}"},
    )
    assert r.status_code == 201, r.text
    [case_id] = r.json()["cases"]
    return case_id


async def outbox(runtime, subject: str) -> list[bytes]:
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT payload FROM outbox WHERE subject = :s ORDER BY created_at"),
            {"s": subject},
        )
        return [r.payload for r in rows]


async def test_the_same_person_cannot_approve_and_pay(client, runtime, four_eyes):
    case_id = await stabilisation_case(client, runtime, 801)
    path = f"/v1/subsidy-cases/{case_id}"
    alice, bob, carol, dave = (four_eyes.staff(n) for n in ("alice", "bob", "carol", "dave"))

    r = await client.post(f"{path}/decision", json={"decision": "approve"}, headers=alice)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "under_review"  # nothing is approved by one person
    approval = r.json()["pending_approval_id"]
    # Alice cannot confirm her own proposal, not even with a second role in another token.
    both_roles = mint_dev_token(runtime.settings, "alice", [Role.HRSS_STAFF, Role.AUDITOR])
    for headers in (alice, {"Authorization": f"Bearer {both_roles}"}):
        r = await client.post(
            f"/v1/approvals/{approval}/check", json={"verdict": "confirm"}, headers=headers
        )
        assert r.status_code == 403 and r.json()["four_eyes"] == "own-work", r.text
    r = await four_eyes.check(approval, "bob")
    assert r.status_code == 200, r.text
    assert r.json()["result"]["status"] == "approved"
    case = (await client.get(path, headers=carol)).json()
    assert (case["status"], case["decided_by"], case["approved_by"]) == ("approved", "alice", "bob")

    # Neither approver may put the payment into a batch or record it as paid.
    for approver in (alice, bob):
        r = await client.post(
            "/v1/payment-batches", json={"payer_account": PAYER}, headers=approver
        )
        assert r.status_code == 403 and r.json()["four_eyes"] == "took-part", r.text
        r = await client.post(f"{path}/payment", json={"reference": "PV-1"}, headers=approver)
        assert r.status_code == 403, r.text
    # Carol prepares the batch; she cannot release it herself, nor can the approvers.
    r = await client.post("/v1/payment-batches", json={"payer_account": PAYER}, headers=carol)
    assert r.status_code == 201, r.text
    release = r.json()["approval_id"]
    for who, why in (("carol", "own-work"), ("alice", "took-part"), ("bob", "took-part")):
        r = await four_eyes.check(release, who)
        assert r.status_code == 403 and r.json()["four_eyes"] == why, (who, r.text)
    r = await client.post(
        f"/v1/approvals/{release}/check", json={"verdict": "confirm"}, headers=dave
    )
    assert r.status_code == 200 and r.json()["result"]["status"] == "released", r.text
    # The proposal trail keeps every maker and checker.
    r = await client.get(f"/v1/approvals/{approval}", headers=dave)
    assert (r.json()["maker"], r.json()["checker"], r.json()["status"]) == (
        "alice",
        "bob",
        "confirmed",
    )


@pytest.fixture
async def strict_client(runtime):
    """The service with a 5,000-yuan threshold above which a city-level checker is needed."""
    settings = runtime.settings.model_copy(update={"four_eyes_second_level_above_fen": 500_000})
    async with api_client(create_app(settings), runtime) as c:
        yield c


async def test_above_the_threshold_a_higher_level_checker_is_needed(strict_client, runtime):
    from suxin_common.security.four_eyes import Level

    client = strict_client
    case_id = await stabilisation_case(client, runtime, 802)  # 600,000 fen > 500,000

    def staff(subject, district):
        token = mint_dev_token(runtime.settings, subject, [Role.HRSS_STAFF], district=district)
        return {"Authorization": f"Bearer {token}"}

    r = await client.post(
        f"/v1/subsidy-cases/{case_id}/decision",
        json={"decision": "approve"},
        headers=staff("district-maker", YANGZHOU),
    )
    assert r.json()["pending_required_level"] == Level.CITY.label
    approval = r.json()["pending_approval_id"]
    check = {"verdict": "confirm"}
    r = await client.post(
        f"/v1/approvals/{approval}/check", json=check, headers=staff("district-peer", YANGZHOU)
    )
    assert r.status_code == 403 and r.json()["four_eyes"] == "level", r.text
    r = await client.post(
        f"/v1/approvals/{approval}/check", json=check, headers=staff("city-checker", "3210")
    )
    assert r.status_code == 200, r.text
    assert r.json()["checker_level"] == "city" and r.json()["result"]["status"] == "approved"

    # Below the threshold a district colleague suffices.
    small = await stabilisation_case(client, runtime, 803)
    r = await client.post(
        f"/v1/subsidy-cases/{small}/decision",
        json={"decision": "approve", "amount_fen": 400_000, "reason": "部分月份未足额缴费"},
        headers=staff("district-maker", YANGZHOU),
    )
    assert r.json()["pending_required_level"] == "district"
    r = await client.post(
        f"/v1/approvals/{r.json()['pending_approval_id']}/check",
        json=check,
        headers=staff("district-peer", YANGZHOU),
    )
    assert r.status_code == 200, r.text


async def test_an_amount_above_the_rule_is_refused_naming_the_field(client, runtime, four_eyes):
    case_id = await stabilisation_case(client, runtime, 804)
    path = f"/v1/subsidy-cases/{case_id}"
    maker = four_eyes.staff("maker-1")
    rule_amount = (await client.get(path, headers=maker)).json()["amount_fen"]

    r = await client.post(
        f"{path}/decision",
        json={"decision": "approve", "amount_fen": rule_amount + 1, "reason": "多给"},
        headers=maker,
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "amount_fen"
    assert r.json()["limit_fen"] == rule_amount
    # Less needs a reason; with one it is granted, and the rule's amount is kept beside it.
    r = await client.post(
        f"{path}/decision", json={"decision": "approve", "amount_fen": 1000}, headers=maker
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    case = await four_eyes.approve(case_id, amount_fen=500_000, reason="裁员人数待核实")
    assert (case["amount_fen"], case["rule_amount_fen"]) == (500_000, rule_amount)


async def test_an_unapproved_table_change_does_not_take_effect(client, runtime, four_eyes):
    code = "6-18-02-05"
    maker, checker = four_eyes.staff("table-maker"), four_eyes.staff("table-checker")
    await four_eyes.put_occupation(
        code, {"name": "焊工", "subsidy_fen": {"junior_worker": 100_000}}
    )

    # A raise proposed but not approved: the catalogue and new vouchers keep version 1.
    r = await client.put(
        f"/v1/occupations/{code}",
        json={"name": "焊工", "subsidy_fen": {"junior_worker": 900_000}},
        headers=maker,
    )
    assert r.status_code == 202 and r.json()["status"] == "proposed", r.text
    proposal = r.json()["approval_id"]
    [entry] = (await client.get("/v1/occupations", headers=checker)).json()["items"]
    assert (entry["table_version"], entry["subsidy_fen"]) == (1, {"junior_worker": 100_000})
    voucher = {
        "resident_id": make_resident_id(901),
        "occupation_code": code,
        "training_kind": "employment_skills",
        "target_level": "junior_worker",
        "eligibility": "registered_unemployed",
        "city_code": "3210",
    }
    r = await client.post("/v1/vouchers", json=voucher, headers=checker)
    assert r.status_code == 201, r.text
    assert (r.json()["amount_fen"], r.json()["table_version"]) == (100_000, 1)
    # The proposer cannot approve it; a district-level colleague may not either (tables need
    # city level); refused, it never takes effect.
    r = await four_eyes.check(proposal, "table-maker")
    assert r.status_code == 403
    r = await four_eyes.check(proposal, "district-clerk", YANGZHOU)
    assert r.status_code == 403 and r.json()["four_eyes"] == "level"
    r = await four_eyes.check(proposal, "table-checker", verdict="refuse", reason="超出省定标准")
    assert r.status_code == 200 and r.json()["status"] == "refused"
    [entry] = (await client.get("/v1/occupations", headers=checker)).json()["items"]
    assert entry["subsidy_fen"] == {"junior_worker": 100_000}
    versions = (await client.get(f"/v1/occupations/{code}/versions", headers=checker)).json()
    assert [(v["version"], v["status"]) for v in versions] == [(1, "approved"), (2, "refused")]
    # A change approved for a later day is not in force before it.
    r = await client.put(
        f"/v1/occupations/{code}",
        json={
            "name": "焊工",
            "subsidy_fen": {"junior_worker": 120_000},
            "effective_from": "2099-01-01",
        },
        headers=maker,
    )
    assert (await four_eyes.check(r.json()["approval_id"], "table-checker")).status_code == 200
    [entry] = (await client.get("/v1/occupations", headers=checker)).json()["items"]
    assert entry["table_version"] == 1
    # No table for an unknown occupation until one is approved.
    r = await client.put(
        "/v1/occupations/6-18-02-06",
        json={"name": "x", "subsidy_fen": {"junior_worker": 1}},
        headers=maker,
    )
    assert r.status_code == 202
    r = await client.post(
        "/v1/vouchers",
        json=voucher | {"occupation_code": "6-18-02-06", "resident_id": make_resident_id(902)},
        headers=checker,
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "occupation_code"


async def test_a_batch_goes_out_and_its_result_comes_back(client, runtime, four_eyes):
    cases = [await stabilisation_case(client, runtime, 810 + n) for n in range(3)]
    for case_id in cases:
        await four_eyes.approve(case_id)
    payer = four_eyes.staff("payer-clerk")
    queued = (await client.get("/v1/payments", params={"status": "queued"}, headers=payer)).json()
    assert sorted(p["case_id"] for p in queued) == sorted(cases)

    r = await client.post("/v1/payment-batches", json={"payer_account": PAYER}, headers=payer)
    assert r.status_code == 201, r.text
    batch = r.json()
    assert (batch["item_count"], batch["total_fen"], batch["status"]) == (3, 1_800_000, "prepared")
    assert (await four_eyes.check(batch["approval_id"], "release-officer")).status_code == 200
    r = await client.get(f"/v1/payment-batches/{batch['id']}/file", headers=payer)
    assert r.headers["x-checksum-sha256"] == batch["file_sha256"]
    sent = parse_batch_file(r.content)
    assert (sent.batch_id, sent.total_fen, len(sent.lines)) == (
        uuid.UUID(batch["id"]),
        1_800_000,
        3,
    )

    # The bank pays two and returns one (account closed).
    returned = sent.lines[1]
    rows = [
        (line.payment_id, line.amount_fen, Outcome.PAID, f"BK{line.seq:04d}", "", "")
        if line is not returned
        else (line.payment_id, line.amount_fen, Outcome.RETURNED, "", "R03", "账户已销户")
        for line in sent.lines
    ]
    content = result_file(sent.batch_id, PAYER, rows)
    upload = {"content-type": "text/csv"} | payer
    url = f"/v1/payment-batches/{batch['id']}/results"
    r = await client.post(url, content=content, headers=upload)
    assert r.status_code == 200, r.text
    first = r.json()
    assert (first["paid"], first["returned"], first["duplicate"]) == (2, 1, False)
    assert first["batch_status"] == "reconciled"
    [requeued] = first["requeued_payment_ids"]

    by_case = {c: (await client.get(f"/v1/subsidy-cases/{c}", headers=payer)).json() for c in cases}
    returned_case = next(p["case_id"] for p in queued if p["id"] == str(returned.payment_id))
    assert {c: b["status"] for c, b in by_case.items()} == {
        c: "approved" if c == returned_case else "paid" for c in cases
    }
    queue = (await client.get("/v1/payments", params={"status": "queued"}, headers=payer)).json()
    assert [(p["id"], p["case_id"], p["attempt"]) for p in queue] == [(requeued, returned_case, 2)]
    [back] = await outbox(runtime, "suxin.subsidy.subsidy_payment_returned.v1")
    back = subsidy.SubsidyPaymentReturned.FromString(back)
    assert (back.case_id, back.return_code, back.requeued_payment_id) == (
        returned_case,
        "R03",
        requeued,
    )
    paid_events = await outbox(runtime, "suxin.subsidy.subsidy_case_paid.v1")
    assert len(paid_events) == 2

    # The same file again changes nothing.
    r = await client.post(url, content=content, headers=upload)
    assert r.status_code == 200 and r.json()["duplicate"] is True
    assert len(await outbox(runtime, "suxin.subsidy.subsidy_case_paid.v1")) == 2
    assert len(await outbox(runtime, "suxin.subsidy.subsidy_payment_returned.v1")) == 1
    again = (await client.get("/v1/payments", params={"status": "queued"}, headers=payer)).json()
    assert [p["id"] for p in again] == [requeued]
    # A tampered file is refused, naming the file and the line.
    r = await client.post(url, content=content.replace(b"BK0001", b"BK0009"), headers=upload)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "file"
    # The returned payment goes out in the next batch.
    r = await client.post("/v1/payment-batches", json={"payer_account": PAYER}, headers=payer)
    assert r.status_code == 201 and r.json()["item_count"] == 1
    async with runtime.engine.connect() as conn:
        kept = (await conn.execute(text("SELECT count(*) FROM payment_result_files"))).scalar()
    assert kept == 1


async def hire_case_under_review(client, runtime, deliver, make_hire) -> tuple[str, str]:
    event = make_hire()
    await deliver(event, at=datetime(2026, 9, 18, 2, tzinfo=UTC))
    service = mint_dev_token(runtime.settings, "si-feed", [Role.SERVICE])
    month = {
        "month": "2026-09",
        "employer": {
            "pension_fen": 128000,
            "medical_fen": 64000,
            "unemployment_fen": 4000,
            "work_injury_fen": 3200,
            "maternity_fen": 6400,
        },
        "employee_fen": 84000,
    }
    r = await client.post(
        "/v1/social-insurance/contributions",
        json={
            "enterprise_uscc": event.enterprise_uscc,
            "person_key": event.person_key,
            "months": [month],
        },
        headers={"Authorization": f"Bearer {service}"},
    )
    [case_id] = r.json()["cases_changed"]
    return case_id, event.person_key


async def test_an_appeal_from_a_person_reopens_the_case(
    client, runtime, four_eyes, deliver, make_hire
):
    case_id, person_key = await hire_case_under_review(client, runtime, deliver, make_hire)
    reviewer = four_eyes.staff("reviewer-a")
    r = await client.post(
        f"/v1/subsidy-cases/{case_id}/decision",
        json={"decision": "reject", "reason": "劳动合同期限不足"},
        headers=reviewer,
    )
    assert r.json()["status"] == "rejected", r.text
    person = mint_dev_token(runtime.settings, "app-user-1", [Role.SEEKER], person_key=person_key)
    stranger = mint_dev_token(
        runtime.settings, "app-user-2", [Role.SEEKER], person_key="pk_" + "0" * 32
    )
    rid = make_resident_id(77)
    appeal = {
        # Numbers typed into the grounds are masked before storage (issue 22, item 4).
        "grounds": f"合同为三年期，附劳动合同扫描件；本人{rid}，电话13912345678",
        "attachments": [
            {
                "file_name": f"劳动合同-{rid}.png",
                "content_type": "image/png",
                "content_base64": base64.b64encode(PNG).decode(),
            }
        ],
    }
    path = f"/v1/subsidy-cases/{case_id}/appeals"
    r = await client.post(path, json=appeal, headers={"Authorization": f"Bearer {stranger}"})
    assert r.status_code == 404
    # The declared type must match the bytes.
    bad = appeal | {"attachments": [appeal["attachments"][0] | {"content_type": "application/pdf"}]}
    r = await client.post(path, json=bad, headers={"Authorization": f"Bearer {person}"})
    assert (
        r.status_code == 422 and r.json()["errors"][0]["field"] == "attachments[0].content_base64"
    )
    r = await client.post(path, json=appeal, headers={"Authorization": f"Bearer {person}"})
    assert r.status_code == 201, r.text
    submitted = r.json()
    assert submitted["appellant_kind"] == "person" and submitted["status"] == "submitted"
    masked = rid[:4] + "*" * 10 + rid[-4:]
    assert submitted["grounds"].endswith(f"本人{masked}，电话139****5678")
    [attachment] = submitted["attachments"]
    assert rid not in attachment["file_name"] and rid[:4] in attachment["file_name"]
    assert submitted["due_on"] > "2026-01-01"

    decide = f"/v1/appeals/{submitted['id']}/decision"
    body = {"outcome": "upheld", "reason": "合同期限核实为三年，已致电13800001111"}
    r = await client.post(decide, json=body, headers=reviewer)
    assert r.status_code == 403 and r.json()["four_eyes"] == "took-part"
    r = await client.post(decide, json=body, headers=four_eyes.staff("reviewer-b"))
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["case_status_now"]) == ("upheld", "under_review")
    assert r.json()["decision_reason"] == "合同期限核实为三年，已致电138****1111"
    async with runtime.engine.connect() as conn:
        stored = repr((await conn.execute(text("SELECT * FROM appeals"))).all())
    assert masked in stored
    assert rid not in stored and "13912345678" not in stored and "13800001111" not in stored
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=reviewer)).json()
    assert case["status"] == "under_review" and case["reopened_by_appeal"] == submitted["id"]
    [event] = await outbox(runtime, "suxin.subsidy.subsidy_appeal_decided.v1")
    event = subsidy.SubsidyAppealDecided.FromString(event)
    assert event.case_reopened and event.outcome == subsidy.APPEAL_OUTCOME_UPHELD
    assert event.case_id == case_id
    # The appellant sees the outcome.
    r = await client.get(
        f"/v1/appeals/{submitted['id']}", headers={"Authorization": f"Bearer {person}"}
    )
    assert r.json()["status"] == "upheld"


async def test_staff_list_only_the_appeals_of_their_district(
    client, runtime, four_eyes, deliver, make_hire
):
    """An appeal is listed to staff who can see its case (its district, else its city) and to
    province staff; staff of another city do not see it in the list, nor by id."""
    case_id, person_key = await hire_case_under_review(client, runtime, deliver, make_hire)
    reviewer = four_eyes.staff("reviewer-a")
    r = await client.post(
        f"/v1/subsidy-cases/{case_id}/decision",
        json={"decision": "reject", "reason": "劳动合同期限不足"},
        headers=reviewer,
    )
    assert r.json()["status"] == "rejected", r.text
    case = (await client.get(f"/v1/subsidy-cases/{case_id}", headers=reviewer)).json()
    region = case.get("district_code") or case["city_code"]
    person = mint_dev_token(runtime.settings, "app-user-1", [Role.SEEKER], person_key=person_key)
    r = await client.post(
        f"/v1/subsidy-cases/{case_id}/appeals",
        json={"grounds": "请复核"},
        headers={"Authorization": f"Bearer {person}"},
    )
    assert r.status_code == 201, r.text
    appeal_id = r.json()["id"]
    elsewhere = "3201" if not region.startswith("3201") else "3202"

    def staff(district: str | None) -> dict:
        tenant = {"district": district} if district else {}
        token = mint_dev_token(runtime.settings, f"s-{district}", [Role.HRSS_STAFF], **tenant)
        return {"Authorization": f"Bearer {token}"}

    listed = {}
    for district in (region, elsewhere, None):
        r = await client.get("/v1/appeals", headers=staff(district))
        assert r.status_code == 200, r.text
        listed[district] = [a["id"] for a in r.json()]
    by_id = await client.get(f"/v1/appeals/{appeal_id}", headers=staff(elsewhere))

    assert listed[region] == [appeal_id] and listed[None] == [appeal_id]
    assert listed[elsewhere] == []
    assert by_id.status_code == 404
