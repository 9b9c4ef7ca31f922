"""Injury-insurance HTTP routes: coverages, read by HRSS staff (those of their district scope:
the cover's district, else its city) and by the insuring enterprise (its own; another's
answers 404)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query

from injury_insurance.adapters import repository as repo
from injury_insurance.adapters.tables import coverages
from injury_insurance.api.deps import InjuryInsuranceDeps
from injury_insurance.api.schemas import CoverageOut
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.errors import Forbidden, NotFound, RuleViolation
from suxin_common.identity import Uscc
from suxin_common.security import reads
from suxin_common.web import Page, decode_cursor, encode_cursor, page_size

router = APIRouter(
    prefix="/v1",
    dependencies=[Depends(require_roles(Role.HRSS_STAFF, Role.ENTERPRISE))],
    tags=["coverages"],
)

PERSON_KEY_PATTERN = r"^pk_[0-9a-f]{32}$"
# The region of a cover for district scoping: its district, else its city.
COVERAGE_REGION = sa.func.coalesce(coverages.c.district_code, coverages.c.city_code)


@router.get("/coverages", response_model=Page[CoverageOut])
async def list_coverages(
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
    limit: Annotated[int, Depends(page_size())],
    hire_id: uuid.UUID | None = None,
    enterprise_uscc: Uscc | None = None,
    person_key: Annotated[
        str | None, Query(pattern=PERSON_KEY_PATTERN, description="pseudonymous person key")
    ] = None,
    cursor: str | None = None,
):
    """Coverages in the order they started. An enterprise sees only its own, staff those of
    their district scope."""
    enterprise_uscc = _scope(principal, enterprise_uscc)
    async with deps.sessions() as session:
        found = await repo.list_coverages(
            session,
            hire_id=hire_id,
            enterprise_uscc=enterprise_uscc,
            person_key=person_key,
            after=_position(cursor) if cursor else None,
            limit=limit + 1,
            region=district_clause(COVERAGE_REGION, principal),
        )
    page, more = found[:limit], len(found) > limit
    await reads.audited(
        deps,
        principal,
        object_type="coverage",
        object_ids=[c.id for c in page],
        purpose="coverage list",
    )
    next_cursor = (
        encode_cursor({"started_at": page[-1].started_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[CoverageOut](
        items=[CoverageOut(**c.__dict__) for c in page], next_cursor=next_cursor
    )


@router.get("/coverages/{coverage_id}", response_model=CoverageOut)
async def get_coverage(
    coverage_id: uuid.UUID, principal: CurrentPrincipal, deps: InjuryInsuranceDeps
):
    async with deps.sessions() as session:
        coverage = await repo.get_coverage(session, coverage_id)
    if coverage is None or not _sees(principal, coverage.enterprise_uscc):
        raise NotFound(f"coverage {coverage_id} does not exist")
    principal.check_district(coverage.district_code or coverage.city_code, "coverage")
    await reads.audited(
        deps, principal, object_type="coverage", object_ids=[coverage.id], purpose="coverage"
    )
    return CoverageOut(**coverage.__dict__)


def _sees(principal: Principal, enterprise_uscc: str) -> bool:
    if principal.has_role(Role.HRSS_STAFF):
        return True
    return principal.tenant.uscc is not None and principal.tenant.uscc == enterprise_uscc


def _scope(principal: Principal, enterprise_uscc: str | None) -> str | None:
    """HRSS staff see every enterprise; an enterprise sees its own (the default filter)."""
    if principal.has_role(Role.HRSS_STAFF):
        return enterprise_uscc
    own = principal.tenant.uscc
    if own is None:
        raise Forbidden("The token names no enterprise (tenant.uscc).")
    if enterprise_uscc is not None and enterprise_uscc != own:
        raise Forbidden("An enterprise may see only its own coverages.")
    return own


def _position(cursor: str) -> tuple[datetime, uuid.UUID]:
    position = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(position["started_at"]), uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise RuleViolation("The cursor is invalid.", field="cursor") from None
