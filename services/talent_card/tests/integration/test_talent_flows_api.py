"""GET /v1/talent-flows: the recorded flows, by card or hire, for HRSS staff."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from suxin_common.auth import Role, mint_dev_token
from talent_card.adapters import repository as repo
from talent_card.domain.model import Card, CardLevel, CardStatus, Position, TalentFlow

pytestmark = pytest.mark.integration


def auth(runtime, role: Role = Role.HRSS_STAFF, uscc: str | None = None) -> dict[str, str]:
    token = mint_dev_token(runtime.settings, f"{role}-1", [role], uscc=uscc)
    return {"Authorization": f"Bearer {token}"}


async def a_card(runtime, n: int) -> Card:
    position = Position(None, "3201")
    card = Card(
        id=uuid.uuid4(),
        person_key=f"pk_{n:032x}",
        masked_resident_id="3201**********0001",
        level=CardLevel.A,
        status=CardStatus.ACTIVE,
        issued_position=position,
        position=position,
        position_since=None,
        issued_at=datetime.now(UTC),
    )
    async with runtime.uow() as uow:
        assert await repo.add_card(uow.session, card, resident_id_encrypted="k.unused")
        await uow.commit()
    return card


async def a_flow(runtime, card: Card, day: int) -> TalentFlow:
    flow = TalentFlow(
        id=uuid.uuid4(),
        card_id=card.id,
        person_key=card.person_key,
        hire_id=uuid.uuid4(),
        origin=Position(None, "3201"),
        destination=Position("91321000MA1XY0123R", "3210"),
        flowed_on=date(2026, 1, 1) + timedelta(days=day),
        recorded_at=datetime.now(UTC),
    )
    async with runtime.uow() as uow:
        assert await repo.add_flow(uow.session, flow)
        await uow.commit()
    return flow


async def test_flows_by_card_and_by_hire(runtime, client) -> None:
    one, two = await a_card(runtime, 1), await a_card(runtime, 2)
    first, second = await a_flow(runtime, one, 10), await a_flow(runtime, one, 20)
    other = await a_flow(runtime, two, 5)

    by_card = await client.get(f"/v1/talent-flows?card_id={one.id}", headers=auth(runtime))
    by_hire = await client.get(f"/v1/talent-flows?hire_id={other.hire_id}", headers=auth(runtime))
    everything = await client.get("/v1/talent-flows", headers=auth(runtime))

    assert [f["id"] for f in by_card.json()["items"]] == [str(first.id), str(second.id)]
    assert [f["id"] for f in by_hire.json()["items"]] == [str(other.id)]
    assert [f["id"] for f in everything.json()["items"]] == [
        str(other.id),
        str(first.id),
        str(second.id),
    ]
    item = by_hire.json()["items"][0]
    assert (item["from_uscc"], item["from_city_code"]) == (None, "3201")
    assert (item["to_uscc"], item["to_city_code"]) == ("91321000MA1XY0123R", "3210")
    assert item["flowed_on"] == "2026-01-06"


async def test_flows_page_with_a_cursor(runtime, client) -> None:
    card = await a_card(runtime, 3)
    made = [await a_flow(runtime, card, day) for day in (1, 2, 3)]

    first = (await client.get("/v1/talent-flows?limit=2", headers=auth(runtime))).json()
    second = (
        await client.get(
            f"/v1/talent-flows?limit=2&cursor={first['next_cursor']}", headers=auth(runtime)
        )
    ).json()

    assert [f["id"] for f in first["items"] + second["items"]] == [str(f.id) for f in made]
    assert second["next_cursor"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("card_id=7", "card_id"), ("hire_id=x", "hire_id"), ("limit=500", "limit")],
)
async def test_invalid_parameters_are_a_422(runtime, client, query, field) -> None:
    response = await client.get(f"/v1/talent-flows?{query}", headers=auth(runtime))

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_only_hrss_staff_see_flows(runtime, client) -> None:
    enterprise = auth(runtime, Role.ENTERPRISE, uscc="91321000MA1XY0123R")

    response = await client.get("/v1/talent-flows", headers=enterprise)

    assert response.status_code == 403
