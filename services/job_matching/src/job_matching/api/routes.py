"""Job-matching HTTP routes: parse -> command -> handler. Nothing else."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from job_matching import handlers
from job_matching.adapters import repository as repo
from job_matching.api.schemas import (
    EnterpriseIn,
    EnterpriseOut,
    HireIn,
    HireOut,
    JobPostIn,
    JobPostOut,
    SeekerIn,
    SeekerOut,
)
from job_matching.domain import commands
from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.service import RuntimeDep, UowDep
from suxin_common.web import Forbidden, NotFound

router = APIRouter(prefix="/v1")
ENTERPRISE_OR_STAFF = Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))


@router.post(
    "/enterprises",
    status_code=status.HTTP_201_CREATED,
    response_model=EnterpriseOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["enterprises"],
)
async def register_enterprise(body: EnterpriseIn, principal: CurrentPrincipal, uow: UowDep):
    principal.require_enterprise(body.uscc)
    enterprise = await handlers.register_enterprise(
        uow, commands.RegisterEnterprise(**body.model_dump())
    )
    return EnterpriseOut(**enterprise.__dict__)


@router.get("/enterprises/{uscc}", response_model=EnterpriseOut, tags=["enterprises"])
async def get_enterprise(uscc: str, principal: CurrentPrincipal, runtime: RuntimeDep):
    async with runtime.sessions() as session:
        enterprise = await repo.get_enterprise(session, uscc)
    if enterprise is None:
        raise NotFound(f"enterprise {uscc} is not registered")
    return EnterpriseOut(**enterprise.__dict__)


@router.post(
    "/seekers",
    status_code=status.HTTP_201_CREATED,
    response_model=SeekerOut,
    dependencies=[Depends(require_roles(Role.SEEKER, Role.HRSS_STAFF))],
    tags=["seekers"],
)
async def register_seeker(
    body: SeekerIn, principal: CurrentPrincipal, uow: UowDep, runtime: RuntimeDep
):
    cmd = commands.RegisterSeeker(
        resident_id=body.resident_id,
        education=body.education,
        graduation_date=body.graduation_date,
        key_groups=frozenset(body.key_groups),
        account_subject=principal.subject if principal.has_role(Role.SEEKER) else None,
    )
    seeker_id, _ = await handlers.register_seeker(uow, cmd, runtime.personal_data)
    return await _seeker_out(runtime, seeker_id)


@router.get("/seekers/{seeker_id}", response_model=SeekerOut, tags=["seekers"])
async def get_seeker(seeker_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep):
    return await _seeker_out(runtime, seeker_id, principal=principal)


async def _seeker_out(runtime, seeker_id: uuid.UUID, principal=None) -> SeekerOut:
    async with runtime.sessions() as session:
        row = await repo.get_seeker_row(session, seeker_id)
    if row is None:
        raise NotFound(f"seeker {seeker_id} is not registered")
    if principal is not None and not (
        principal.has_role(Role.HRSS_STAFF) or principal.subject == row.account_subject
    ):
        raise Forbidden("a seeker's profile is visible to that seeker and HRSS staff")
    return SeekerOut(
        id=row.id,
        masked_resident_id=row.resident_id_masked,
        gender=row.gender,
        birth_year=row.birth_year,
        education=row.education,
        graduation_date=row.graduation_date,
        key_groups=row.key_groups,
    )


@router.post(
    "/job-posts",
    status_code=status.HTTP_201_CREATED,
    response_model=JobPostOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["job posts"],
)
async def publish_job_post(body: JobPostIn, principal: CurrentPrincipal, uow: UowDep):
    principal.require_enterprise(body.enterprise_uscc)
    post_id = await handlers.publish_job_post(uow, commands.PublishJobPost(**body.model_dump()))
    return JobPostOut(id=post_id)


@router.post(
    "/hires",
    status_code=status.HTTP_201_CREATED,
    response_model=HireOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["hires"],
)
async def record_hire(body: HireIn, principal: CurrentPrincipal, uow: UowDep, runtime: RuntimeDep):
    """Record a hire (录用). Subsidy, insurance, talent-card and monitoring follow by events."""
    principal.require_enterprise(body.enterprise_uscc)
    hire_id = await handlers.record_hire(uow, commands.RecordHire(**body.model_dump()))
    return await _hire_out(runtime, hire_id)


@router.get("/hires/{hire_id}", response_model=HireOut, tags=["hires"])
async def get_hire(hire_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep):
    out = await _hire_out(runtime, hire_id)
    principal.require_enterprise(out.enterprise_uscc)
    return out


async def _hire_out(runtime, hire_id: uuid.UUID) -> HireOut:
    async with runtime.sessions() as session:
        row = await repo.get_hire_row(session, hire_id)
    if row is None:
        raise NotFound(f"hire {hire_id} does not exist")
    return HireOut(**row._mapping)
