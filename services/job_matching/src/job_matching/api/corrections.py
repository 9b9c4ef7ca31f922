"""更正请求 (PIPL art. 46): a person asks for a correction of their profile
(`/v1/me/profile/corrections`), HRSS staff of their district decide
(`/v1/profile-corrections`); an accepted request changes the field. Another person's request
answers 404; both steps are audited."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, Field

from job_matching.adapters import corrections_store
from job_matching.adapters.tables import profile_corrections as t
from job_matching.api.access import STAFF_ONLY, Limit
from job_matching.api.deps import JobMatchingDeps
from job_matching.domain.corrections import CORRECTABLE, CorrectionStatus
from job_matching.handlers import corrections as handlers
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.errors import Forbidden, NotFound
from suxin_common.web import InputModel

router = APIRouter(prefix="/v1", tags=["corrections"])
PERSON = Depends(require_roles(Role.SEEKER))


class CorrectionIn(InputModel):
    field: str = Field(
        min_length=1, max_length=40, description="更正字段 / " + ", ".join(sorted(CORRECTABLE))
    )
    requested_value: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=2, max_length=500)


class DecisionIn(InputModel):
    accept: bool
    note: str = Field("", max_length=500, description="处理意见 / the staff member's note")


class CorrectionOut(BaseModel):
    id: uuid.UUID
    field: str = Field(description="更正字段 / the profile field")
    requested_value: str
    reason: str
    status: CorrectionStatus = Field(description="处理状态 / pending, accepted or rejected")
    decision_note: str | None = Field(description="处理意见 / the staff member's note")
    decided_at: datetime | None
    created_at: datetime


def _out(row) -> CorrectionOut:
    return CorrectionOut(**{k: getattr(row, k) for k in CorrectionOut.model_fields})


def _key(principal: Principal) -> str:
    if principal.person_key is None:
        raise Forbidden("a correction needs a login verified by real name (实名认证)")
    return principal.person_key


@router.post(
    "/me/profile/corrections",
    status_code=status.HTTP_201_CREATED,
    response_model=CorrectionOut,
    dependencies=[PERSON],
    tags=["me"],
)
async def ask_for_correction(
    body: CorrectionIn, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """Ask that a field of my profile be corrected (with the reason); staff decide."""
    uow = deps.uow()
    row = await handlers.request(
        uow, principal, _key(principal), body.field, body.requested_value, body.reason
    )
    return _out(row)


@router.get(
    "/me/profile/corrections",
    response_model=list[CorrectionOut],
    dependencies=[PERSON],
    tags=["me"],
)
async def my_corrections(principal: CurrentPrincipal, deps: JobMatchingDeps, limit: Limit):
    """My correction requests and their outcome, newest first."""
    async with deps.sessions() as session:
        rows = await session.execute(
            sa.select(t)
            .where(t.c.person_key == (principal.person_key or ""))
            .order_by(t.c.created_at.desc())
            .limit(limit)
        )
    return [_out(r) for r in rows]


@router.get(
    "/me/profile/corrections/{correction_id}",
    response_model=CorrectionOut,
    dependencies=[PERSON],
    tags=["me"],
)
async def my_correction(
    correction_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """One of my correction requests (another person's answers 404)."""
    async with deps.sessions() as session:
        row = await corrections_store.get(session, correction_id)
    if row is None or row.person_key != (principal.person_key or ""):
        raise NotFound(f"correction request {correction_id} does not exist")
    return _out(row)


@router.get("/profile-corrections", response_model=list[CorrectionOut], dependencies=[STAFF_ONLY])
async def correction_queue(
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    limit: Limit,
    status_: Annotated[CorrectionStatus, Query(alias="status")] = CorrectionStatus.PENDING,
):
    """Correction requests of the caller's district (oldest first), pending by default."""
    async with deps.sessions() as session:
        rows = await session.execute(
            sa.select(t)
            .where(t.c.status == status_.value)
            .where(district_clause(t.c.district_code, principal))
            .order_by(t.c.created_at)
            .limit(limit)
        )
    return [_out(r) for r in rows]


@router.post(
    "/profile-corrections/{correction_id}/decision",
    response_model=CorrectionOut,
    dependencies=[STAFF_ONLY],
)
async def decide_correction(
    correction_id: uuid.UUID,
    body: DecisionIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
):
    """Accept (the field is changed) or reject a pending request; deciding twice is a 409."""
    uow = deps.uow()
    async with deps.sessions() as session:
        row = await corrections_store.get(session, correction_id)
    if row is None or not principal.sees_district(row.district_code):
        raise NotFound(f"correction request {correction_id} does not exist")
    return _out(await handlers.decide(uow, principal, correction_id, body.accept, body.note))
