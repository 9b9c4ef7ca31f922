"""The security pass over HTTP and a real database: another tenant's object answers 404,
HRSS staff see only their district unless province-level, decisions on money and reads of a
person's case or voucher are written to the hash-chained audit log, and request bodies refuse
unknown fields (no mass assignment)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import text

from suxin_common.auth import Role, mint_dev_token
from suxin_common.security import audit, four_eyes
from suxin_devkit.testing import make_resident_id, make_uscc

pytestmark = pytest.mark.integration

USCC = "91321000MA1XXXXX18"
OTHER_USCC = make_uscc(31)
YANGZHOU_GUANGLING = "321002"
NANJING_XUANWU = "320102"
OCCUPATION = "6-18-02-04"


def bearer(
    runtime,
    role: Role,
    *,
    subject: str = "u-sec",
    uscc: str | None = None,
    institution_id: str | None = None,
    district: str | None = None,
) -> dict[str, str]:
    token = mint_dev_token(
        runtime.settings,
        subject,
        [role],
        uscc=uscc,
        institution_id=institution_id,
        district=district,
    )
    return {"Authorization": f"Bearer {token}"}


def staff(runtime, district: str | None = None) -> dict[str, str]:
    return bearer(
        runtime, Role.HRSS_STAFF, subject=f"staff-{district or 'province'}", district=district
    )


async def stabilisation_case(
    client, runtime, district: str | None = YANGZHOU_GUANGLING, uscc: str = USCC
) -> str:
    """A 稳岗返还 case under review, opened by the social-insurance feed."""
    year = {
        "enterprise_uscc": uscc,
        "year": 2025,
        "enterprise_size": "large",
        "insured_headcount": 1000,
        "layoffs": 0,
        "unemployment_insurance_paid_fen": 2_000_000,
        "contributions_in_arrears": False,
        "district_code": district,
    }
    r = await client.post(
        "/v1/social-insurance/enterprise-years", json=year, headers=bearer(runtime, Role.SERVICE)
    )
    assert r.status_code == 201, r.text
    [case_id] = r.json()["cases"]
    return case_id


async def confirm(client, runtime, approval_id: str, subject: str = "checker-province"):
    """A second staff member confirms a proposal (maker-checker, docs/money.md)."""
    checker = bearer(runtime, Role.HRSS_STAFF, subject=subject)
    r = await client.post(
        f"/v1/approvals/{approval_id}/check", json={"verdict": "confirm"}, headers=checker
    )
    assert r.status_code == 200, r.text
    return r.json()


async def catalogue_and_schools(client, runtime) -> tuple[str, str]:
    r = await client.put(
        f"/v1/occupations/{OCCUPATION}",
        json={"name": "焊工", "subsidy_fen": {"intermediate_worker": 150000}},
        headers=staff(runtime),
    )
    assert r.status_code == 202, r.text
    await confirm(client, runtime, r.json()["approval_id"])
    ids = []
    for n, district in ((601, YANGZHOU_GUANGLING), (602, NANJING_XUANWU)):
        r = await client.post(
            "/v1/institutions",
            json={"uscc": make_uscc(n), "name": f"学校{n}", "district_code": district},
            headers=staff(runtime),
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    return ids[0], ids[1]


async def issue(client, runtime, n: int, headers=None, district=YANGZHOU_GUANGLING):
    body = {
        "resident_id": make_resident_id(n),
        "occupation_code": OCCUPATION,
        "training_kind": "employment_skills",
        "target_level": "intermediate_worker",
        "eligibility": "rural_labour",
        "city_code": (district or "3210")[:4],
        "district_code": district,
    }
    return await client.post("/v1/vouchers", json=body, headers=headers or staff(runtime))


async def audit_rows(runtime, **where) -> list:
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "true"
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text(f"SELECT * FROM audit_log WHERE {clause} ORDER BY id"),  # noqa: S608
            where,
        )
        return list(rows.mappings())


# --- another tenant's object: 404 ------------------------------------------------------------


async def test_another_tenants_objects_answer_404(client, runtime):
    school, other_school = await catalogue_and_schools(client, runtime)
    r = await issue(client, runtime, 41)
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    mine = bearer(runtime, Role.INSTITUTION, institution_id=school)
    theirs = bearer(runtime, Role.INSTITUTION, institution_id=other_school)
    assert (await client.post(f"/v1/vouchers/{vid}/enrolment", headers=mine)).status_code == 200

    # Another institution: the voucher it did not enrol does not exist for it.
    assert (await client.get(f"/v1/vouchers/{vid}", headers=theirs)).status_code == 404
    for step, body in (
        ("enrolment", None),
        ("completion", {"completed_on": str(date.today()), "passed": True}),
        ("certification", {"certified_on": str(date.today()), "skill_level": "junior_worker"}),
    ):
        r = await client.post(f"/v1/vouchers/{vid}/{step}", json=body, headers=theirs)
        assert r.status_code == 404, (step, r.text)
    r = await client.get("/v1/vouchers", headers=theirs)
    assert r.status_code == 200 and r.json()["items"] == []
    r = await client.get("/v1/vouchers", headers=mine)
    assert [v["id"] for v in r.json()["items"]] == [vid]

    # A token naming an institution that is not a registered partner (or no institution id at
    # all) sees nothing: 404, not 403, for lists and vouchers alike.
    for unknown in (str(uuid.uuid4()), "institution-of-another-tenant"):
        stranger = bearer(runtime, Role.INSTITUTION, institution_id=unknown)
        assert (await client.get("/v1/vouchers", headers=stranger)).status_code == 404
        assert (await client.get(f"/v1/vouchers/{vid}", headers=stranger)).status_code == 404
        r = await client.post(f"/v1/vouchers/{vid}/enrolment", headers=stranger)
        assert r.status_code == 404, r.text

    # Another enterprise's subsidy case does not exist for an enterprise.
    case_id = await stabilisation_case(client, runtime)
    other = bearer(runtime, Role.ENTERPRISE, uscc=OTHER_USCC)
    assert (await client.get(f"/v1/subsidy-cases/{case_id}", headers=other)).status_code == 404
    r = await client.post(
        f"/v1/subsidy-cases/{case_id}/resubmission", json={"note": "补充材料"}, headers=other
    )
    assert r.status_code == 404
    r = await client.get("/v1/subsidy-cases", params={"enterprise_uscc": USCC}, headers=other)
    assert r.status_code == 404
    r = await client.get("/v1/subsidy-cases", headers=other)
    assert r.status_code == 200 and r.json()["items"] == []
    own = bearer(runtime, Role.ENTERPRISE, uscc=USCC)
    assert (await client.get(f"/v1/subsidy-cases/{case_id}", headers=own)).status_code == 200


# --- district scoping ------------------------------------------------------------------------


async def test_staff_see_only_their_district_unless_province_level(client, runtime):
    case_id = await stabilisation_case(client, runtime, YANGZHOU_GUANGLING)
    nanjing = staff(runtime, NANJING_XUANWU)
    path = f"/v1/subsidy-cases/{case_id}"

    assert (await client.get(path, headers=nanjing)).status_code == 404
    assert (await client.get(f"{path}/replay", headers=nanjing)).status_code == 404
    r = await client.post(f"{path}/decision", json={"decision": "approve"}, headers=nanjing)
    assert r.status_code == 404
    assert (await client.get("/v1/subsidy-cases", headers=nanjing)).json()["items"] == []
    for who in (staff(runtime, YANGZHOU_GUANGLING), staff(runtime, "3210"), staff(runtime)):
        assert (await client.get(path, headers=who)).status_code == 200
        items = (await client.get("/v1/subsidy-cases", headers=who)).json()["items"]
        assert [c["id"] for c in items] == [case_id]

    # A case with no district at all is seen by province-level staff only.
    unplaced = await stabilisation_case(client, runtime, None, uscc=OTHER_USCC)
    yangzhou = staff(runtime, "3210")
    assert (await client.get(f"/v1/subsidy-cases/{unplaced}", headers=yangzhou)).status_code == 404
    r = await client.get(f"/v1/subsidy-cases/{unplaced}", headers=staff(runtime))
    assert r.status_code == 200

    # Vouchers and institutions are district-bound too.
    await catalogue_and_schools(client, runtime)
    r = await issue(client, runtime, 42, headers=staff(runtime, YANGZHOU_GUANGLING))
    assert r.status_code == 201, r.text
    vid = r.json()["id"]
    assert r.json()["district_code"] == YANGZHOU_GUANGLING
    assert (await client.get(f"/v1/vouchers/{vid}", headers=nanjing)).status_code == 404
    assert (await client.get("/v1/vouchers", headers=nanjing)).json()["items"] == []
    assert (await client.get(f"/v1/vouchers/{vid}", headers=yangzhou)).status_code == 200
    assert [v["id"] for v in (await client.get("/v1/vouchers", headers=yangzhou)).json()["items"]]
    # Issuing outside one's district is refused; without a district, a district-level
    # issuer cannot place the voucher in its city either.
    r = await issue(client, runtime, 43, headers=nanjing)
    assert r.status_code == 403
    r = await issue(client, runtime, 44, headers=staff(runtime, YANGZHOU_GUANGLING), district=None)
    assert r.status_code == 403
    schools = (await client.get("/v1/institutions", headers=nanjing)).json()["items"]
    assert [s["district_code"] for s in schools] == [NANJING_XUANWU]
    assert len((await client.get("/v1/institutions", headers=staff(runtime))).json()["items"]) == 2


# --- audit -----------------------------------------------------------------------------------


async def test_decisions_on_money_and_personal_reads_are_audited(
    client, runtime, make_hire, deliver
):
    # A hire opens cases: the engine decides, as the consumer.
    await deliver(make_hire())
    opened = await audit_rows(runtime, actor="consumer:training-vouchers")
    assert opened and {r["action"] for r in opened} == {audit.DECIDE_SUBSIDY}
    assert all(r["object_type"] == "subsidy_case" for r in opened)
    assert all(r["details"]["decision"] == "opened" for r in opened)
    assert all("amount_fen" in r["details"] and r["details"]["rule_id"] for r in opened)

    # Staff approve and pay a case, two people each time; each decision is audited with codes
    # and amounts, each proposal and check too.
    case_id = await stabilisation_case(client, runtime)
    reviewer = staff(runtime, YANGZHOU_GUANGLING)
    path = f"/v1/subsidy-cases/{case_id}"
    r = await client.post(
        f"{path}/decision", json={"decision": "approve", "reason": "材料齐全"}, headers=reviewer
    )
    assert r.status_code == 200, r.text
    amount = r.json()["amount_fen"]
    await confirm(client, runtime, r.json()["pending_approval_id"], "checker-3210")
    payer = bearer(runtime, Role.HRSS_STAFF, subject="payer-1", district=YANGZHOU_GUANGLING)
    r = await client.post(f"{path}/payment", json={"reference": "PV-9"}, headers=payer)
    assert r.status_code == 200, r.text
    await confirm(client, runtime, r.json()["pending_approval_id"], "treasurer-3210")
    rows = await audit_rows(runtime, object_id=case_id)
    assert [
        (r["action"], r["details"].get("decision") or r["details"].get("action")) for r in rows
    ] == [
        (audit.DECIDE_SUBSIDY, "opened"),
        (four_eyes.PROPOSED, "subsidy_approval"),
        (four_eyes.CONFIRMED, "subsidy_approval"),
        (audit.DECIDE_SUBSIDY, "approved"),
        (four_eyes.PROPOSED, "payment_record"),
        (four_eyes.CONFIRMED, "payment_record"),
        (audit.DECIDE_PAYMENT, "paid"),
    ]
    proposed, approved, paid = rows[1], rows[3], rows[6]
    assert proposed["actor"] == "staff-321002" and "hrss_staff" in proposed["actor_roles"]
    assert approved["actor"] == "checker-3210" and approved["details"]["maker"] == "staff-321002"
    assert approved["details"]["amount_fen"] == amount > 0
    assert approved["details"]["reason_given"] is True
    assert "材料齐全" not in str([r["details"] for r in rows])  # free text stays out
    assert paid["details"]["payment_reference"] == "PV-9"
    assert paid["actor"] == "treasurer-3210"
    assert paid["request_id"]

    # A rejected and a returned case are audited too.
    for n, (decision, status) in enumerate((("reject", "rejected"), ("return", "returned"))):
        other_case = await stabilisation_case(client, runtime, uscc=make_uscc(70 + n))
        r = await client.post(
            f"/v1/subsidy-cases/{other_case}/decision",
            json={"decision": decision, "reason": "需要补充"},
            headers=staff(runtime),
        )
        assert r.status_code == 200, r.text
        [row] = [
            r
            for r in await audit_rows(runtime, object_id=other_case)
            if r["details"]["decision"] == status
        ]
        assert row["action"] == audit.DECIDE_SUBSIDY

    # Vouchers: issued, redeemed, the training subsidy released; staff reads are audited.
    school, _ = await catalogue_and_schools(client, runtime)
    r = await issue(client, runtime, 45)
    vid = r.json()["id"]
    mine = bearer(runtime, Role.INSTITUTION, institution_id=school, subject="school-1")
    today = str(date.today())
    assert (await client.post(f"/v1/vouchers/{vid}/enrolment", headers=mine)).status_code == 200
    r = await client.post(
        f"/v1/vouchers/{vid}/completion", json={"completed_on": today, "passed": True}, headers=mine
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        f"/v1/vouchers/{vid}/certification",
        json={"certified_on": today, "skill_level": "intermediate_worker"},
        headers=mine,
    )
    assert r.status_code == 200, r.text
    assert (await client.get(f"/v1/vouchers/{vid}", headers=staff(runtime))).status_code == 200
    assert (await client.get(f"/v1/vouchers/{vid}", headers=mine)).status_code == 200
    rows = await audit_rows(runtime, object_type="voucher", object_id=vid)
    assert [(r["action"], r["details"].get("decision"), r["actor"]) for r in rows] == [
        (audit.DECIDE_SUBSIDY, "voucher_issued", "staff-province"),
        (audit.DECIDE_SUBSIDY, "voucher_redeemed", "school-1"),
        (audit.DECIDE_SUBSIDY, "training_subsidy_released", "school-1"),
        (audit.READ_PERSONAL_DATA, None, "staff-province"),
    ]
    assert rows[2]["details"]["subsidy_fen"] == 150000
    assert rows[0]["details"]["amount_fen"] == 150000

    # Staff reading person-level cases (facts about an employee) is a read of personal data:
    # the list once per page, the detail once per case.
    r = await client.get("/v1/subsidy-cases", headers=staff(runtime))
    person_cases = [c["id"] for c in r.json()["items"] if c["person_key"]]
    assert person_cases
    [listed] = await audit_rows(runtime, action=audit.READ_PERSONAL_DATA, purpose="case list")
    assert listed["details"]["case_ids"] == person_cases
    r = await client.get(f"/v1/subsidy-cases/{person_cases[0]}", headers=staff(runtime))
    assert r.status_code == 200
    [read] = await audit_rows(
        runtime,
        action=audit.READ_PERSONAL_DATA,
        object_id=person_cases[0],
        purpose="case detail",
    )
    assert read["actor"] == "staff-province"

    # No resident ID anywhere in the trail, and the chain verifies (also for the auditor).
    async with runtime.engine.connect() as conn:
        dump = str((await conn.execute(text("SELECT * FROM audit_log"))).all())
    assert make_resident_id(45) not in dump
    assert (await audit.verify_chain(runtime.engine)).ok
    auditor = bearer(runtime, Role.AUDITOR, subject="auditor-1")
    r = await client.get("/v1/audit/verify", headers=auditor)
    assert r.status_code == 200 and r.json()["ok"] is True, r.text
    r = await client.get(
        "/v1/audit/entries", params={"object_type": "voucher", "object_id": vid}, headers=auditor
    )
    assert len(r.json()["items"]) == 4


# --- input hardening ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/v1/subsidy-cases/{case}/decision", {"decision": "approve", "status": "paid"}),
        (
            "post",
            "/v1/subsidy-cases/{case}/decision",
            {"decision": "approve", "amount": 99_999_999},
        ),
        ("post", "/v1/subsidy-cases/{case}/payment", {"reference": "PV-1", "amount_fen": 1}),
        ("post", "/v1/subsidy-cases/{case}/resubmission", {"note": "x", "status": "approved"}),
        (
            "post",
            "/v1/social-insurance/enterprise-years",
            {
                "enterprise_uscc": USCC,
                "year": 2025,
                "enterprise_size": "large",
                "insured_headcount": 1,
                "layoffs": 0,
                "unemployment_insurance_paid_fen": 1,
                "contributions_in_arrears": False,
                "amount_fen": 10**9,
            },
        ),
        (
            "post",
            "/v1/vouchers",
            {
                "resident_id": make_resident_id(46),
                "occupation_code": OCCUPATION,
                "training_kind": "employment_skills",
                "target_level": "intermediate_worker",
                "eligibility": "rural_labour",
                "city_code": "3210",
                "amount_fen": 10**9,
                "status": "certified",
            },
        ),
        (
            "post",
            "/v1/institutions",
            {"uscc": make_uscc(603), "name": "学校", "district_code": "321002", "id": "x"},
        ),
        ("put", f"/v1/occupations/{OCCUPATION}", {"name": "焊工", "subsidy_fen": {}, "x": 1}),
    ],
)
async def test_unknown_fields_are_refused(client, runtime, method, path, body):
    case_id = str(uuid.uuid4())
    r = await client.request(
        method.upper(), path.format(case=case_id), json=body, headers=staff(runtime)
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert make_resident_id(46) not in r.text
    assert await audit_rows(runtime) == []
