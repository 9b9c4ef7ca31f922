"""Hires (录用) and separations: recording, reading, ending an employment."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from job_matching import handlers
from job_matching.adapters import repository as repo
from job_matching.api.access import (
    ENTERPRISE_OR_STAFF,
    actor_of,
    audit_read,
)
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.schemas import (
    HireIn,
    HireOut,
    SeparationIn,
)
from job_matching.domain import commands
from job_matching.domain.model import Hire
from suxin_common.auth import CurrentPrincipal, Principal
from suxin_common.db import UnitOfWork
from suxin_common.errors import NotFound

router = APIRouter(prefix="/v1")


def hire_out(hire: Hire) -> HireOut:
    """The answer for a domain hire."""
    values = {name: getattr(hire, name) for name in HireOut.model_fields}
    return HireOut(**values)


@router.post(
    "/hires",
    status_code=status.HTTP_201_CREATED,
    response_model=HireOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["hires"],
)
async def record_hire(body: HireIn, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """Record a hire (录用), from an offered application or directly. Subsidy, insurance,
    talent-card and monitoring follow by events."""
    uow = deps.uow()
    principal.require_enterprise(body.enterprise_uscc)
    actor = actor_of(principal)
    hire = await handlers.record_hire(
        uow, commands.RecordHire(**body.model_dump()), actor, principal
    )
    # The hire as recorded: the handler has checked the caller may see it (their post).
    return hire_out(hire)


@router.get(
    "/hires/{hire_id}", response_model=HireOut, dependencies=[ENTERPRISE_OR_STAFF], tags=["hires"]
)
async def get_hire(hire_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """A hire, for its enterprise or HRSS staff of the post's district (an audited read)."""
    uow = deps.uow()
    return await _hire_out(uow, principal, hire_id, purpose="hire view")


@router.post(
    "/hires/{hire_id}/separation",
    response_model=HireOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["hires"],
)
async def record_separation(
    hire_id: uuid.UUID,
    body: SeparationIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
):
    """End an employment (解除/终止劳动关系); publishes EmploymentEnded. Only once (409)."""
    uow = deps.uow()
    await handlers.record_separation(
        uow,
        commands.RecordSeparation(hire_id, body.end_date, body.reason),
        actor_of(principal),
        principal,
    )
    return await _hire_out(uow, principal, hire_id, purpose=None)


async def _hire_out(
    uow: UnitOfWork, principal: Principal, hire_id: uuid.UUID, *, purpose: str | None
) -> HireOut:
    """The hire if the caller may see it; with `purpose`, the read is audited (a hire just
    recorded or ended is audited as that decision instead)."""
    actor = actor_of(principal)
    async with uow:
        hire = await repo.get_hire(uow.session, hire_id)
        district = await repo.post_district(uow.session, hire.job_post_id) if hire else None
        if hire is None or not actor.owns_enterprise(hire.enterprise_uscc, district):
            raise NotFound(f"hire {hire_id} does not exist")
        if purpose is not None:
            await audit_read(uow, principal, hire.seeker_id, purpose, hire_id=hire.id)
        await uow.commit()
    return hire_out(hire)
