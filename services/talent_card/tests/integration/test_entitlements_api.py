"""Entitlements: partners record uses of a card they verified, limits per period hold, and the
holder sees their uses."""

from __future__ import annotations

import pytest

from suxin_common.auth import Role
from suxin_devkit.testing import make_resident_id, make_uscc

pytestmark = pytest.mark.integration
HOSPITAL, BANK = make_uscc(101), make_uscc(202)


async def holder_card(client, as_, *, level_attributes: dict, n: int = 1) -> tuple[str, str]:
    """A card owned by account-<n>, through an approved application; (card id, token)."""
    staff = as_(Role.HRSS_STAFF)
    body = {
        "resident_id": make_resident_id(n),
        "city_code": "3201",
        "attributes": level_attributes,
    }
    app = (
        await client.post(
            "/v1/card-applications",
            json=body,
            headers=as_(Role.SEEKER, f"account-{n}", person=make_resident_id(n)),
        )
    ).json()
    card_id = (
        await client.post(f"/v1/card-applications/{app['id']}/approve", json={}, headers=staff)
    ).json()["card_id"]
    token = (await client.get(f"/v1/cards/{card_id}/credential", headers=staff)).json()
    return card_id, token["credential"]


def use(token: str, entitlement: str, reference: str) -> dict:
    return {"credential": token, "entitlement": entitlement, "reference": reference}


async def test_an_entitlement_over_its_limit_is_refused(client, as_) -> None:
    _, token = await holder_card(client, as_, level_attributes={"talent_programme": "national"})
    hospital = as_(Role.VERIFIER, "desk-1", uscc=HOSPITAL)

    first = await client.post(
        "/v1/entitlement-uses", json=use(token, "health_check", "v-1"), headers=hospital
    )
    over = await client.post(
        "/v1/entitlement-uses", json=use(token, "health_check", "v-2"), headers=hospital
    )

    assert first.status_code == 201, first.text
    assert over.status_code == 409
    problem = over.json()
    assert over.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "urn:suxin:problem:entitlement-limit-reached"
    assert (problem["limit"], problem["period"], problem["used"]) == (1, "year", 1)


async def test_a_retry_with_the_same_reference_records_one_use(client, as_) -> None:
    card_id, token = await holder_card(client, as_, level_attributes={"education": "doctorate"})
    hospital = as_(Role.VERIFIER, "desk-1", uscc=HOSPITAL)
    body = use(token, "medical_green_channel", "visit-77")

    first = await client.post("/v1/entitlement-uses", json=body, headers=hospital)
    retry = await client.post("/v1/entitlement-uses", json=body, headers=hospital)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json()["id"] == retry.json()["id"]
    listed = (await client.get("/v1/entitlement-uses", headers=hospital)).json()["items"]
    assert [u["card_id"] for u in listed] == [card_id]


async def test_a_level_without_the_entitlement_is_refused(client, as_) -> None:
    _, token = await holder_card(client, as_, level_attributes={"education": "doctorate"})  # C

    r = await client.post(
        "/v1/entitlement-uses",
        json=use(token, "housing_support", "h-1"),
        headers=as_(Role.VERIFIER, uscc=BANK),
    )

    assert r.status_code == 422
    assert r.json()["type"] == "urn:suxin:problem:entitlement-not-covered"


async def test_a_suspended_card_grants_nothing(client, as_) -> None:
    card_id, token = await holder_card(client, as_, level_attributes={"education": "doctorate"})
    await client.post(
        f"/v1/cards/{card_id}/suspend", json={"reason": "核查"}, headers=as_(Role.HRSS_STAFF)
    )

    r = await client.post(
        "/v1/entitlement-uses",
        json=use(token, "medical_green_channel", "v-1"),
        headers=as_(Role.VERIFIER, uscc=HOSPITAL),
    )

    assert r.status_code == 409
    assert r.json()["type"] == "urn:suxin:problem:card-not-usable"


async def test_a_forged_or_garbled_card_is_refused(client, as_) -> None:
    _, token = await holder_card(client, as_, level_attributes={"education": "doctorate"})
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    hospital = as_(Role.VERIFIER, uscc=HOSPITAL)

    for bad in (forged, "not-a-token-at-all-but-long-enough"):
        r = await client.post(
            "/v1/entitlement-uses", json=use(bad, "medical_green_channel", "v-9"), headers=hospital
        )
        assert r.status_code == 422
        assert r.json()["type"] == "urn:suxin:problem:invalid-credential"


async def test_the_holder_sees_their_uses_and_partners_only_their_own(client, as_) -> None:
    _, mine = await holder_card(client, as_, level_attributes={"education": "doctorate"}, n=1)
    _, theirs = await holder_card(client, as_, level_attributes={"education": "doctorate"}, n=2)
    hospital = as_(Role.VERIFIER, uscc=HOSPITAL)
    bank = as_(Role.VERIFIER, uscc=BANK)
    await client.post(
        "/v1/entitlement-uses", json=use(mine, "medical_green_channel", "h-1"), headers=hospital
    )
    await client.post(
        "/v1/entitlement-uses", json=use(mine, "government_fast_track", "b-1"), headers=bank
    )
    await client.post(
        "/v1/entitlement-uses", json=use(theirs, "medical_green_channel", "h-2"), headers=hospital
    )

    own = (
        await client.get("/v1/me/entitlement-uses", headers=as_(Role.SEEKER, "account-1"))
    ).json()
    bank_view = (await client.get("/v1/entitlement-uses", headers=bank)).json()

    assert sorted(u["entitlement_code"] for u in own["items"]) == [
        "government_fast_track",
        "medical_green_channel",
    ]
    assert [u["reference"] for u in bank_view["items"]] == ["b-1"]


async def test_who_may_record_a_use(client, as_) -> None:
    _, token = await holder_card(client, as_, level_attributes={"education": "doctorate"})
    body = use(token, "medical_green_channel", "x-1")

    no_org = await client.post("/v1/entitlement-uses", json=body, headers=as_(Role.VERIFIER))
    seeker = await client.post("/v1/entitlement-uses", json=body, headers=as_(Role.SEEKER))
    unknown = await client.post(
        "/v1/entitlement-uses",
        json=use(token, "free_lunch", "x-2"),
        headers=as_(Role.VERIFIER, uscc=HOSPITAL),
    )
    extra = await client.post(
        "/v1/entitlement-uses",
        json=body | {"card_id": "x"},
        headers=as_(Role.VERIFIER, uscc=HOSPITAL),
    )

    assert (no_org.status_code, seeker.status_code) == (403, 403)
    assert (unknown.status_code, extra.status_code) == (422, 422)
    catalogue = await client.get("/v1/entitlements", headers=as_(Role.VERIFIER, uscc=HOSPITAL))
    assert "medical_green_channel" in {e["code"] for e in catalogue.json()}


async def test_a_holder_claims_a_staff_issued_card_with_their_resident_id(client, as_) -> None:
    body = {"resident_id": make_resident_id(5), "level": "B", "city_code": "3201"}
    card = (await client.post("/v1/cards", json=body, headers=as_(Role.HRSS_STAFF))).json()
    me = as_(Role.SEEKER, "account-5", person=make_resident_id(5))
    other = as_(Role.SEEKER, "account-6", person=make_resident_id(6))
    # The same verified person, logged in through another account.
    second_account = as_(Role.SEEKER, "account-7", person=make_resident_id(5))

    nobody = await client.post(
        "/v1/me/cards/claim", json={"resident_id": make_resident_id(6)}, headers=other
    )
    claimed = await client.post(
        "/v1/me/cards/claim", json={"resident_id": make_resident_id(5)}, headers=me
    )
    stolen = await client.post(
        "/v1/me/cards/claim", json={"resident_id": make_resident_id(5)}, headers=other
    )
    bound = await client.post(
        "/v1/me/cards/claim", json={"resident_id": make_resident_id(5)}, headers=second_account
    )

    assert nobody.status_code == 404
    assert claimed.status_code == 200 and claimed.json()["id"] == card["id"]
    # Another person's resident ID is refused like one without a card.
    assert stolen.status_code == 404 and stolen.json()["detail"] == nobody.json()["detail"]
    assert bound.status_code == 409
    assert [c["id"] for c in (await client.get("/v1/me/cards", headers=me)).json()] == [card["id"]]
