"""Appeal HTTP routes for claims (认定复核): the worker or the platform appeals a rejected claim;
HRSS staff who did not decide it decide the appeal. Parse -> handler -> response."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from injury_insurance import claim_appeals
from injury_insurance.adapters import repository as repo
from injury_insurance.api.deps import InjuryInsuranceDeps
from injury_insurance.api.scope import CLAIMS_WRITE, own_platform, platform_scopes
from injury_insurance.domain.claims import Claim, ClaimStage, StageConflict
from suxin_common.attachments import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    Attachment,
    AttachmentProblem,
    checked_attachment,
)
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.errors import Conflict, Forbidden, NotFound, RuleViolation
from suxin_common.freetext import FreeText
from suxin_common.security import reads
from suxin_common.web import InputModel

router = APIRouter(prefix="/v1", tags=["claim appeals (认定复核)"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
MAX_BASE64 = (MAX_ATTACHMENT_BYTES + 2) // 3 * 4


class AttachmentIn(InputModel):
    file_name: str = Field(min_length=1, max_length=200)
    content_type: str = Field(min_length=1, max_length=100)
    content_base64: str = Field(min_length=1, max_length=MAX_BASE64)


class ClaimAppealIn(InputModel):
    grounds: FreeText = Field(min_length=1, max_length=4000, description="理由 (why the review)")
    attachments: list[AttachmentIn] = Field(default=[], max_length=MAX_ATTACHMENTS)


class ClaimAppealOut(BaseModel):
    id: uuid.UUID
    claim_id: uuid.UUID
    appellant_kind: str
    grounds: str
    claim_stage: ClaimStage
    status: str = Field(description="submitted | upheld | dismissed")
    submitted_at: datetime
    due_on: date = Field(description="last working day for the decision")
    due_provisional: bool
    decided_at: datetime | None
    decision_reason: str | None
    claim_stage_now: ClaimStage | None = None


class ClaimAppealDecisionIn(InputModel):
    outcome: Literal["upheld", "dismissed"]
    reason: FreeText = Field(min_length=1, max_length=2000)


def _out(a: claim_appeals.ClaimAppeal, claim: Claim | None = None) -> ClaimAppealOut:
    return ClaimAppealOut(
        **{k: v for k, v in a.__dict__.items() if k in ClaimAppealOut.model_fields},
        claim_stage_now=claim.stage if claim else None,
    )


def _attachments(body: ClaimAppealIn) -> list[Attachment]:
    checked = []
    for n, a in enumerate(body.attachments):
        try:
            content = base64.b64decode(a.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise RuleViolation(
                "content_base64 is not base64", field=f"attachments[{n}].content_base64"
            ) from None
        try:
            checked.append(checked_attachment(a.file_name, a.content_type, content, n))
        except AttachmentProblem as exc:
            raise RuleViolation(str(exc), field=exc.field) from None
    return checked


def _appellant(principal: Principal, claim: Claim) -> str | None:
    if principal.has_role(Role.SEEKER) and principal.subject == claim.person_key:
        return "worker"
    if principal.has_role(Role.PLATFORM) and own_platform(principal) == claim.platform_uscc:
        return "platform"
    return None


@router.post(
    "/claims/{claim_id}/appeals",
    response_model=ClaimAppealOut,
    status_code=201,
    dependencies=[
        Depends(require_roles(Role.SEEKER, Role.PLATFORM)),
        Depends(platform_scopes(CLAIMS_WRITE)),
    ],
)
async def appeal_claim(
    claim_id: uuid.UUID, body: ClaimAppealIn, principal: CurrentPrincipal, deps: InjuryInsuranceDeps
):
    """Ask for a review of a rejected claim: the injured worker or the platform; anyone else
    gets 404. Attachments as for subsidy appeals (PDF, PNG, JPEG; 2 MiB; names masked)."""
    attachments = _attachments(body)
    async with deps.uow() as uow:
        claim = await repo.get_claim(uow.session, claim_id)
        kind = _appellant(principal, claim) if claim else None
        if claim is None or kind is None:
            raise NotFound(f"claim {claim_id} does not exist")
        try:
            appeal = await claim_appeals.submit(
                uow,
                claim,
                appellant=principal.subject,
                appellant_kind=kind,
                grounds=body.grounds,
                attachments=attachments,
                working_days=deps.settings.appeal_working_days,
                at=datetime.now(UTC),
                principal=principal,
            )
        except claim_appeals.AppealRefused as exc:
            raise Conflict(str(exc)) from None
        await uow.commit()
    return _out(appeal)


@router.get("/claim-appeals", response_model=list[ClaimAppealOut], dependencies=[STAFF])
async def list_claim_appeals(
    deps: InjuryInsuranceDeps,
    principal: CurrentPrincipal,
    status: Literal["submitted", "upheld", "dismissed"] | None = "submitted",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
):
    """Appeals by due day (by default the open ones), of claims in the caller's district
    scope (the injury's district, else its city), as for the claims themselves."""
    async with deps.sessions() as session:
        found = await claim_appeals.list_appeals(
            session,
            status=status,
            limit=limit,
            region=district_clause(claim_appeals.REGION, principal),
        )
    await reads.audited(
        deps,
        principal,
        object_type="claim_appeal",
        object_ids=[a.id for a in found],
        purpose="claim appeal list",
    )
    return [_out(a) for a in found]


async def _visible(session, appeal_id: uuid.UUID, principal: Principal):
    appeal = await claim_appeals.get_appeal(session, appeal_id)
    claim = await repo.get_claim(session, appeal.claim_id) if appeal else None
    if appeal is not None and claim is not None:
        if principal.has_role(Role.HRSS_STAFF):
            if principal.sees_district(claim.region_code):
                return appeal, claim
        elif appeal.appellant == principal.subject:
            return appeal, claim
    raise NotFound(f"appeal {appeal_id} does not exist")


@router.get(
    "/claim-appeals/{appeal_id}",
    response_model=ClaimAppealOut,
    dependencies=[Depends(require_roles(Role.HRSS_STAFF, Role.SEEKER, Role.PLATFORM))],
)
async def get_claim_appeal(
    appeal_id: uuid.UUID, principal: CurrentPrincipal, deps: InjuryInsuranceDeps
):
    """An appeal: to staff of the claim's district and to the appellant."""
    async with deps.sessions() as session:
        appeal, claim = await _visible(session, appeal_id, principal)
    await reads.audited(
        deps, principal, object_type="claim_appeal", object_ids=[appeal.id], purpose="appeal"
    )
    return _out(appeal, claim)


@router.post(
    "/claim-appeals/{appeal_id}/decision", response_model=ClaimAppealOut, dependencies=[STAFF]
)
async def decide_claim_appeal(
    appeal_id: uuid.UUID,
    body: ClaimAppealDecisionIn,
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Uphold (the claim is under review again) or dismiss (the rejection stands), with the
    reason; by a staff member who did not decide the claim (403 otherwise)."""
    async with deps.uow() as uow:
        appeal, claim = await _visible(uow.session, appeal_id, principal)
        appeal = await claim_appeals.get_appeal(uow, appeal_id, for_update=True)
        try:
            decided, claim = await claim_appeals.decide(
                uow,
                appeal,
                claim,
                upheld=body.outcome == "upheld",
                reason=body.reason,
                by=principal.subject,
                principal=principal,
                at=datetime.now(UTC),
            )
        except claim_appeals.AppealRefused as exc:
            if exc.code == "took-part":
                raise Forbidden(
                    str(exc), code="four-eyes", extra={"four_eyes": "took-part"}
                ) from None
            raise Conflict(str(exc)) from None
        except StageConflict as exc:
            raise Conflict(str(exc)) from None
        await uow.commit()
    return _out(decided, claim)
