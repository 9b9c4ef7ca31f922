"""我的 over a real database: a verified worker sees their own cover, covered orders and claims
with each stage, nobody else's (404 / empty), every read audited, and a PIPL export."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from suxin_common.auth import Role, mint_dev_token

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 3, 1, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def person(runtime, person_key: str | None, subject: str) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, subject, [Role.SEEKER], person_key=person_key)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def workers(kit, runtime):
    """Worker 1 (person A) with three orders, worker 2 (person B) with one."""
    await kit.deliver(runtime, kit.platform_registered())
    await kit.deliver(runtime, kit.worker_registered(worker_id="w1", n=1))
    await kit.deliver(runtime, kit.worker_registered(worker_id="w2", n=2))
    orders = [
        kit.an_order(f"a{i}", T0 + i * MIN, completed_at=T0 + (i + 20) * MIN) for i in range(3)
    ]
    orders.append(kit.an_order("b0", T0, worker_id="w2", n=2, completed_at=T0 + 30 * MIN))
    await kit.deliver(runtime, kit.orders_reported(orders))


async def test_a_worker_sees_only_their_own_cover_and_claims(kit, runtime, client, workers):
    a = person(runtime, kit.person(1), "user-a")
    b = person(runtime, kit.person(2), "user-b")
    claim = await client.post(
        "/v1/claims",
        json={
            "platform_uscc": kit.PLATFORM_A,
            "worker_id": "w1",
            "injured_at": (T0 + 10 * MIN).isoformat(),
            "place": "南京市玄武区中山路",
            "city_code": "3201",
            "order_id": "a0",
            "description": "摔伤",
        },
        headers=kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A),
    )
    assert claim.status_code == 201, claim.text
    claim_id = claim.json()["id"]

    [cover] = (await client.get("/v1/me/covers", headers=a)).json()
    assert cover["scheme"] == "occupational_injury_protection"
    assert cover["scheme_zh"] == "新就业形态人员职业伤害保障"
    assert "*" in cover["masked_resident_id"]

    first = (await client.get("/v1/me/order-covers", params={"limit": 2}, headers=a)).json()
    rest = (
        await client.get(
            "/v1/me/order-covers",
            params={"limit": 2, "cursor": first["next_cursor"]},
            headers=a,
        )
    ).json()
    assert [o["order_id"] for o in first["items"] + rest["items"]] == ["a2", "a1", "a0"]
    assert rest["next_cursor"] is None
    theirs = (await client.get("/v1/me/order-covers", headers=b)).json()["items"]
    assert [o["order_id"] for o in theirs] == ["b0"]

    [mine] = (await client.get("/v1/me/claims", headers=a)).json()
    assert mine["id"] == claim_id and mine["stage"] == "under_review"
    assert mine["stage_zh"] == "审核中" and "person_key" not in mine
    one = (await client.get(f"/v1/me/claims/{claim_id}", headers=a)).json()
    assert [(s["version"], s["stage"]) for s in one["history"]] == [
        (1, "reported"),
        (2, "under_review"),
    ]
    assert all("actor" not in s for s in one["history"])

    # Person B sees none of A's: no claims, A's claim is 404 like one that does not exist.
    assert (await client.get("/v1/me/claims", headers=b)).json() == []
    assert (await client.get(f"/v1/me/claims/{claim_id}", headers=b)).status_code == 404
    # Unverified seekers hold no key and see nothing.
    assert (await client.get("/v1/me/covers", headers=person(runtime, None, "u"))).json() == []

    audited = await kit.rows(
        runtime, "SELECT object_type, object_id FROM audit_log WHERE actor = 'user-a'"
    )
    assert ("claim", claim_id) in {(r.object_type, r.object_id) for r in audited}
    assert ("coverage", cover["id"]) in {(r.object_type, r.object_id) for r in audited}

    bad = await client.get("/v1/me/order-covers", params={"cursor": "e30"}, headers=a)
    assert bad.status_code == 422 and "cursor" in bad.text


async def test_a_worker_exports_what_injury_insurance_holds(kit, runtime, client, workers):
    a = person(runtime, kit.person(1), "user-a")
    response = await client.get("/v1/me/export", headers=a)
    assert response.status_code == 200
    document = response.json()
    assert document["verified"] is True and len(document["covers"]) == 1
    assert sorted(o["order_id"] for o in document["order_covers"]) == ["a0", "a1", "a2"]
    assert kit.person(1) not in response.text
    trail = await kit.rows(
        runtime, "SELECT object_type, details FROM audit_log WHERE actor = 'user-a'"
    )
    assert [(r.object_type, r.details["orders"]) for r in trail] == [("person_export", 3)]
    platform = kit.auth(runtime, Role.PLATFORM, uscc=kit.PLATFORM_A)
    assert (await client.get("/v1/me/export", headers=platform)).status_code == 403
