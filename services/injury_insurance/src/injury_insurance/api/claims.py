"""Occupational-injury claims: reported by the worker (seeker) or by the platform for its worker,
reviewed and decided by HRSS staff, then paid. Each step answers with the claim as it now is.

Visibility (anything else answers 404): HRSS staff see the claims of their district scope (by
the district of the injury, else its city), a platform its workers' claims (scopes
``claims:read``, ``claims:write``), a worker their own. Every decision (the cover check's
included) and every payment is written to the access audit, with the amounts, in the same
transaction; so is each staff read of a claim (it holds health data)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends

from injury_insurance import four_eyes_actions, handlers
from injury_insurance.adapters import repository as repo
from injury_insurance.adapters.tables import claims as claims_table
from injury_insurance.api.deps import InjuryInsuranceDeps
from injury_insurance.api.schemas import ClaimIn, ClaimOut, ClaimStepOut, DecisionIn, PaymentIn
from injury_insurance.api.scope import CLAIMS_READ, CLAIMS_WRITE, own_platform, platform_scopes
from injury_insurance.domain.benefits import AboveLimit
from injury_insurance.domain.claims import Claim, ClaimStage, StageConflict
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.db import UnitOfWork
from suxin_common.errors import Conflict, Forbidden, NotFound, RuleViolation
from suxin_common.identity import Uscc
from suxin_common.security import audit, four_eyes, reads
from suxin_common.web import Page, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1/claims", tags=["claims"])

READERS = [
    Depends(require_roles(Role.HRSS_STAFF, Role.PLATFORM, Role.SEEKER)),
    Depends(platform_scopes(CLAIMS_READ)),
]
# The region of a claim for district scoping: the district of the injury, else its city.
CLAIM_REGION = sa.func.coalesce(claims_table.c.district_code, claims_table.c.city_code)


def _out(claim: Claim) -> ClaimOut:
    return ClaimOut.model_validate(claim, from_attributes=True)


def _visible(principal: Principal, claim: Claim) -> bool:
    """Staff see the claims of their district scope; a platform its workers'; a worker their
    own (token subject is the worker's pseudonymous person key in the worker app)."""
    if principal.has_role(Role.HRSS_STAFF):
        return principal.sees_district(claim.region_code)
    if principal.has_role(Role.PLATFORM) and own_platform(principal) == claim.platform_uscc:
        return True
    return principal.has_role(Role.SEEKER) and principal.subject == claim.person_key


_audit_decision = four_eyes_actions.audit_decision


@router.post(
    "",
    response_model=ClaimOut,
    status_code=201,
    dependencies=[
        Depends(require_roles(Role.SEEKER, Role.PLATFORM)),
        Depends(platform_scopes(CLAIMS_WRITE)),
    ],
)
async def report_injury(body: ClaimIn, principal: CurrentPrincipal, deps: InjuryInsuranceDeps):
    """Report an injury (报案). Cover is checked at once at ``injured_at``: the claim goes to
    review if one of the platform's orders covered the worker then, and is rejected, with the
    reason, otherwise."""
    async with deps.uow() as uow:
        worker = await repo.get_gig_worker(uow.session, body.platform_uscc, body.worker_id)
        is_platform = principal.has_role(Role.PLATFORM) and own_platform(principal) == (
            body.platform_uscc
        )
        is_worker = (
            worker is not None
            and principal.has_role(Role.SEEKER)
            and principal.subject == worker.person_key
        )
        if worker is None or not (is_platform or is_worker):
            raise NotFound("worker does not exist")
        claim = await handlers.report_injury(
            uow,
            handlers.ReportInjury(
                platform_uscc=body.platform_uscc,
                worker_id=body.worker_id,
                person_key=worker.person_key,
                injured_at=body.injured_at,
                place=body.place,
                city_code=body.city_code,
                order_id=body.order_id,
                description=body.description,
                reported_by=principal.subject,
                district_code=body.district_code,
            ),
        )
        await _audit_decision(uow, None, claim, previous=ClaimStage.REPORTED)
        await uow.commit()
    return _out(claim)


@router.get("", response_model=Page[ClaimOut], dependencies=READERS)
async def list_claims(
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
    limit: Annotated[int, Depends(page_size())],
    platform_uscc: Uscc | None = None,
    stage: ClaimStage | None = None,
    cursor: str | None = None,
):
    """Claims in the order they were reported; each caller sees only what it may."""
    person_key = None
    if not principal.has_role(Role.HRSS_STAFF):
        if principal.has_role(Role.PLATFORM):
            platform_uscc = own_platform(principal)
        else:
            person_key = principal.subject
    async with deps.sessions() as session:
        found = await repo.list_claims(
            session,
            platform_uscc=platform_uscc,
            person_key=person_key,
            region=district_clause(CLAIM_REGION, principal),
            stage=stage,
            after=_position(cursor) if cursor else None,
            limit=limit + 1,
        )
    page, more = found[:limit], len(found) > limit
    await reads.audited(
        deps,
        principal,
        object_type="claim",
        object_ids=[c.id for c in page],
        purpose="claim list",
    )
    next_cursor = (
        encode_cursor({"created_at": page[-1].created_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[ClaimOut](items=[_out(c) for c in page], next_cursor=next_cursor)


async def _claim_for(uow: UnitOfWork, principal: Principal, claim_id: uuid.UUID) -> Claim:
    claim = await repo.get_claim(uow.session, claim_id)
    if claim is None or not _visible(principal, claim):
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


async def _audit_staff_read(uow: UnitOfWork, principal: Principal, claim: Claim) -> None:
    if principal.has_role(Role.HRSS_STAFF):
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="claim",
            object_id=str(claim.id),
            purpose="claim review",
            details={"platform_uscc": claim.platform_uscc, "stage": claim.stage.value},
        )


@router.get("/{claim_id}", response_model=ClaimOut, dependencies=READERS)
async def get_claim(claim_id: uuid.UUID, principal: CurrentPrincipal, deps: InjuryInsuranceDeps):
    async with deps.uow() as uow:
        claim = await _claim_for(uow, principal, claim_id)
        await _audit_staff_read(uow, principal, claim)
        await uow.commit()
    return _out(claim)


@router.get("/{claim_id}/history", response_model=list[ClaimStepOut], dependencies=READERS)
async def claim_history(
    claim_id: uuid.UUID, principal: CurrentPrincipal, deps: InjuryInsuranceDeps
):
    """Every stage the claim reached, who moved it there and when (the audit record)."""
    async with deps.sessions() as session:
        claim = await repo.get_claim(session, claim_id)
        if claim is None or not _visible(principal, claim):
            raise NotFound(f"claim {claim_id} does not exist")
        rows = await repo.claim_history_of(session, claim_id)
    await reads.audited(
        deps, principal, object_type="claim", object_ids=[claim.id], purpose="claim history"
    )
    return [ClaimStepOut(**{k: r[k] for k in ClaimStepOut.model_fields}) for r in rows]


@router.post(
    "/{claim_id}/decision",
    response_model=ClaimOut,
    dependencies=[Depends(require_roles(Role.HRSS_STAFF))],
)
async def decide(
    claim_id: uuid.UUID,
    body: DecisionIn,
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Reject (with the reason) a claim under review; or propose its approval (四眼原则) with
    the injury category and the amount, which the benefit schedule in force at the injury
    bounds (422 naming ``amount_fen`` and the limit). The claim stays under review until a
    second staff member confirms at ``POST /v1/approvals/{pending_approval_id}/check``."""
    async with deps.uow() as uow:
        claim = await _claim_for(uow, principal, claim_id)
        if body.decision == "approved":
            approval = await _propose_approval(uow, claim, body, principal, deps)
            await uow.commit()
            return _out(claim).model_copy(
                update={
                    "pending_approval_id": approval.id,
                    "pending_required_level": approval.required_level.label,
                }
            )
        try:
            decided = await handlers.decide_claim(
                uow,
                claim,
                approve=False,
                reason=body.reason,
                amount_fen=0,
                actor=principal.subject,
            )
        except StageConflict as exc:
            raise Conflict(str(exc)) from None
        await _audit_decision(uow, principal, decided, previous=claim.stage)
        await uow.commit()
    return _out(decided)


async def _propose_approval(
    uow, claim: Claim, body: DecisionIn, principal: Principal, deps: InjuryInsuranceDeps
):
    if claim.stage is not ClaimStage.UNDER_REVIEW:
        raise Conflict(f"a {claim.stage} claim cannot become approved")
    version = deps.rates.schedule.at(claim.injured_at)
    if version is None:
        raise Conflict("no benefit schedule was in force at the instant of the injury")
    category = body.injury_category
    assert category is not None and body.amount_fen is not None  # DecisionIn checks both
    try:
        version.bound(category, body.amount_fen)
    except AboveLimit as exc:
        raise RuleViolation(
            str(exc),
            field="amount_fen",
            extra={"limit_fen": exc.limit_fen, "schedule_version": exc.version},
        ) from None
    try:
        return await four_eyes.propose(
            uow,
            principal,
            deps.four_eyes.rule(four_eyes_actions.CLAIM_APPROVAL),
            object_type="claim",
            object_id=str(claim.id),
            amount_fen=body.amount_fen,
            payload={
                "amount_fen": body.amount_fen,
                "injury_category": category.value,
                "schedule_version": version.version,
                "claim_version": claim.version,
            },
        )
    except four_eyes.AlreadyPending as exc:
        raise Conflict(
            "an approval of this claim waits for its check",
            extra={"pending_approval_id": str(exc.approval_id)},
        ) from None


@router.post(
    "/{claim_id}/payment",
    response_model=ClaimOut,
    dependencies=[Depends(require_roles(Role.HRSS_STAFF))],
)
async def record_payment(
    claim_id: uuid.UUID,
    body: PaymentIn,
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Propose to record that an approved claim's benefit was paid; a second staff member
    confirms it. Neither may be who proposed or confirmed the approval (whoever approves does
    not pay)."""
    async with deps.uow() as uow:
        claim = await _claim_for(uow, principal, claim_id)
        if claim.stage is not ClaimStage.APPROVED:
            raise Conflict(f"a {claim.stage} claim cannot become paid")
        approvers = [p for p in (claim.decided_by, claim.approved_by) if p]
        if principal.subject in approvers:
            raise Forbidden(
                "whoever approved a claim may not pay it",
                code="four-eyes",
                extra={"four_eyes": "took-part"},
            )
        try:
            approval = await four_eyes.propose(
                uow,
                principal,
                deps.four_eyes.rule(four_eyes_actions.CLAIM_PAYMENT),
                object_type="claim",
                object_id=str(claim.id),
                amount_fen=claim.amount_fen,
                payload={"reference": body.reference, "claim_version": claim.version},
                excluded=approvers,
            )
        except four_eyes.AlreadyPending as exc:
            raise Conflict(
                "a payment of this claim waits for its check",
                extra={"pending_approval_id": str(exc.approval_id)},
            ) from None
        await uow.commit()
    return _out(claim).model_copy(
        update={
            "pending_approval_id": approval.id,
            "pending_required_level": approval.required_level.label,
        }
    )


def _position(cursor: str) -> tuple[datetime, uuid.UUID]:
    position = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(position["created_at"]), uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise RuleViolation("The cursor is invalid.", field="cursor") from None
