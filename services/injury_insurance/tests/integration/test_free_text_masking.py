"""Resident IDs and mobile numbers typed into a claim's place and description, a decision's
reason or an appeal's grounds are masked before they are stored (issue 22, item 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from suxin_common.auth import Role
from suxin_devkit.testing import make_resident_id

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
ID = make_resident_id(77)
MASKED_ID = ID[:4] + "*" * 10 + ID[-4:]


async def test_personal_numbers_in_claim_texts_are_masked_before_storage(kit, runtime, client):
    await kit.deliver(runtime, kit.platform_registered())
    await kit.deliver(runtime, kit.worker_registered(worker_id="w1", n=1))
    await kit.deliver(
        runtime,
        kit.orders_reported([kit.an_order("o1", T0, completed_at=T0 + timedelta(minutes=30))]),
    )
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    reported = await client.post(
        "/v1/claims",
        json={
            "platform_uscc": kit.PLATFORM_A,
            "worker_id": "w1",
            "injured_at": T0.isoformat(),
            "place": "中山路口，目击者电话13912345678",
            "city_code": "3201",
            "order_id": "o1",
            "description": f"送餐被撞；目击者身份证{ID}，单号320102199001011237",
        },
        headers=platform,
    )
    assert reported.status_code == 201, reported.text
    claim = reported.json()
    assert claim["place"] == "中山路口，目击者电话139****5678"
    # A number that is not a valid resident ID (wrong check digit) stays as typed.
    assert claim["description"] == f"送餐被撞；目击者身份证{MASKED_ID}，单号320102199001011237"
    staff = kit.as_subject(runtime, Role.HRSS_STAFF, "maker-1")
    rejected = await client.post(
        f"/v1/claims/{claim['id']}/decision",
        json={"decision": "rejected", "reason": f"与{ID}的陈述不符，电话13800001111"},
        headers=staff,
    )
    assert rejected.status_code in (200, 202), rejected.text
    stored = await kit.rows(runtime, "SELECT place, description, reason FROM claims")
    history = await kit.rows(runtime, "SELECT * FROM claim_history")
    dumped = repr(stored) + repr(history)
    assert ID not in dumped and "13912345678" not in dumped and "13800001111" not in dumped
    assert MASKED_ID in dumped
