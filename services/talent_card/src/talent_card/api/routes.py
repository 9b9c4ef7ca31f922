"""Talent-card HTTP routes for HRSS staff: the card registry, status changes, talent flows."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, status

from suxin_common.auth import Principal, Role, require_roles
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.web import Page, decode_cursor, encode_cursor
from talent_card import handlers
from talent_card.adapters import repository as repo
from talent_card.api.deps import Cursor, Limit, TalentCardDeps, check_creates_in
from talent_card.api.schemas import (
    CardIn,
    CardOut,
    EmploymentOut,
    SigningKeyOut,
    StatusChangeIn,
    TalentFlowOut,
)
from talent_card.domain import commands
from talent_card.domain.model import Card, CardStatus

router = APIRouter(prefix="/v1", dependencies=[Depends(require_roles(Role.HRSS_STAFF))])
Staff = Annotated[Principal, Depends(require_roles(Role.HRSS_STAFF))]


async def visible_card(deps: TalentCardDeps, principal: Principal, card_id: uuid.UUID) -> Card:
    """The card, if it exists and lies in the staff member's district scope (by the city the
    holder works in); otherwise 404, so its existence is not disclosed."""
    async with deps.sessions() as session:
        card = await repo.get_card(session, card_id)
    if card is None or not principal.sees_district(card.position.city_code):
        raise NotFound(f"card {card_id} does not exist")
    return card


@router.post("/cards", status_code=status.HTTP_201_CREATED, response_model=CardOut, tags=["cards"])
async def issue_card(body: CardIn, deps: TalentCardDeps, principal: Staff):
    """Issue a talent card (苏畅卡) at a level staff decided; 409 if the person holds one,
    403 outside the caller's district."""
    check_creates_in(principal, body.city_code, "a card")
    card = await handlers.issue_card(
        deps.uow(),
        commands.IssueCard(
            resident_id=body.resident_id,
            level=body.level,
            city_code=body.city_code,
            employer_uscc=body.employer_uscc,
        ),
        deps.personal_data,
        deps.issuer,
        by=principal,
    )
    return CardOut.of(card)


@router.get("/cards/{card_id}", response_model=CardOut, tags=["cards"])
async def get_card(card_id: uuid.UUID, deps: TalentCardDeps, principal: Staff):
    """A card in the caller's district (the read is audited); 404 for any other."""
    card = await visible_card(deps, principal, card_id)
    await handlers.audit_card_read(deps.uow(), card, principal, "card record")
    return CardOut.of(card)


async def _change(
    uow, principal: Principal, card_id: uuid.UUID, to: CardStatus, body: StatusChangeIn
) -> CardOut:
    """The status decision (audited; 404 for a card outside the caller's district)."""
    cmd = commands.ChangeCardStatus(card_id=card_id, status=to, reason=body.reason)
    return CardOut.of(await handlers.change_card_status(uow, cmd, by=principal))


@router.post("/cards/{card_id}/suspend", response_model=CardOut, tags=["cards"])
async def suspend_card(
    card_id: uuid.UUID, body: StatusChangeIn, principal: Staff, deps: TalentCardDeps
):
    """Suspend (暂停) an active card; 409 from any other status."""
    return await _change(deps.uow(), principal, card_id, CardStatus.SUSPENDED, body)


@router.post("/cards/{card_id}/reinstate", response_model=CardOut, tags=["cards"])
async def reinstate_card(
    card_id: uuid.UUID, body: StatusChangeIn, principal: Staff, deps: TalentCardDeps
):
    """Reinstate a suspended card; 409 from any other status."""
    return await _change(deps.uow(), principal, card_id, CardStatus.ACTIVE, body)


@router.post("/cards/{card_id}/revoke", response_model=CardOut, tags=["cards"])
async def revoke_card(
    card_id: uuid.UUID, body: StatusChangeIn, principal: Staff, deps: TalentCardDeps
):
    """Revoke (撤销) a card for good; 409 if it is revoked already."""
    return await _change(deps.uow(), principal, card_id, CardStatus.REVOKED, body)


@router.get("/cards/{card_id}/employments", response_model=list[EmploymentOut], tags=["cards"])
async def card_employments(card_id: uuid.UUID, deps: TalentCardDeps, principal: Staff):
    """The holder's employer and city history since the card was issued (audited)."""
    card = await visible_card(deps, principal, card_id)
    rows = await handlers.view_employments(deps.uow(), card, principal)
    return [EmploymentOut.model_validate(r) for r in rows]


@router.get("/signing-keys", response_model=list[SigningKeyOut], tags=["credentials"])
async def signing_keys(deps: TalentCardDeps):
    """The configured signing keys and until when each must stay published (rotation)."""
    async with deps.sessions() as session:
        use = await repo.signing_key_use(session)
    return [
        SigningKeyOut(
            kid=key.kid,
            signs_new_cards=key is deps.issuer.keys.active,
            unrevoked_cards=use.get(key.kid, (0, None))[0],
            keep_until=use.get(key.kid, (0, None))[1],
        )
        for key in deps.issuer.keys.keys
    ]


@router.get("/talent-flows", response_model=Page[TalentFlowOut], tags=["talent flows"])
async def list_talent_flows(
    deps: TalentCardDeps,
    principal: Staff,
    limit: Limit,
    card_id: uuid.UUID | None = None,
    hire_id: uuid.UUID | None = None,
    cursor: Cursor = None,
):
    """Talent flows (人才流动) by the day they took effect: those leaving or entering the
    caller's district."""
    async with deps.sessions() as session:
        found = await repo.list_flows(
            session,
            viewer=principal,
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
        raise RuleViolation("The cursor is invalid.", field="cursor") from None
