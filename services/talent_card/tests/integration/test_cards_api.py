"""POST /v1/cards and GET /v1/cards/{id}: the card registry, for HRSS staff."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from stdnum.cn import ric

from suxin_common.auth import Role, mint_dev_token
from talent_card.handlers import RESIDENT_ID_AAD

pytestmark = pytest.mark.integration


def resident_id(first17: str = "32100319900517123") -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def auth(runtime, role: Role = Role.HRSS_STAFF, uscc: str | None = None) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, f"{role}-1", [role], uscc=uscc)
    return {"Authorization": f"Bearer {token}"}


async def test_issuing_a_card_keeps_the_resident_id_only_encrypted_and_masked(
    runtime, client
) -> None:
    number = resident_id()

    response = await client.post(
        "/v1/cards",
        json={
            "resident_id": number,
            "level": "A",
            "employer_uscc": "91321000MA1XY0123R",
            "city_code": "3210",
        },
        headers=auth(runtime),
    )

    assert response.status_code == 201
    card = response.json()
    assert card["masked_resident_id"] == number[:4] + "*" * 10 + number[-4:]
    assert card["person_key"] == runtime.personal_data.person_key(number)
    assert (card["level"], card["status"]) == ("A", "active")
    assert (card["employer_uscc"], card["city_code"]) == ("91321000MA1XY0123R", "3210")
    assert card["position_since"] is None
    assert number not in response.text

    async with runtime.engine.connect() as conn:
        row = (await conn.execute(text("SELECT * FROM cards"))).one()
    assert str(row.id) == card["id"]
    assert number not in [str(v) for v in row]
    assert runtime.personal_data.reveal(row.resident_id_encrypted, RESIDENT_ID_AAD) == number
    with pytest.raises(ValueError):  # bound to its column by the associated data
        runtime.personal_data.reveal(row.resident_id_encrypted, "another.column")


async def test_a_person_holds_one_card(runtime, client) -> None:
    body = {"resident_id": resident_id(), "level": "B", "city_code": "3201"}
    first = await client.post("/v1/cards", json=body, headers=auth(runtime))

    second = await client.post(
        "/v1/cards", json=body | {"level": "A", "city_code": "3205"}, headers=auth(runtime)
    )

    assert second.status_code == 409
    assert second.json()["type"] == "urn:suxin:problem:conflict"
    assert second.json()["card_id"] == first.json()["id"]


async def test_an_invalid_resident_id_is_refused_without_repeating_it(runtime, client) -> None:
    number = resident_id()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")

    response = await client.post(
        "/v1/cards",
        json={"resident_id": wrong, "level": "C", "city_code": "3210"},
        headers=auth(runtime),
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["resident_id"]
    assert wrong not in response.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": "S"}, "level"),
        ({"city_code": "3301"}, "city_code"),
        ({"employer_uscc": "91321000MA1XY0123A"}, "employer_uscc"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
async def test_invalid_card_fields_are_a_422_naming_the_field(
    runtime, client, change, field
) -> None:
    body = {"resident_id": resident_id(), "level": "A", "city_code": "3210"} | change

    response = await client.post("/v1/cards", json=body, headers=auth(runtime))

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_a_card_is_read_by_id_with_the_masked_number_only(runtime, client) -> None:
    number = resident_id("32010219851203456")
    issued = await client.post(
        "/v1/cards",
        json={"resident_id": number, "level": "C", "city_code": "3201"},
        headers=auth(runtime),
    )

    response = await client.get(f"/v1/cards/{issued.json()['id']}", headers=auth(runtime))

    assert response.status_code == 200
    assert response.json() == issued.json()
    assert number not in response.text


async def test_a_missing_card_is_a_404_problem(runtime, client) -> None:
    response = await client.get(f"/v1/cards/{uuid.uuid4()}", headers=auth(runtime))

    assert response.status_code == 404
    assert response.json()["type"] == "urn:suxin:problem:not-found"


async def test_only_hrss_staff_reach_the_registry(runtime, client) -> None:
    enterprise = auth(runtime, Role.ENTERPRISE, uscc="91321000MA1XY0123R")

    issue = await client.post(
        "/v1/cards",
        json={"resident_id": resident_id(), "level": "A", "city_code": "3210"},
        headers=enterprise,
    )
    read = await client.get(f"/v1/cards/{uuid.uuid4()}", headers=auth(runtime, Role.SEEKER))

    assert issue.status_code == 403
    assert read.status_code == 403


async def test_many_people_each_get_a_card(runtime, client) -> None:
    # Past PostgreSQL's switch to a generic plan (after five runs of a prepared statement),
    # the insert must still find the one-card-per-person index.
    numbers = [resident_id(f"321002199801010{n:02d}") for n in range(12)]

    statuses = [
        (
            await client.post(
                "/v1/cards",
                json={"resident_id": number, "level": "C", "city_code": "3210"},
                headers=auth(runtime),
            )
        ).status_code
        for number in numbers
    ]
    again = await client.post(
        "/v1/cards",
        json={"resident_id": numbers[-1], "level": "C", "city_code": "3210"},
        headers=auth(runtime),
    )

    assert statuses == [201] * 12
    assert again.status_code == 409


async def test_an_expired_card_gives_way_to_a_renewed_one(runtime, client) -> None:
    body = {"resident_id": resident_id(), "level": "C", "city_code": "3201"}
    old = (await client.post("/v1/cards", json=body, headers=auth(runtime))).json()
    async with runtime.engine.begin() as conn:
        await conn.execute(
            text("UPDATE cards SET valid_until = current_date - 2 WHERE id = :id"),
            {"id": old["id"]},
        )

    renewed = await client.post("/v1/cards", json=body, headers=auth(runtime))

    assert renewed.status_code == 201, renewed.text
    retired = (await client.get(f"/v1/cards/{old['id']}", headers=auth(runtime))).json()
    assert retired["status"] == "revoked"


async def test_district_staff_see_only_cards_of_their_city(runtime, client) -> None:
    nanjing = await client.post(
        "/v1/cards",
        json={"resident_id": resident_id(), "level": "C", "city_code": "3201"},
        headers=auth(runtime),
    )
    yangzhou_staff = {
        "Authorization": "Bearer "
        + mint_dev_token(runtime.settings, "yz-1", [Role.HRSS_STAFF], district="3210")
    }
    card_id = nanjing.json()["id"]

    seen = await client.get(f"/v1/cards/{card_id}", headers=yangzhou_staff)
    revoke = await client.post(
        f"/v1/cards/{card_id}/revoke", json={"reason": "x"}, headers=yangzhou_staff
    )
    province = await client.get(f"/v1/cards/{card_id}", headers=auth(runtime))

    assert (seen.status_code, revoke.status_code) == (404, 404)
    assert province.json()["status"] == "active"


async def test_a_typed_mobile_number_in_a_status_reason_is_masked_before_storage(
    client, as_, runtime
) -> None:
    staff = as_(Role.HRSS_STAFF)
    card = await client.post(
        "/v1/cards",
        json={"resident_id": resident_id("32100319900517999"), "level": "C", "city_code": "3201"},
        headers=staff,
    )
    assert card.status_code == 201, card.text
    r = await client.post(
        f"/v1/cards/{card.json()['id']}/suspend",
        json={"reason": "核查中，联系13912345678"},
        headers=staff,
    )
    assert r.status_code == 200, r.text
    async with runtime.engine.connect() as conn:
        stored = (await conn.execute(text("SELECT status_reason FROM cards"))).scalars().all()
    assert stored == ["核查中，联系139****5678"]
