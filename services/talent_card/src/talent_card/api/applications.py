"""Applications with staff review, and the offers the service makes on its own (政策找人)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, status

from suxin_common.auth import Principal, Role, require_roles
from suxin_common.security import reads
from suxin_common.web import Page
from talent_card import handlers
from talent_card.adapters import repository as repo
from talent_card.api.deps import (
    Cursor,
    Limit,
    TalentCardDeps,
    after_id,
    check_acts_for_person,
    check_creates_in,
    next_cursor,
)
from talent_card.api.schemas import (
    AcceptOfferIn,
    ApplicationIn,
    ApplicationOut,
    CardOut,
    OfferOut,
    ResidentIdIn,
    ReviewIn,
)
from talent_card.domain import commands

router = APIRouter(prefix="/v1")

Staff = Annotated[Principal, Depends(require_roles(Role.HRSS_STAFF))]
SeekerOrStaff = Annotated[Principal, Depends(require_roles(Role.SEEKER, Role.HRSS_STAFF))]
Seeker = Annotated[Principal, Depends(require_roles(Role.SEEKER))]


@router.post(
    "/card-applications",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationOut,
    tags=["applications"],
)
async def submit_application(body: ApplicationIn, deps: TalentCardDeps, principal: SeekerOrStaff):
    """Apply for a card; the criteria in force propose a level and staff review it. A seeker
    applies only for themselves (the verified identity of their token; 404 otherwise); staff
    apply for someone only in their own district (403 elsewhere)."""
    check_creates_in(principal, body.city_code, "an application")
    check_acts_for_person(
        principal,
        deps.personal_data,
        body.resident_id,
        not_found="person not found",
        staff_may=True,
    )
    cmd = commands.SubmitApplication(
        resident_id=body.resident_id,
        city_code=body.city_code,
        employer_uscc=body.employer_uscc,
        attributes=body.attributes.as_attributes(),
        documents=[d.model_dump() for d in body.documents],
        owner_subject=principal.subject if principal.has_role(Role.SEEKER) else None,
    )
    return ApplicationOut.of(await handlers.submit_application(deps.uow(), cmd, deps.personal_data))


@router.get("/card-applications", response_model=Page[ApplicationOut], tags=["applications"])
async def list_applications(
    principal: Staff,
    limit: Limit,
    deps: TalentCardDeps,
    status: Literal["pending", "approved", "rejected"] | None = None,
    cursor: Cursor = None,
):
    """Applications in the caller's district, oldest first (each one shown is audited)."""
    rows = await handlers.view_applications(
        deps.uow(), principal, status=status, after=after_id(cursor), limit=limit
    )
    return Page[ApplicationOut](
        items=[ApplicationOut.of(r) for r in rows[:limit]], next_cursor=next_cursor(rows, limit)
    )


@router.get(
    "/card-applications/{application_id}", response_model=ApplicationOut, tags=["applications"]
)
async def get_application(
    application_id: uuid.UUID, principal: SeekerOrStaff, deps: TalentCardDeps
):
    """The applicant's own application, or one in a staff member's district (audited);
    anyone else's answers 404."""
    return ApplicationOut.of(await handlers.view_application(deps.uow(), application_id, principal))


async def _review(
    deps: TalentCardDeps,
    principal: Principal,
    application_id: uuid.UUID,
    approve: bool,
    body: ReviewIn,
) -> ApplicationOut:
    cmd = commands.ReviewApplication(
        application_id=application_id, approve=approve, reviewer=principal.subject, note=body.note
    )
    return ApplicationOut.of(
        await handlers.review_application(
            deps.uow(), cmd, deps.personal_data, deps.issuer, by=principal
        )
    )


@router.post(
    "/card-applications/{application_id}/approve",
    response_model=ApplicationOut,
    tags=["applications"],
)
async def approve_application(
    application_id: uuid.UUID, body: ReviewIn, deps: TalentCardDeps, principal: Staff
):
    """Approve a pending application: the card is issued at the proposed level."""
    return await _review(deps, principal, application_id, True, body)


@router.post(
    "/card-applications/{application_id}/reject",
    response_model=ApplicationOut,
    tags=["applications"],
)
async def reject_application(
    application_id: uuid.UUID, body: ReviewIn, deps: TalentCardDeps, principal: Staff
):
    return await _review(deps, principal, application_id, False, body)


# --- offers ---------------------------------------------------------------------------------


@router.get("/card-offers", response_model=Page[OfferOut], tags=["offers"])
async def list_offers(
    deps: TalentCardDeps,
    principal: Staff,
    limit: Limit,
    status: Literal["open", "accepted", "declined"] | None = None,
    cursor: Cursor = None,
):
    """Offers made on qualifying events (政策找人) in the caller's district, for follow-up."""
    async with deps.sessions() as session:
        rows = await repo.list_offers(
            session, viewer=principal, status=status, after=after_id(cursor), limit=limit + 1
        )
    await reads.audited(
        deps,
        principal,
        object_type="card_offer",
        object_ids=[r.id for r in rows[:limit]],
        purpose="offer follow-up",
    )
    return Page[OfferOut](
        items=[OfferOut.of(r) for r in rows[:limit]], next_cursor=next_cursor(rows, limit)
    )


@router.post("/card-offers/lookup", response_model=list[OfferOut], tags=["offers"])
async def my_offers(body: ResidentIdIn, deps: TalentCardDeps, principal: SeekerOrStaff):
    """The offers made to the person with this resident ID (POST keeps it out of URLs): a
    seeker's own only (404 for anyone else's); staff see those of their district. Every lookup
    is audited."""
    check_acts_for_person(
        principal,
        deps.personal_data,
        body.resident_id,
        not_found="no card offers found",
        staff_may=True,
    )
    rows = await handlers.lookup_offers(deps.uow(), body.resident_id, principal, deps.personal_data)
    return [OfferOut.of(r) for r in rows]


@router.post(
    "/card-offers/{offer_id}/accept",
    status_code=status.HTTP_201_CREATED,
    response_model=CardOut,
    tags=["offers"],
)
async def accept_offer(
    offer_id: uuid.UUID, body: AcceptOfferIn, deps: TalentCardDeps, principal: Seeker
):
    """The person accepts an offer and gets the card; 404 unless the offer is theirs (the
    resident ID must be the verified identity of the caller's token)."""
    check_acts_for_person(
        principal,
        deps.personal_data,
        body.resident_id,
        not_found=f"offer {offer_id} does not exist",
    )
    cmd = commands.AcceptOffer(
        offer_id=offer_id,
        resident_id=body.resident_id,
        owner_subject=principal.subject,
        employer_uscc=body.employer_uscc,
    )
    return CardOut.of(
        await handlers.accept_offer(deps.uow(), cmd, deps.personal_data, deps.issuer, by=principal)
    )


@router.post(
    "/card-offers/{offer_id}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["offers"],
)
async def decline_offer(
    offer_id: uuid.UUID, body: ResidentIdIn, deps: TalentCardDeps, principal: Seeker
) -> None:
    """The person declines an offer; 404 unless the offer is theirs (as for accepting)."""
    check_acts_for_person(
        principal,
        deps.personal_data,
        body.resident_id,
        not_found=f"offer {offer_id} does not exist",
    )
    cmd = commands.DeclineOffer(offer_id=offer_id, resident_id=body.resident_id)
    await handlers.decline_offer(deps.uow(), cmd, deps.personal_data)
