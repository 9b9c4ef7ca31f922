"""Appeals against claim decisions (认定复核): the worker appeals a rejected claim, a staff
member who did not reject it decides, and an upheld appeal reopens the claim."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from suxin.insurance.v1 import events_pb2 as insurance
from suxin_common.auth import Role

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
PDF = b"%PDF-1.7\n" + b"0" * 64


@pytest.fixture
async def rejected_claim(kit, runtime, client) -> dict:
    await kit.deliver(runtime, kit.platform_registered())
    await kit.deliver(runtime, kit.worker_registered(worker_id="w1", n=1))
    await kit.deliver(
        runtime,
        kit.orders_reported([kit.an_order("o1", T0, completed_at=T0 + timedelta(minutes=30))]),
    )
    report = {
        "platform_uscc": kit.PLATFORM_A,
        "worker_id": "w1",
        "injured_at": (T0 + timedelta(minutes=5)).isoformat(),
        "place": "南京市玄武区中山路",
        "city_code": "3201",
        "order_id": "o1",
        "description": "fell off the scooter while delivering",
    }
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    claim = (await client.post("/v1/claims", json=report, headers=platform)).json()
    r = await client.post(
        f"/v1/claims/{claim['id']}/decision",
        json={"decision": "rejected", "reason": "非工作原因"},
        headers=kit.as_subject(runtime, Role.HRSS_STAFF, "reviewer-a"),
    )
    assert r.json()["stage"] == "rejected", r.text
    return claim


async def test_a_workers_appeal_reopens_a_rejected_claim(
    kit, runtime, client, rejected_claim
) -> None:
    worker = kit.as_subject(runtime, Role.SEEKER, kit.person(1))
    stranger = kit.as_subject(runtime, Role.SEEKER, kit.person(7))
    body = {
        "grounds": "送餐途中摔倒，附医院诊断证明",
        "attachments": [
            {
                "file_name": "诊断证明.pdf",
                "content_type": "application/pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    }
    path = f"/v1/claims/{rejected_claim['id']}/appeals"

    theirs = await client.post(path, json=body, headers=stranger)
    appeal = await client.post(path, json=body, headers=worker)
    twice = await client.post(path, json=body, headers=worker)
    decide = f"/v1/claim-appeals/{appeal.json()['id']}/decision"
    verdict = {"outcome": "upheld", "reason": "订单记录显示配送途中"}
    by_reviewer = await client.post(
        decide, json=verdict, headers=kit.as_subject(runtime, Role.HRSS_STAFF, "reviewer-a")
    )
    by_other = await client.post(
        decide, json=verdict, headers=kit.as_subject(runtime, Role.HRSS_STAFF, "reviewer-b")
    )
    claim = await client.get(f"/v1/claims/{rejected_claim['id']}", headers=worker)
    seen = await client.get(f"/v1/claim-appeals/{appeal.json()['id']}", headers=worker)
    events = await kit.rows(
        runtime,
        "SELECT payload FROM outbox WHERE subject = 'suxin.insurance.claim_appeal_decided.v1'",
    )

    assert theirs.status_code == 404
    assert appeal.status_code == 201, appeal.text
    assert appeal.json()["appellant_kind"] == "worker" and appeal.json()["status"] == "submitted"
    assert twice.status_code == 409
    assert by_reviewer.status_code == 403 and by_reviewer.json()["four_eyes"] == "took-part"
    assert by_other.status_code == 200, by_other.text
    assert (by_other.json()["status"], by_other.json()["claim_stage_now"]) == (
        "upheld",
        "under_review",
    )
    assert claim.json()["stage"] == "under_review" and claim.json()["reason"] is None
    assert seen.json()["status"] == "upheld"
    [event] = [insurance.ClaimAppealDecided.FromString(r.payload) for r in events]
    assert event.claim_reopened and event.claim_id == rejected_claim["id"]


async def test_a_dismissed_appeal_confirms_the_rejection(
    kit, runtime, client, rejected_claim
) -> None:
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    appeal = await client.post(
        f"/v1/claims/{rejected_claim['id']}/appeals",
        json={"grounds": "请复核"},
        headers=platform,
    )
    decided = await client.post(
        f"/v1/claim-appeals/{appeal.json()['id']}/decision",
        json={"outcome": "dismissed", "reason": "无新证据"},
        headers=kit.as_subject(runtime, Role.HRSS_STAFF, "reviewer-b"),
    )
    claim = await client.get(f"/v1/claims/{rejected_claim['id']}", headers=platform)

    assert appeal.status_code == 201 and appeal.json()["appellant_kind"] == "platform"
    assert decided.status_code == 200 and decided.json()["status"] == "dismissed"
    assert claim.json()["stage"] == "rejected"


async def test_staff_list_only_the_appeals_of_their_district(
    kit, runtime, client, rejected_claim
) -> None:
    """The claim was injured in 南京 (3201): 南京's staff and province staff list its appeal,
    无锡's (3202) do not, as they cannot see the claim itself."""
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    appeal = await client.post(
        f"/v1/claims/{rejected_claim['id']}/appeals", json={"grounds": "请复核"}, headers=platform
    )
    assert appeal.status_code == 201, appeal.text

    def staff(district: str | None) -> dict:
        tenant = {"district": district} if district else {}
        return kit.as_subject(runtime, Role.HRSS_STAFF, f"staff-{district}", **tenant)

    listed = {}
    for district in ("3201", "320102", "3202", None):
        r = await client.get("/v1/claim-appeals", headers=staff(district))
        assert r.status_code == 200, r.text
        listed[district] = [a["id"] for a in r.json()]
    other = await client.get(f"/v1/claim-appeals/{appeal.json()['id']}", headers=staff("3202"))

    assert listed["3201"] == [appeal.json()["id"]]
    assert listed[None] == [appeal.json()["id"]]
    assert listed["3202"] == [] and listed["320102"] == []
    assert other.status_code == 404
