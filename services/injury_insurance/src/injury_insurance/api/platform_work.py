"""Platform work: a worker's cover at an instant, and a platform's contributions ledger with its
reconciliation against the cover rows. A platform sees its own (scopes ``cover:read``,
``ledger:read``); HRSS staff see those in their district scope (see ``api.scope``), and each
staff read of a person's cover is written to the access audit."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query
from pydantic import AwareDatetime

from injury_insurance import handlers
from injury_insurance.adapters import repository as repo
from injury_insurance.api.deps import InjuryInsuranceDeps
from injury_insurance.api.schemas import (
    CoverAt,
    CoveringOrderOut,
    LedgerLine,
    LedgerOut,
    ReconciliationLine,
    ReconciliationOut,
)
from injury_insurance.api.scope import (
    COVER_READ,
    LEDGER_READ,
    platform_scopes,
    require_platform_or_404,
    staff_sees_city,
)
from injury_insurance.domain.orders import Industry, cover_window
from injury_insurance.rates import RateBooks
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.errors import NotFound
from suxin_common.identity import Uscc
from suxin_common.security import audit

router = APIRouter(prefix="/v1", tags=["platform work"])

PLATFORM_OR_STAFF = Depends(require_roles(Role.HRSS_STAFF, Role.PLATFORM))

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
WORKER_ID = r"^[A-Za-z0-9._:-]{1,64}$"
PERSON_KEY_PATTERN = r"^pk_[0-9a-f]{32}$"


def _cover_at(rows: list[dict], at, rates: RateBooks) -> CoverAt:
    cap = rates.in_force.max_order_cover
    orders = [
        CoveringOrderOut(
            platform_uscc=r["platform_uscc"],
            order_id=r["order_id"],
            industry=Industry(r["industry"]),
            accepted_at=r["accepted_at"],
            ended_at=r["ended_at"],
            covered_until=cover_window(r["accepted_at"], r["ended_at"], cap)[1],
        )
        for r in rows
    ]
    return CoverAt(at=at, covered=bool(orders), orders=orders)


async def _check_ledger_access(
    deps: InjuryInsuranceDeps, principal: Principal, platform_uscc: str
) -> None:
    """A platform sees its own ledger; staff scoped by district see the ledgers of platforms
    registered in their scope (as gig-market shows platforms to them); 404 otherwise."""
    require_platform_or_404(principal, platform_uscc, "platform")
    if principal.district_scope() is None:
        return
    async with deps.sessions() as session:
        platform = await repo.get_platform(session, platform_uscc)
    if platform is None or not principal.sees_district(platform.city_code):
        raise NotFound("platform does not exist")


@router.get(
    "/platforms/{platform_uscc}/workers/{worker_id}/cover",
    response_model=CoverAt,
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(COVER_READ))],
)
async def worker_cover_at(
    platform_uscc: Uscc,
    worker_id: Annotated[str, Path(pattern=WORKER_ID)],
    at: Annotated[AwareDatetime, Query(description="the instant, with its UTC offset")],
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Was this platform's worker covered at ``at``, and by which of the platform's orders?"""
    require_platform_or_404(principal, platform_uscc, "worker")
    async with deps.uow() as uow:
        worker = await repo.get_gig_worker(uow.session, platform_uscc, worker_id)
        if worker is None or not staff_sees_city(principal, worker.city_code):
            raise NotFound("worker does not exist")
        rows = await handlers.covering_orders(uow.session, person_key=worker.person_key, instant=at)
        rows = [
            r
            for r in rows
            if r["platform_uscc"] == platform_uscc and staff_sees_city(principal, r["city_code"])
        ]
        if principal.has_role(Role.HRSS_STAFF):
            await audit.record(
                uow,
                principal,
                action=audit.READ_PERSONAL_DATA,
                object_type="person",
                object_id=worker.person_key,
                purpose="worker cover at an instant",
                details={"platform_uscc": platform_uscc, "at": at.isoformat(), "orders": len(rows)},
            )
        await uow.commit()
    return _cover_at(rows, at, deps.rates)


@router.get(
    "/cover",
    response_model=CoverAt,
    dependencies=[Depends(require_roles(Role.HRSS_STAFF))],
)
async def person_cover_at(
    person_key: Annotated[str, Query(pattern=PERSON_KEY_PATTERN)],
    at: Annotated[AwareDatetime, Query(description="the instant, with its UTC offset")],
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Was this person covered at ``at`` by any order, on any platform? (HRSS staff: the orders
    in the cities of their district scope.) Every such read is written to the access audit."""
    async with deps.uow() as uow:
        rows = await handlers.covering_orders(uow.session, person_key=person_key, instant=at)
        rows = [r for r in rows if staff_sees_city(principal, r["city_code"])]
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="person",
            object_id=person_key,
            purpose="cover across platforms",
            details={
                "at": at.isoformat(),
                "orders": len(rows),
                "platforms": sorted({r["platform_uscc"] for r in rows}),
            },
        )
        await uow.commit()
    return _cover_at(rows, at, deps.rates)


@router.get(
    "/platforms/{platform_uscc}/contributions/{month}",
    response_model=LedgerOut,
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(LEDGER_READ))],
)
async def contributions(
    platform_uscc: Uscc,
    month: Annotated[str, Path(pattern=MONTH, description="YYYY-MM, China Standard Time")],
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """The contributions a platform owes for orders accepted in ``month``, per industry."""
    await _check_ledger_access(deps, principal, platform_uscc)
    async with deps.sessions() as session:
        rows = await repo.ledger(session, platform_uscc, month)
    lines = [
        LedgerLine(
            industry=r["industry"], orders=r["orders"], contribution_fen=r["contribution_fen"]
        )
        for r in rows
    ]
    return LedgerOut(
        platform_uscc=platform_uscc,
        month=month,
        lines=lines,
        orders=sum(line.orders for line in lines),
        contribution_fen=sum(line.contribution_fen for line in lines),
    )


@router.get(
    "/platforms/{platform_uscc}/contributions/{month}/reconciliation",
    response_model=ReconciliationOut,
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(LEDGER_READ))],
)
async def reconcile(
    platform_uscc: Uscc,
    month: Annotated[str, Path(pattern=MONTH, description="YYYY-MM, China Standard Time")],
    principal: CurrentPrincipal,
    deps: InjuryInsuranceDeps,
):
    """Recount the month's orders and contributions from the cover rows and compare them with
    the ledger, industry by industry."""
    await _check_ledger_access(deps, principal, platform_uscc)
    async with deps.sessions() as session, session.begin():
        # One snapshot for both reads, so a chunk committing in between cannot look like a gap.
        await session.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        booked = {
            r["industry"]: (r["orders"], r["contribution_fen"])
            for r in await repo.ledger(session, platform_uscc, month)
        }
        counted = await repo.recount(session, platform_uscc, month)
    lines = []
    for industry in sorted(set(booked) | set(counted)):
        b, c = booked.get(industry, (0, 0)), counted.get(industry, (0, 0))
        lines.append(
            ReconciliationLine(
                industry=Industry(industry),
                ledger_orders=b[0],
                ledger_fen=b[1],
                recomputed_orders=c[0],
                recomputed_fen=c[1],
                balanced=b == c,
            )
        )
    return ReconciliationOut(
        platform_uscc=platform_uscc,
        month=month,
        balanced=all(line.balanced for line in lines),
        lines=lines,
    )
