"""我的 over a real database: a verified person sees their own 苏畅卡 with its entitlement uses,
their applications and offers, nobody else's (404 / empty), every read audited, and a PIPL
export."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from suxin_common.auth import Role
from suxin_devkit.testing import make_resident_id, make_uscc

pytestmark = pytest.mark.integration
HOSPITAL = make_uscc(101)


async def card_for(client, as_, n: int) -> tuple[str, str]:
    """An approved application of person n; (card id, credential)."""
    body = {
        "resident_id": make_resident_id(n),
        "city_code": "3201",
        "attributes": {"talent_programme": "national"},
    }
    seeker = as_(Role.SEEKER, f"account-{n}", person=make_resident_id(n))
    application = await client.post("/v1/card-applications", json=body, headers=seeker)
    assert application.status_code == 201, application.text
    staff = as_(Role.HRSS_STAFF)
    approved = await client.post(
        f"/v1/card-applications/{application.json()['id']}/approve", json={}, headers=staff
    )
    card_id = approved.json()["card_id"]
    credential = await client.get(f"/v1/cards/{card_id}/credential", headers=staff)
    return card_id, credential.json()["credential"]


async def test_a_person_sees_only_their_own_card_and_its_uses(client, as_, runtime) -> None:
    card_a, credential_a = await card_for(client, as_, 1)
    card_b, _ = await card_for(client, as_, 2)
    use = {"credential": credential_a, "entitlement": "health_check", "reference": "v-1"}
    recorded = await client.post(
        "/v1/entitlement-uses", json=use, headers=as_(Role.VERIFIER, "desk-1", uscc=HOSPITAL)
    )
    assert recorded.status_code == 201, recorded.text
    a = as_(Role.SEEKER, "user-a", person=make_resident_id(1))
    b = as_(Role.SEEKER, "user-b", person=make_resident_id(2))

    [mine] = (await client.get("/v1/me/talent-cards", headers=a)).json()
    assert mine["id"] == card_a and mine["status"] == "active"
    assert "*" in mine["masked_resident_id"] and "person_key" not in mine
    detail = (await client.get(f"/v1/me/talent-cards/{card_a}", headers=a)).json()
    assert [(u["entitlement_code"], u["partner_uscc"]) for u in detail["uses"]] == [
        ("health_check", HOSPITAL)
    ]
    [application] = (await client.get("/v1/me/card-applications", headers=a)).json()
    assert application["status"] == "approved" and application["card_id"] == card_a

    # B sees only B's: A's card is 404, as one that does not exist.
    assert [c["id"] for c in (await client.get("/v1/me/talent-cards", headers=b)).json()] == [
        card_b
    ]
    assert (await client.get(f"/v1/me/talent-cards/{card_a}", headers=b)).status_code == 404
    b_detail = (await client.get(f"/v1/me/talent-cards/{card_b}", headers=b)).json()
    assert b_detail["uses"] == []
    unverified = as_(Role.SEEKER, "user-u")
    assert (await client.get("/v1/me/talent-cards", headers=unverified)).json() == []
    assert (await client.get("/v1/me/card-offers", headers=a)).json() == []

    async with runtime.engine.connect() as conn:
        trail = {
            (r.object_type, r.object_id)
            for r in await conn.execute(
                text("SELECT object_type, object_id FROM audit_log WHERE actor = 'user-a'")
            )
        }
    assert ("card", card_a) in trail and ("card_application", application["id"]) in trail


async def test_a_person_exports_what_talent_card_holds(client, as_, runtime) -> None:
    card_a, _ = await card_for(client, as_, 1)
    a = as_(Role.SEEKER, "user-a", person=make_resident_id(1))
    response = await client.get("/v1/me/export", headers=a)
    assert response.status_code == 200
    document = response.json()
    assert document["verified"] is True
    assert [c["id"] for c in document["cards"]] == [card_a]
    assert len(document["applications"]) == 1
    assert make_resident_id(1) not in response.text
    assert runtime.personal_data.person_key(make_resident_id(1)) not in response.text
    async with runtime.engine.connect() as conn:
        exported = (
            await conn.execute(
                text(
                    "SELECT count(*) FROM audit_log WHERE actor = 'user-a' "
                    "AND object_type = 'person_export'"
                )
            )
        ).scalar()
    assert exported == 1
    enterprise = as_(Role.ENTERPRISE, "e-1", uscc=make_uscc(7))
    assert (await client.get("/v1/me/export", headers=enterprise)).status_code == 403
