"""The person's answer to a hire filed about them (录用确认): confirm it, or deny it.

A hire the enterprise records is its declaration; the person confirms it here (or has
accepted the offer before, or 社保 shows the enrolment). Subsidies, talent-card moves and the
城镇新增就业 count wait for the confirmation; insurance cover does not.
"""

from __future__ import annotations

import uuid
from typing import Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends
from pydantic import Field

from job_matching.adapters.repository import hire_from_row
from job_matching.adapters.tables import hires, seekers
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.hires import hire_out
from job_matching.api.schemas import HireOut, Strict
from job_matching.handlers import confirmations
from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.errors import NotFound
from suxin_common.security import reads

router = APIRouter(prefix="/v1", tags=["hires"])
SEEKER = Depends(require_roles(Role.SEEKER))
SEEKER_OR_STAFF = Depends(require_roles(Role.SEEKER, Role.HRSS_STAFF))


class HireAnswerIn(Strict):
    decision: Literal["confirm", "deny"] = Field(
        description="confirm: 本人确认录用属实; deny: 本人未受雇于该单位 (the hire is not real)"
    )


@router.post("/hires/{hire_id}/confirmation", response_model=HireOut, dependencies=[SEEKER])
async def answer_hire(
    hire_id: uuid.UUID, body: HireAnswerIn, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """The person (only they) confirms or denies a hire an enterprise recorded about them;
    once answered or confirmed, 409. Confirming publishes HireConfirmed."""
    hire = await confirmations.answer_hire(
        deps.uow(),
        hire_id,
        confirmed=body.decision == "confirm",
        account_subject=principal.subject,
        principal=principal,
    )
    return hire_out(hire)


@router.get(
    "/seekers/{seeker_id}/hires", response_model=list[HireOut], dependencies=[SEEKER_OR_STAFF]
)
async def hires_of_seeker(seeker_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """The hires recorded about a person, newest first, with whether each is confirmed: the
    person's own view (and staff of their district)."""
    async with deps.sessions() as session:
        seeker = (
            await session.execute(
                sa.select(seekers.c.account_subject, seekers.c.district_code).where(
                    seekers.c.id == seeker_id
                )
            )
        ).first()
        staff = principal.has_role(Role.HRSS_STAFF) and principal.sees_district(
            seeker.district_code if seeker else None
        )
        own = seeker is not None and principal.has_role(Role.SEEKER)
        if seeker is None or not (staff or (own and principal.subject == seeker.account_subject)):
            raise NotFound(f"seeker {seeker_id} is not registered")
        rows = (
            await session.execute(
                sa.select(hires)
                .where(hires.c.seeker_id == seeker_id)
                .order_by(hires.c.recorded_at.desc())
                .limit(100)
            )
        ).all()
    if staff:  # a person's own view is not a disclosure to someone else
        await reads.audited(
            deps,
            principal,
            object_type="seeker",
            object_ids=[seeker_id],
            purpose="hires of a person",
        )
    return [hire_out(hire_from_row(r)) for r in rows]
