"""Contribution-rate versions (按单缴费费率): the versions in force (the rate file's and those
approved in the service), and a new version proposed by one staff member and approved by
another (city level by default) at ``POST /v1/approvals/{approval_id}/check``."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from injury_insurance import four_eyes_actions
from injury_insurance.adapters import rate_versions
from injury_insurance.api.deps import InjuryInsuranceDeps
from injury_insurance.domain.orders import CST, Industry
from suxin_common.auth import CurrentPrincipal, Role, require_roles
from suxin_common.errors import Conflict, RuleViolation
from suxin_common.security import four_eyes
from suxin_common.web import InputModel

router = APIRouter(prefix="/v1/contribution-rates", tags=["contribution rates"])
STAFF = Depends(require_roles(Role.HRSS_STAFF))
VERSION = r"^[a-z0-9][a-z0-9.-]{0,63}$"
# A typo guard only (100 yuan per order); the approval is the control.
MAX_RATE_FEN = 10_000


class RateVersionIn(InputModel):
    effective_from: date = Field(description="first day (China time) of orders it prices")
    rates_fen: dict[Industry, Annotated[int, Field(ge=0, le=MAX_RATE_FEN)]] = Field(min_length=1)


class RateVersionOut(BaseModel):
    version: str
    effective_from: date
    rates_fen: dict[str, int]
    source: str = Field(description="file (reviewed with the code) or service (four eyes)")
    status: str = Field(description="in_book | proposed | approved | refused")
    proposed_by: str | None = None
    approved_by: str | None = None
    approval_id: uuid.UUID | None = None


@router.get("", response_model=list[RateVersionOut], dependencies=[STAFF])
async def list_rate_versions(deps: InjuryInsuranceDeps):
    """The versions of this process's rate book, then every version proposed in the service."""
    from_file = {v.version for v in deps.rates.file_book.versions}
    book = [
        RateVersionOut(
            version=v.version,
            effective_from=v.effective_from,
            rates_fen={k.value: fen for k, fen in v.rates_fen.items()},
            source="file" if v.version in from_file else "service",
            status="in_book",
        )
        for v in deps.rates.in_force.versions
    ]
    async with deps.sessions() as session:
        rows = await rate_versions.all_versions(session)
    return book + [RateVersionOut(**r, source="service") for r in rows]


@router.put("/{version}", response_model=RateVersionOut, status_code=202, dependencies=[STAFF])
async def propose_rate_version(
    version: Annotated[str, Path(pattern=VERSION)],
    body: RateVersionIn,
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Propose a new contribution-rate version, in force from a later day than today. It
    prices nothing until a second staff member approves it; a refused one never does."""
    now = datetime.now(UTC)
    if body.effective_from <= now.astimezone(CST).date():
        raise RuleViolation(
            "a new rate version takes effect from tomorrow at the earliest",
            field="effective_from",
        )
    if any(v.effective_from == body.effective_from for v in deps.rates.in_force.versions):
        raise RuleViolation("another rate version takes effect that day", field="effective_from")
    rates = {k.value: fen for k, fen in body.rates_fen.items()}
    rule = deps.four_eyes.rule(four_eyes_actions.RATE_TABLE)
    async with deps.uow() as uow:
        if not await rate_versions.propose(
            uow.session, version, body.effective_from, rates, by=principal.subject, at=now
        ):
            raise Conflict(f"rate version {version} exists already")
        approval = await four_eyes.propose(
            uow,
            principal,
            rule,
            object_type="rate_version",
            object_id=version,
            amount_fen=max(rates.values()),
            payload={
                "version": version,
                "effective_from": body.effective_from.isoformat(),
                "rates_fen": rates,
            },
            at=now,
        )
        await uow.commit()
    return RateVersionOut(
        version=version,
        effective_from=body.effective_from,
        rates_fen=rates,
        source="service",
        status="proposed",
        proposed_by=principal.subject,
        approval_id=approval.id,
    )
