"""Enterprises: registration and the public record."""

from __future__ import annotations

from fastapi import APIRouter, status

from job_matching import handlers
from job_matching.adapters import repository as repo
from job_matching.api.access import (
    ANY_USER,
    ENTERPRISE_OR_STAFF,
    check_creates_in,
)
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.schemas import (
    EnterpriseIn,
    EnterpriseOut,
)
from job_matching.domain import commands
from suxin_common.auth import CurrentPrincipal, Role
from suxin_common.errors import Forbidden, NotFound

router = APIRouter(prefix="/v1")


@router.post(
    "/enterprises",
    status_code=status.HTTP_201_CREATED,
    response_model=EnterpriseOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["enterprises"],
)
async def register_enterprise(
    body: EnterpriseIn, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """Register an enterprise. The flags that unlock policy (专精特新, 小巨人, 重点监测) are set
    by HRSS staff or by the 工信 lists (data-exchange), never by the enterprise itself: an
    enterprise setting one gets 403 naming the field."""
    uow = deps.uow()
    principal.require_enterprise(body.uscc)
    if not principal.has_role(Role.HRSS_STAFF):
        for flag in ("specialized_sme", "little_giant", "key_monitored"):
            if getattr(body, flag):
                message = (
                    f"{flag} 由人社经办人员或工信名单设定，企业不可自行申报 "
                    "(set by HRSS staff or the 工信 list, never by the enterprise)"
                )
                raise Forbidden(message, extra={"errors": [{"field": flag, "message": message}]})
    if not principal.has_role(Role.ENTERPRISE):
        check_creates_in(principal, body.district_code, "an enterprise")
    enterprise = await handlers.register_enterprise(
        uow, commands.RegisterEnterprise(**body.model_dump())
    )
    return EnterpriseOut(**enterprise.__dict__)


@router.get(
    "/enterprises/{uscc}",
    response_model=EnterpriseOut,
    dependencies=[ANY_USER],
    tags=["enterprises"],
)
async def get_enterprise(uscc: str, deps: JobMatchingDeps):
    """An enterprise's public registration (name, region, industry, 专精特新 flags)."""
    async with deps.sessions() as session:
        enterprise = await repo.get_enterprise(session, uscc)
    if enterprise is None:
        raise NotFound(f"enterprise {uscc} is not registered")
    return EnterpriseOut(**enterprise.__dict__)
