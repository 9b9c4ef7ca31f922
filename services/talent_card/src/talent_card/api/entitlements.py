"""Entitlements: the catalogue, uses recorded by partners, and the holder's own view."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from suxin_common.auth import Principal, Role, require_roles
from suxin_common.errors import Forbidden
from suxin_common.security import reads
from suxin_common.web import Page
from talent_card import criteria, handlers
from talent_card.adapters import repository as repo
from talent_card.api.deps import (
    Cursor,
    Limit,
    TalentCardDeps,
    after_id,
    check_acts_for_person,
    next_cursor,
)
from talent_card.api.schemas import (
    CardOut,
    EntitlementOut,
    EntitlementUseIn,
    EntitlementUseOut,
    ResidentIdIn,
)
from talent_card.domain import commands

router = APIRouter(prefix="/v1")

Anyone = Annotated[Principal, Depends(require_roles(Role.SEEKER, Role.VERIFIER, Role.HRSS_STAFF))]
Verifier = Annotated[Principal, Depends(require_roles(Role.VERIFIER))]
VerifierOrStaff = Annotated[Principal, Depends(require_roles(Role.VERIFIER, Role.HRSS_STAFF))]
Seeker = Annotated[Principal, Depends(require_roles(Role.SEEKER))]


def _partner_of(principal: Principal) -> str:
    if not principal.tenant.uscc:
        raise Forbidden("A verifier token must name the partner organisation (tenant.uscc).")
    return principal.tenant.uscc


@router.get("/entitlements", response_model=list[EntitlementOut], tags=["entitlements"])
async def entitlement_catalogue(principal: Anyone):
    """The entitlement catalogue (权益目录): which levels get what, and how often."""
    return [EntitlementOut.of(e) for e in criteria.entitlement_catalogue().values()]


@router.post(
    "/entitlement-uses",
    status_code=status.HTTP_201_CREATED,
    response_model=EntitlementUseOut,
    tags=["entitlements"],
)
async def record_use(
    body: EntitlementUseIn, principal: Verifier, response: Response, deps: TalentCardDeps
):
    """A partner records a use of a card it verified: 409 over the period's limit or for a
    suspended, revoked or expired card; 422 if the card's level does not include it. A retry
    with the same reference answers 200 with the use first recorded."""
    cmd = commands.RecordEntitlementUse(
        credential=body.credential,
        entitlement=body.entitlement,
        reference=body.reference,
        partner_uscc=_partner_of(principal),
        partner_subject=principal.subject,
    )
    use, created = await handlers.record_entitlement_use(deps.uow(), cmd, deps.issuer, by=principal)
    if not created:
        response.status_code = status.HTTP_200_OK
    return EntitlementUseOut.of(use)


@router.get("/entitlement-uses", response_model=Page[EntitlementUseOut], tags=["entitlements"])
async def list_uses(
    deps: TalentCardDeps,
    principal: VerifierOrStaff,
    limit: Limit,
    card_id: uuid.UUID | None = None,
    cursor: Cursor = None,
):
    """Uses recorded by the caller's organisation (a partner), or of cards in the caller's
    district (staff)."""
    staff = principal.has_role(Role.HRSS_STAFF)
    partner = None if staff else _partner_of(principal)
    async with deps.sessions() as session:
        rows = await repo.list_uses(
            session,
            card_ids=[card_id] if card_id else None,
            partner_uscc=partner,
            viewer=principal if staff else None,
            after=after_id(cursor),
            limit=limit + 1,
        )
    await reads.audited(
        deps,
        principal,
        object_type="card",
        object_ids=list(dict.fromkeys(r.card_id for r in rows[:limit])),
        purpose="entitlement uses",
    )
    return Page[EntitlementUseOut](
        items=[EntitlementUseOut.of(r) for r in rows[:limit]], next_cursor=next_cursor(rows, limit)
    )


@router.get("/me/cards", response_model=list[CardOut], tags=["holder"])
async def my_cards(deps: TalentCardDeps, principal: Seeker):
    """The caller's own cards (current and past)."""
    async with deps.sessions() as session:
        return [CardOut.of(c) for c in await repo.cards_of_owner(session, principal.subject)]


@router.post("/me/cards/claim", response_model=CardOut, tags=["holder"])
async def claim_card(body: ResidentIdIn, deps: TalentCardDeps, principal: Seeker):
    """Bind the card the caller holds to their account: the resident ID must be the verified
    identity of the caller's token (404 otherwise, as when the person holds no card)."""
    check_acts_for_person(
        principal,
        deps.personal_data,
        body.resident_id,
        not_found="this person holds no talent card",
    )
    card = await handlers.claim_card(
        deps.uow(), body.resident_id, principal.subject, deps.personal_data, by=principal
    )
    return CardOut.of(card)


@router.get("/me/entitlement-uses", response_model=Page[EntitlementUseOut], tags=["holder"])
async def my_uses(deps: TalentCardDeps, principal: Seeker, limit: Limit, cursor: Cursor = None):
    """The uses partners recorded on the caller's cards."""
    async with deps.sessions() as session:
        card_ids = [c.id for c in await repo.cards_of_owner(session, principal.subject)]
        rows = await repo.list_uses(
            session, card_ids=card_ids, after=after_id(cursor), limit=limit + 1
        )
    return Page[EntitlementUseOut](
        items=[EntitlementUseOut.of(r) for r in rows[:limit]], next_cursor=next_cursor(rows, limit)
    )
