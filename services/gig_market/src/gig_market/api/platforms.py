"""Platform enterprises (平台企业) and their workers registered by real name (实名登记)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status
from sqlalchemy import select

from gig_market import handlers
from gig_market.adapters import repository as repo
from gig_market.adapters.tables import gig_workers, platforms
from gig_market.api.access import (
    PLATFORMS_READ,
    WORKERS_READ,
    WORKERS_WRITE,
    check_staff_may_create,
    platform_scopes,
    visible_platform,
)
from gig_market.api.deps import GigMarketDeps
from gig_market.api.schemas import (
    PLAIN_ID,
    PlatformChange,
    PlatformIn,
    PlatformOut,
    WorkerIn,
    WorkerOut,
)
from gig_market.domain import commands
from gig_market.domain.model import GigWorker, Platform
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.db import UnitOfWork
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.identity import Uscc
from suxin_common.security import audit
from suxin_common.web import Page, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1", tags=["platforms"])
PlatformUscc = Annotated[Uscc, Path(description="the platform's USCC")]
STAFF = Depends(require_roles(Role.HRSS_STAFF))
PLATFORM_OR_STAFF = Depends(require_roles(Role.PLATFORM, Role.HRSS_STAFF))
Limit = Annotated[int, Depends(page_size(50))]


def _platform_out(p: Platform) -> PlatformOut:
    return PlatformOut(
        uscc=p.uscc,
        name=p.name,
        client_id=p.client_id,
        pilot=p.pilot,
        industries=sorted(p.industries),
        city_code=p.city_code,
        version=p.version,
        registered_at=p.registered_at,
    )


def _worker_out(w: GigWorker) -> WorkerOut:
    return WorkerOut(
        platform_uscc=w.platform_uscc,
        worker_id=w.worker_id,
        masked_resident_id=w.masked_resident_id,
        masked_name=w.masked_name,
        city_code=w.city_code,
        birth_year=w.birth_year,
        registered_at=w.registered_at,
    )


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("after")
    if not isinstance(after, str):
        raise RuleViolation("The cursor is invalid.", field="cursor")
    return after


@router.post(
    "/platforms",
    status_code=status.HTTP_201_CREATED,
    response_model=PlatformOut,
    dependencies=[STAFF],
)
async def register_platform(body: PlatformIn, principal: CurrentPrincipal, deps: GigMarketDeps):
    """Register a platform enterprise as a partner, with the client id of its credentials
    (HRSS staff, in the city of their district scope)."""
    uow = deps.uow()
    check_staff_may_create(principal, body.city_code, "a platform registered")
    cmd = commands.RegisterPlatform(
        uscc=body.uscc,
        name=body.name,
        client_id=body.client_id,
        pilot=body.pilot,
        industries=frozenset(body.industries),
        city_code=body.city_code,
    )
    return _platform_out(await handlers.register_platform(uow, cmd))


@router.patch("/platforms/{uscc}", response_model=PlatformOut, dependencies=[STAFF])
async def change_platform(
    uscc: PlatformUscc,
    body: PlatformChange,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """Change a platform's name, pilot status or industries (a new version is announced)."""
    uow = deps.uow()
    await visible_platform(deps, principal, uscc)
    cmd = commands.ChangePlatform(
        uscc=uscc,
        name=body.name,
        pilot=body.pilot,
        industries=frozenset(body.industries) if body.industries is not None else None,
    )
    return _platform_out(await handlers.change_platform(uow, cmd))


@router.get("/platforms", response_model=Page[PlatformOut], dependencies=[STAFF])
async def list_platforms(
    deps: GigMarketDeps, principal: CurrentPrincipal, limit: Limit, cursor: str | None = None
):
    """Platforms by USCC (HRSS staff: those registered in their district scope)."""
    query = (
        select(platforms)
        .where(district_clause(platforms.c.city_code, principal))
        .order_by(platforms.c.uscc)
        .limit(limit + 1)
    )
    after = _after(cursor)
    if after is not None:
        query = query.where(platforms.c.uscc > after)
    async with deps.sessions() as session:
        rows = (await session.execute(query)).all()
    items = [_platform_out(repo.platform_from_row(r)) for r in rows[:limit]]
    next_cursor = encode_cursor({"after": items[-1].uscc}) if len(rows) > limit else None
    return Page[PlatformOut](items=items, next_cursor=next_cursor)


@router.get(
    "/platforms/{uscc}",
    response_model=PlatformOut,
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(PLATFORMS_READ))],
)
async def get_platform(uscc: PlatformUscc, principal: CurrentPrincipal, deps: GigMarketDeps):
    return _platform_out(await visible_platform(deps, principal, uscc))


@router.post(
    "/platforms/{uscc}/workers",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkerOut,
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(WORKERS_WRITE))],
)
async def register_worker(
    uscc: PlatformUscc,
    body: WorkerIn,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """Register a worker by real name; the resident ID and name are stored only encrypted."""
    uow = deps.uow()
    platform = await visible_platform(deps, principal, uscc)
    cmd = commands.RegisterGigWorker(
        platform_uscc=platform.uscc,
        worker_id=body.worker_id,
        resident_id=body.resident_id,
        name=body.name,
        city_code=body.city_code,
    )
    worker = await handlers.register_worker(uow, cmd, deps.personal_data, principal)
    return _worker_out(worker)


@router.get(
    "/platforms/{uscc}/workers/{worker_id}",
    response_model=WorkerOut,
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(WORKERS_READ))],
)
async def get_worker(
    uscc: PlatformUscc,
    worker_id: Annotated[str, Path(pattern=PLAIN_ID)],
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """A worker's registration: masked resident ID and name (the read is audited)."""
    uow = deps.uow()
    platform = await visible_platform(deps, principal, uscc)
    async with uow:
        worker = await repo.get_worker(uow.session, platform.uscc, worker_id)
        if worker is None:
            raise NotFound(f"worker {worker_id} is not registered with this platform")
        await _audit_read(uow, principal, [worker], "worker record (masked)")
        await uow.commit()
    return _worker_out(worker)


async def _audit_read(
    uow: UnitOfWork, principal: Principal, workers: list[GigWorker], purpose: str
) -> None:
    """One audit entry per worker whose personal data (masked ID, masked name, birth year,
    city) the caller reads, in the read's transaction."""
    for worker in workers:
        await audit.record(
            uow,
            principal,
            action=audit.READ_PERSONAL_DATA,
            object_type="gig_worker",
            object_id=f"{worker.platform_uscc}/{worker.worker_id}",
            purpose=purpose,
            details={"masked": True},
        )


@router.get(
    "/platforms/{uscc}/workers",
    response_model=Page[WorkerOut],
    dependencies=[PLATFORM_OR_STAFF, Depends(platform_scopes(WORKERS_READ))],
)
async def list_workers(
    uscc: PlatformUscc,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
    limit: Limit,
    cursor: str | None = None,
):
    """A platform's workers by worker id, masked (each worker listed is an audited read)."""
    uow = deps.uow()
    platform = await visible_platform(deps, principal, uscc)
    query = (
        select(gig_workers)
        .where(gig_workers.c.platform_uscc == platform.uscc)
        .order_by(gig_workers.c.worker_id)
        .limit(limit + 1)
    )
    after = _after(cursor)
    if after is not None:
        query = query.where(gig_workers.c.worker_id > after)
    async with uow:
        rows = (await uow.session.execute(query)).all()
        workers = [repo.worker_from_row(r) for r in rows[:limit]]
        await _audit_read(uow, principal, workers, "worker list (masked)")
        await uow.commit()
    items = [_worker_out(w) for w in workers]
    next_cursor = encode_cursor({"after": items[-1].worker_id}) if len(rows) > limit else None
    return Page[WorkerOut](items=items, next_cursor=next_cursor)
