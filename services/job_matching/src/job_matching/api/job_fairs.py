"""招聘会 (job fairs): HRSS staff organise online and on-site fairs (专场 by theme) and record
them as held; enterprises set up a booth with their open posts; seekers register, receive a
code for the door, and check in (online: by themselves on the fair's days).

Fairs and booths are public to every signed-in caller (HRSS staff: their district's). A
registration is the seeker's own (by the person key of their verified login): another person's
answers 404.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, status
from pydantic import BaseModel, Field, HttpUrl, computed_field

from job_matching.adapters import job_fairs_store as store
from job_matching.adapters.tables import job_fairs as fairs_table
from job_matching.adapters.tables import seekers
from job_matching.api.access import ANY_USER, STAFF_ONLY, Cursor, Limit, check_creates_in
from job_matching.api.deps import JobMatchingDeps
from job_matching.domain.job_fairs import THEME_ZH, FairMode, FairStatus, FairTheme, JobFair
from job_matching.handlers import job_fairs as handlers
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.codes import label
from suxin_common.errors import Conflict, Forbidden, NotFound, RuleViolation
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.web import InputModel, Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1", tags=["job fairs"])
# The division a fair serves: its district, else its city (HRSS staff see their district's).
FAIR_DIVISION = sa.func.coalesce(fairs_table.c.district_code, fairs_table.c.city_code)
ENTERPRISE_ONLY = Depends(require_roles(Role.ENTERPRISE))
SEEKER_ONLY = Depends(require_roles(Role.SEEKER))


class JobFairIn(InputModel):
    name: str = Field(min_length=2, max_length=200)
    mode: FairMode
    theme: FairTheme = FairTheme.GENERAL
    city_code: JiangsuCityCode
    district_code: JiangsuDistrictCode | None = None
    starts_on: date
    ends_on: date
    venue: str | None = Field(None, min_length=2, max_length=200)
    link: HttpUrl | None = None


class FairCountsOut(BaseModel):
    booths: int
    job_posts: int
    positions: int
    registrations: int
    check_ins: int


class JobFairOut(BaseModel):
    id: uuid.UUID
    name: str
    mode: FairMode
    theme: FairTheme
    theme_name: str
    city_code: str
    district_code: str | None
    starts_on: date
    ends_on: date
    venue: str | None
    link: str | None
    status: FairStatus
    version: int
    counts: FairCountsOut | None = Field(
        None, description="招聘会统计 / booths, posts, positions, registrations, check-ins"
    )

    @computed_field
    def city_name(self) -> str | None:
        return label("regions", self.city_code)

    @computed_field
    def district_name(self) -> str | None:
        return label("regions", self.district_code)


class BoothIn(InputModel):
    job_post_ids: list[uuid.UUID] = Field(min_length=1, max_length=50)


class BoothPostOut(BaseModel):
    id: uuid.UUID
    title: str
    occupation_code: str
    headcount: int
    status: str

    @computed_field
    def occupation_name(self) -> str | None:
        return label("occupations", self.occupation_code)


class BoothOut(BaseModel):
    booth_no: int
    enterprise_uscc: str
    enterprise_name: str
    posts: list[BoothPostOut]


class RegistrationOut(BaseModel):
    id: uuid.UUID
    fair_id: uuid.UUID
    code: str = Field(description="入场码 / the code shown at the door")
    registered_at: datetime
    checked_in_at: datetime | None


class MyRegistrationOut(RegistrationOut):
    fair_name: str
    starts_on: date
    mode: FairMode


class CheckInIn(InputModel):
    code: str = Field(pattern=r"^[A-Z2-9]{8}$", description="入场码 / registration code")


def _fair_out(fair: JobFair, counts: dict[str, int] | None = None) -> JobFairOut:
    return JobFairOut(
        id=fair.id,
        name=fair.name,
        mode=fair.mode,
        theme=fair.theme,
        theme_name=THEME_ZH[fair.theme],
        city_code=fair.city_code,
        district_code=fair.district_code,
        starts_on=fair.starts_on,
        ends_on=fair.ends_on,
        venue=fair.venue,
        link=fair.link,
        status=fair.status,
        version=fair.version,
        counts=FairCountsOut(**counts) if counts is not None else None,
    )


def _registration_out(row) -> RegistrationOut:
    return RegistrationOut(
        id=row.id,
        fair_id=row.fair_id,
        code=row.code,
        registered_at=row.registered_at,
        checked_in_at=row.checked_in_at,
    )


async def _visible_fair(deps, principal: Principal, fair_id: uuid.UUID) -> JobFair:
    async with deps.sessions() as session:
        fair = await store.get_fair(session, fair_id)
    if fair is None or not principal.sees_district(fair.division):
        raise NotFound(f"job fair {fair_id} does not exist")
    return fair


async def _person(deps, principal: Principal) -> str:
    """The caller's person key: from their verified login, else from the seeker profile they
    registered with this account; a seeker with neither registers their profile first."""
    if principal.person_key is not None:
        return principal.person_key
    async with deps.sessions() as session:
        key = await session.scalar(
            sa.select(seekers.c.person_key).where(seekers.c.account_subject == principal.subject)
        )
    if key is None:
        raise Conflict(
            "register your seeker profile first (POST /v1/seekers)", code="seeker-profile-missing"
        )
    return key


@router.post(
    "/job-fairs",
    status_code=status.HTTP_201_CREATED,
    response_model=JobFairOut,
    dependencies=[STAFF_ONLY],
)
async def organise_fair(body: JobFairIn, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """Organise a fair in the caller's district scope: on-site with its `venue`, online with
    its `link`; `theme` says whom it is for (专场)."""
    uow = deps.uow()
    check_creates_in(principal, body.district_code or body.city_code, "a job fair")
    fair = await handlers.organise(
        uow, **(body.model_dump() | {"link": str(body.link) if body.link else None})
    )
    return _fair_out(fair)


@router.get("/job-fairs", response_model=Page[JobFairOut], dependencies=[ANY_USER])
async def list_fairs(
    deps: JobMatchingDeps,
    principal: CurrentPrincipal,
    limit: Limit,
    cursor: Cursor = None,
    theme: FairTheme | None = None,
    mode: FairMode | None = None,
    city_code: JiangsuCityCode | None = None,
    from_date: Annotated[date | None, Query(alias="from")] = None,
    status_: Annotated[FairStatus | None, Query(alias="status")] = None,
):
    """Fairs by first day (from `from`, default any), filtered by theme, mode, city, status."""
    where = [district_clause(FAIR_DIVISION, principal)]
    if theme:
        where.append(fairs_table.c.theme == theme.value)
    if mode:
        where.append(fairs_table.c.mode == mode.value)
    if city_code:
        where.append(fairs_table.c.city_code == city_code)
    if from_date:
        where.append(fairs_table.c.starts_on >= from_date)
    if status_:
        where.append(fairs_table.c.status == status_.value)
    after = None
    if cursor is not None:
        position = decode_cursor(cursor)
        try:
            after = (date.fromisoformat(position["on"]), uuid.UUID(position["id"]))
        except (KeyError, TypeError, ValueError):
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
    async with deps.sessions() as session:
        found = await store.list_fairs(session, where=where, after=after, limit=limit + 1)
    items = [_fair_out(f) for f in found[:limit]]
    next_cursor = (
        encode_cursor({"on": items[-1].starts_on.isoformat(), "id": str(items[-1].id)})
        if len(found) > limit
        else None
    )
    return Page[JobFairOut](items=items, next_cursor=next_cursor)


@router.get("/job-fairs/{fair_id}", response_model=JobFairOut, dependencies=[ANY_USER])
async def get_fair(fair_id: uuid.UUID, deps: JobMatchingDeps, principal: CurrentPrincipal):
    """A fair with its counts so far (booths, posts, positions, registrations, check-ins)."""
    fair = await _visible_fair(deps, principal, fair_id)
    async with deps.sessions() as session:
        counts = await store.counts(session, fair_id)
    return _fair_out(fair, counts)


@router.put(
    "/job-fairs/{fair_id}/booth",
    response_model=BoothOut,
    dependencies=[ENTERPRISE_ONLY],
)
async def set_up_my_booth(
    fair_id: uuid.UUID,
    body: BoothIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
):
    """Set up (or change) my enterprise's booth with the open posts it shows; a 专精特新 专场
    takes only 专精特新 and 小巨人 enterprises (409 `not-specialized`)."""
    uow = deps.uow()
    uscc = principal.tenant.uscc
    if uscc is None:
        raise Forbidden("the token names no enterprise (tenant.uscc)")
    await _visible_fair(deps, principal, fair_id)
    await handlers.set_up_booth(uow, fair_id, uscc, body.job_post_ids)
    async with deps.sessions() as session:
        booths = await store.booths(session, fair_id)
    return next(_booth_out(b, posts) for b, posts in booths if b.enterprise_uscc == uscc)


def _booth_out(b, posts) -> BoothOut:
    return BoothOut(
        booth_no=b.booth_no,
        enterprise_uscc=b.enterprise_uscc,
        enterprise_name=b.enterprise_name,
        posts=[BoothPostOut(**p._mapping) for p in posts],
    )


@router.get("/job-fairs/{fair_id}/booths", response_model=list[BoothOut], dependencies=[ANY_USER])
async def fair_booths(fair_id: uuid.UUID, deps: JobMatchingDeps, principal: CurrentPrincipal):
    """The fair's booths by number, each enterprise with the posts it shows."""
    await _visible_fair(deps, principal, fair_id)
    async with deps.sessions() as session:
        booths = await store.booths(session, fair_id)
    return [_booth_out(b, posts) for b, posts in booths]


@router.post(
    "/job-fairs/{fair_id}/registrations",
    status_code=status.HTTP_201_CREATED,
    response_model=RegistrationOut,
    dependencies=[SEEKER_ONLY],
)
async def register_for_fair(fair_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """Register for a fair (once; 409 `already-registered`): the answer carries the code to
    show at the door."""
    uow = deps.uow()
    await _visible_fair(deps, principal, fair_id)
    person_key = await _person(deps, principal)
    return _registration_out(await handlers.register(uow, fair_id, person_key))


@router.post(
    "/job-fairs/{fair_id}/check-ins",
    response_model=RegistrationOut,
    dependencies=[STAFF_ONLY],
)
async def check_in_at_the_door(
    fair_id: uuid.UUID,
    body: CheckInIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
):
    """The organiser checks a seeker in by the code they show, on the fair's days."""
    uow = deps.uow()
    await _visible_fair(deps, principal, fair_id)
    return _registration_out(await handlers.check_in(uow, fair_id, code=body.code))


@router.post(
    "/job-fairs/{fair_id}/held",
    response_model=JobFairOut,
    dependencies=[STAFF_ONLY],
)
async def record_fair_held(fair_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """Record the fair as held (from its last day on, once): its counts are announced
    (JobFairHeld) and counted by the employment monitor."""
    uow = deps.uow()
    await _visible_fair(deps, principal, fair_id)
    fair, counts = await handlers.record_held(uow, fair_id)
    return _fair_out(fair, counts)


@router.get(
    "/me/job-fair-registrations",
    response_model=Page[MyRegistrationOut],
    dependencies=[SEEKER_ONLY],
    tags=["me"],
)
async def my_registrations(
    principal: CurrentPrincipal, deps: JobMatchingDeps, limit: Limit, cursor: Cursor = None
):
    """My fair registrations with their codes."""
    after = None
    if cursor is not None:
        try:
            after = uuid.UUID(str(decode_cursor(cursor).get("after")))
        except ValueError:
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
    async with deps.sessions() as session:
        rows = await store.registrations_of_person(
            session, principal.person_key or "", after, limit + 1
        )
    items = [
        MyRegistrationOut(
            **_registration_out(r).model_dump(),
            fair_name=r.name,
            starts_on=r.starts_on,
            mode=FairMode(r.mode),
        )
        for r in rows[:limit]
    ]
    next_cursor = encode_cursor({"after": str(items[-1].id)}) if len(rows) > limit else None
    return Page[MyRegistrationOut](items=items, next_cursor=next_cursor)


async def _my_registration(deps, principal: Principal, registration_id: uuid.UUID):
    async with deps.sessions() as session:
        row = await store.registration(session, registration_id)
    if row is None or row.person_key != (principal.person_key or ""):
        raise NotFound(f"registration {registration_id} does not exist")
    return row


@router.get(
    "/me/job-fair-registrations/{registration_id}",
    response_model=RegistrationOut,
    dependencies=[SEEKER_ONLY],
    tags=["me"],
)
async def my_registration(
    registration_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """One of my registrations (another person's answers 404)."""
    return _registration_out(await _my_registration(deps, principal, registration_id))


@router.post(
    "/me/job-fair-registrations/{registration_id}/check-in",
    response_model=RegistrationOut,
    dependencies=[SEEKER_ONLY],
    tags=["me"],
)
async def check_myself_in(
    registration_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """Enter an online fair on its days (on site, the organiser checks the code: 409
    `check-in-on-site`)."""
    uow = deps.uow()
    row = await _my_registration(deps, principal, registration_id)
    return _registration_out(
        await handlers.check_in(uow, row.fair_id, registration_id=registration_id)
    )
