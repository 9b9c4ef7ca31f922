"""Talent-card HTTP routes (HRSS staff): parse -> command -> handler, and reads."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from suxin_common.auth import Role, require_roles
from suxin_common.service import RuntimeDep, UowDep
from suxin_common.web import NotFound, Page, Unprocessable, decode_cursor, encode_cursor
from talent_card import handlers
from talent_card.adapters import repository as repo
from talent_card.api.schemas import CardIn, CardOut, TalentFlowOut
from talent_card.domain import commands

router = APIRouter(prefix="/v1", dependencies=[Depends(require_roles(Role.HRSS_STAFF))])


@router.post("/cards", status_code=status.HTTP_201_CREATED, response_model=CardOut, tags=["cards"])
async def issue_card(body: CardIn, uow: UowDep, runtime: RuntimeDep):
    """Issue a talent card (苏畅卡); 409 if the person already holds one."""
    card = await handlers.issue_card(
        uow,
        commands.IssueCard(
            resident_id=body.resident_id,
            level=body.level,
            city_code=body.city_code,
            employer_uscc=body.employer_uscc,
        ),
        runtime.personal_data,
    )
    return CardOut.of(card)


@router.get("/cards/{card_id}", response_model=CardOut, tags=["cards"])
async def get_card(card_id: uuid.UUID, runtime: RuntimeDep):
    async with runtime.sessions() as session:
        card = await repo.get_card(session, card_id)
    if card is None:
        raise NotFound(f"card {card_id} does not exist")
    return CardOut.of(card)


@router.get("/talent-flows", response_model=Page[TalentFlowOut], tags=["talent flows"])
async def list_talent_flows(
    runtime: RuntimeDep,
    card_id: uuid.UUID | None = None,
    hire_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
):
    """Talent flows (人才流动) by the day they took effect."""
    async with runtime.sessions() as session:
        found = await repo.list_flows(
            session,
            card_id=card_id,
            hire_id=hire_id,
            after=_position(cursor) if cursor else None,
            limit=limit + 1,
        )
    page, more = found[:limit], len(found) > limit
    next_cursor = (
        encode_cursor({"flowed_on": page[-1].flowed_on.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[TalentFlowOut](items=[TalentFlowOut.of(f) for f in page], next_cursor=next_cursor)


def _position(cursor: str) -> tuple[date, uuid.UUID]:
    position = decode_cursor(cursor)
    try:
        return date.fromisoformat(position["flowed_on"]), uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise Unprocessable("The cursor is invalid.", field="cursor") from None
