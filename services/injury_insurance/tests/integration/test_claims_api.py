"""Injury claims over HTTP: report -> cover check -> review -> decision -> payment, each step an
event and a history row; outside cover, rejected with the reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from suxin.insurance.v1 import events_pb2 as insurance
from suxin_common.auth import Role

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


@pytest.fixture
async def worker(kit, runtime):
    await kit.deliver(runtime, kit.platform_registered())
    await kit.deliver(runtime, kit.worker_registered(worker_id="w1", n=1))
    await kit.deliver(
        runtime, kit.orders_reported([kit.an_order("o1", T0, completed_at=T0 + 30 * MIN)])
    )


def report(kit, injured_at: datetime, **changes) -> dict:
    return {
        "platform_uscc": kit.PLATFORM_A,
        "worker_id": "w1",
        "injured_at": injured_at.isoformat(),
        "place": "南京市玄武区中山路与北京东路路口",
        "city_code": "3201",
        "order_id": "o1",
        "description": "hit by a car while delivering",
    } | changes


async def stages(kit, runtime) -> list[tuple[int, int]]:
    found = await kit.rows(
        runtime,
        "SELECT payload FROM outbox WHERE subject = 'suxin.insurance.claim_stage_changed.v1' "
        "ORDER BY created_at",
    )
    messages = [insurance.ClaimStageChanged.FromString(r.payload) for r in found]
    return sorted((m.version, m.stage) for m in messages)


async def confirm(kit, runtime, client, approval_id: str, subject: str):
    """A second staff member confirms a proposal (maker-checker, docs/money.md)."""
    r = await client.post(
        f"/v1/approvals/{approval_id}/check",
        json={"verdict": "confirm"},
        headers=kit.as_subject(runtime, Role.HRSS_STAFF, subject),
    )
    return r


async def test_a_covered_injury_goes_from_report_to_payment(kit, runtime, client, worker) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    staff = kit.auth(runtime, Role.HRSS_STAFF)

    reported = await client.post("/v1/claims", json=report(kit, T0 + 10 * MIN), headers=platform)
    claim_id = reported.json()["id"]
    proposed = await client.post(
        f"/v1/claims/{claim_id}/decision",
        json={"decision": "approved", "amount_fen": 1_500_000, "injury_category": "medical"},
        headers=staff,
    )
    decided = await confirm(kit, runtime, client, proposed.json()["pending_approval_id"], "chk-2")
    payment = await client.post(
        f"/v1/claims/{claim_id}/payment",
        json={"reference": "JS-PAY-0001"},
        headers=kit.as_subject(runtime, Role.HRSS_STAFF, "payer-3"),
    )
    paid_check = await confirm(
        kit, runtime, client, payment.json()["pending_approval_id"], "payer-4"
    )
    paid = await client.get(f"/v1/claims/{claim_id}", headers=staff)
    history = await client.get(f"/v1/claims/{claim_id}/history", headers=platform)

    assert reported.status_code == 201, reported.text
    assert reported.json()["stage"] == "under_review"
    assert reported.json()["covering_order_id"] == "o1"
    assert reported.json()["person_key"] == kit.person(1)
    assert proposed.json()["stage"] == "under_review"  # one person approves nothing
    assert decided.status_code == 200 and decided.json()["result"]["stage"] == "approved"
    assert paid_check.status_code == 200, paid_check.text
    body = paid.json()
    assert (body["stage"], body["version"], body["amount_fen"]) == ("paid", 4, 1_500_000)
    assert (body["payment_reference"], body["industry"]) == ("JS-PAY-0001", "instant_delivery")
    assert (body["decided_by"], body["approved_by"]) == ("hrss_staff-1", "chk-2")
    assert body["injury_category"] == "medical"
    assert body["schedule_version"] == "national-pilot-default-2022.07"
    assert [(s["version"], s["stage"]) for s in history.json()] == [
        (1, "reported"),
        (2, "under_review"),
        (3, "approved"),
        (4, "paid"),
    ]
    assert history.json()[2]["actor"] == "chk-2"
    assert history.json()[3]["actor"] == "payer-4"
    assert await stages(kit, runtime) == [
        (1, insurance.CLAIM_STAGE_REPORTED),
        (2, insurance.CLAIM_STAGE_UNDER_REVIEW),
        (3, insurance.CLAIM_STAGE_APPROVED),
        (4, insurance.CLAIM_STAGE_PAID),
    ]


async def test_the_same_person_cannot_approve_and_pay_a_claim(kit, runtime, client, worker):
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    maker = kit.as_subject(runtime, Role.HRSS_STAFF, "maker-1")
    claim = (await client.post("/v1/claims", json=report(kit, T0), headers=platform)).json()
    body = {"decision": "approved", "amount_fen": 800_000, "injury_category": "medical"}
    proposal = (
        await client.post(f"/v1/claims/{claim['id']}/decision", json=body, headers=maker)
    ).json()["pending_approval_id"]

    own = await confirm(kit, runtime, client, proposal, "maker-1")
    other = await confirm(kit, runtime, client, proposal, "checker-1")
    pay_as = {}
    for who in ("maker-1", "checker-1"):
        pay_as[who] = await client.post(
            f"/v1/claims/{claim['id']}/payment",
            json={"reference": "P-1"},
            headers=kit.as_subject(runtime, Role.HRSS_STAFF, who),
        )

    assert own.status_code == 403 and own.json()["four_eyes"] == "own-work"
    assert other.status_code == 200 and other.json()["result"]["stage"] == "approved"
    assert all(r.status_code == 403 for r in pay_as.values())
    assert {r.json()["four_eyes"] for r in pay_as.values()} == {"took-part"}


@pytest.mark.parametrize(
    ("category", "amount", "limit"),
    [
        ("disability_grade_10", 5_600_001, 5_600_000),
        ("medical", 391_562_696, 50_000_000),
        ("death", 103_642_001, 103_642_000),
    ],
)
async def test_an_amount_above_the_schedule_is_a_422_naming_it(
    kit, runtime, client, worker, category, amount, limit
) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    claim = (await client.post("/v1/claims", json=report(kit, T0), headers=platform)).json()

    r = await client.post(
        f"/v1/claims/{claim['id']}/decision",
        json={"decision": "approved", "amount_fen": amount, "injury_category": category},
        headers=kit.auth(runtime, Role.HRSS_STAFF),
    )

    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "amount_fen"
    assert (r.json()["limit_fen"], r.json()["schedule_version"]) == (
        limit,
        "national-pilot-default-2022.07",
    )
    assert (
        await client.get("/v1/approvals", headers=kit.auth(runtime, Role.HRSS_STAFF))
    ).json() == []


async def test_an_injury_outside_any_covered_window_is_rejected_with_the_reason(
    kit, runtime, client, worker
) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)

    r = await client.post(
        "/v1/claims", json=report(kit, T0 + 30 * MIN + timedelta(seconds=1)), headers=platform
    )

    assert r.status_code == 201
    assert r.json()["stage"] == "rejected"
    assert r.json()["reason"].startswith("不在保障范围：")  # Chinese by default
    assert r.json()["covering_order_id"] is None
    english = await client.get(
        f"/v1/claims/{r.json()['id']}", headers=platform | {"Accept-Language": "en"}
    )
    assert english.json()["reason"].startswith("not covered: no order of the worker")
    assert await stages(kit, runtime) == [
        (1, insurance.CLAIM_STAGE_REPORTED),
        (2, insurance.CLAIM_STAGE_REJECTED),
    ]


async def test_steps_out_of_order_are_conflicts(kit, runtime, client, worker) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    staff = kit.auth(runtime, Role.HRSS_STAFF)
    rejected = (
        await client.post("/v1/claims", json=report(kit, T0 - MIN), headers=platform)
    ).json()
    review = (await client.post("/v1/claims", json=report(kit, T0), headers=platform)).json()

    decide_rejected = await client.post(
        f"/v1/claims/{rejected['id']}/decision",
        json={"decision": "approved", "amount_fen": 100, "injury_category": "medical"},
        headers=staff,
    )
    pay_unapproved = await client.post(
        f"/v1/claims/{review['id']}/payment", json={"reference": "P1"}, headers=staff
    )
    refused = await client.post(
        f"/v1/claims/{review['id']}/decision",
        json={"decision": "rejected", "reason": "injury not work-related"},
        headers=staff,
    )
    again = await client.post(
        f"/v1/claims/{review['id']}/decision",
        json={"decision": "approved", "amount_fen": 100, "injury_category": "medical"},
        headers=staff,
    )

    assert decide_rejected.status_code == pay_unapproved.status_code == again.status_code == 409
    assert decide_rejected.headers["content-type"] == "application/problem+json"
    assert refused.json()["stage"] == "rejected"
    assert refused.json()["reason"] == "injury not work-related"


async def test_the_worker_reports_their_own_injury_and_sees_only_their_claims(
    kit, runtime, client, worker
) -> None:
    me = kit.as_subject(runtime, Role.SEEKER, kit.person(1))
    someone_else = kit.as_subject(runtime, Role.SEEKER, kit.person(7))

    mine = await client.post("/v1/claims", json=report(kit, T0 + MIN), headers=me)
    theirs = await client.post("/v1/claims", json=report(kit, T0 + MIN), headers=someone_else)
    peek = await client.get(f"/v1/claims/{mine.json()['id']}", headers=someone_else)
    listed = await client.get("/v1/claims", headers=me)
    listed_other = await client.get("/v1/claims", headers=someone_else)

    assert mine.status_code == 201 and mine.json()["stage"] == "under_review"
    assert theirs.status_code == peek.status_code == 404
    assert [c["id"] for c in listed.json()["items"]] == [mine.json()["id"]]
    assert listed_other.json()["items"] == []


async def test_a_platform_cannot_report_or_see_another_platforms_worker(
    kit, runtime, client, worker
) -> None:
    await kit.deliver(runtime, kit.platform_registered(kit.PLATFORM_B))
    a = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    b = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_B)
    claim = (await client.post("/v1/claims", json=report(kit, T0), headers=a)).json()

    as_b = await client.post("/v1/claims", json=report(kit, T0), headers=b)
    peek = await client.get(f"/v1/claims/{claim['id']}", headers=b)
    history = await client.get(f"/v1/claims/{claim['id']}/history", headers=b)
    listed = await client.get("/v1/claims", headers=b)

    assert as_b.status_code == peek.status_code == history.status_code == 404
    assert listed.json()["items"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"stage": "paid"}, "stage"),
        ({"amount_fen": 100}, "amount_fen"),
        ({"injured_at": "2026-11-03T09:00:00"}, "injured_at"),
        ({"city_code": "1101"}, "city_code"),
        ({"platform_uscc": "91320100711234567A"}, "platform_uscc"),
        ({"description": ""}, "description"),
    ],
)
async def test_a_bad_report_is_a_422_naming_the_field(
    kit, runtime, client, worker, changes, field
) -> None:
    r = await client.post(
        "/v1/claims",
        json=report(kit, T0) | changes,
        headers=kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A),
    )

    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "approved"},
        {"decision": "rejected"},
        {"decision": "rejected", "reason": "x", "amount_fen": 5},
        {"decision": "approved", "amount_fen": -1},
        {"decision": "maybe"},
        {"decision": "approved", "amount_fen": 5, "stage": "paid"},
        {"decision": "approved", "amount_fen": 5},
        {"decision": "approved", "amount_fen": 5, "injury_category": "grade_11"},
    ],
)
async def test_a_bad_decision_is_a_422(kit, runtime, client, worker, body) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    claim = (await client.post("/v1/claims", json=report(kit, T0), headers=platform)).json()

    r = await client.post(
        f"/v1/claims/{claim['id']}/decision", json=body, headers=kit.auth(runtime, Role.HRSS_STAFF)
    )

    assert r.status_code == 422


async def test_only_staff_decide_and_only_workers_or_platforms_report(
    kit, runtime, client, worker
) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    claim = (await client.post("/v1/claims", json=report(kit, T0), headers=platform)).json()

    by_platform = await client.post(
        f"/v1/claims/{claim['id']}/decision",
        json={"decision": "approved", "amount_fen": 1, "injury_category": "medical"},
        headers=platform,
    )
    by_staff = await client.post(
        "/v1/claims", json=report(kit, T0), headers=kit.auth(runtime, Role.HRSS_STAFF)
    )
    anonymous = await client.get("/v1/claims")

    assert by_platform.status_code == by_staff.status_code == 403
    assert anonymous.status_code == 401
