"""The market for gig work: a worker's gig profile, matches both ways, applications and
invitations, and the poster's decisions.

A worker is a person (role ``seeker``) whose login verified their identity (token claim
``person_key``); everything of theirs is found by that key only, so another person's application
answers 404. A posting's applications and matches are the poster's (the enterprise that posted
it, or HRSS staff of its district); anyone else gets 404. Posters see a worker's gig profile
(name shown, skills, distance), never their identity.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status

from gig_market.adapters import gig_work_store as store
from gig_market.adapters import repository as repo
from gig_market.api.access import may_manage_posting
from gig_market.api.deps import GigMarketDeps
from gig_market.api.gig_schemas import (
    GigApplicationOut,
    GigProfileIn,
    GigProfileOut,
    InvitationIn,
    MyGigApplicationOut,
    PosterGigApplicationOut,
    PostingMatchOut,
    WorkerMatchOut,
)
from gig_market.api.schemas import Latitude, Longitude, PostingOut
from gig_market.domain.gig_work import Actor, Match, Step, distance_m, matched_skills, rank
from gig_market.domain.model import Posting
from gig_market.handlers import gig_work as handlers
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.errors import Forbidden, NotFound, RuleViolation
from suxin_common.web import Page, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1", tags=["gig work"])
WORKER = Depends(require_roles(Role.SEEKER))
POSTER = Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))
ANYONE = Depends(require_roles(*Role))
Limit = Annotated[int, Depends(page_size(20, 100))]


def person_of(principal: Principal) -> str:
    """The caller's person key; a login not verified by real name may not register a gig
    profile (it has none, so it has no matches or applications either)."""
    if principal.person_key is None:
        raise Forbidden("gig work needs a login verified by real name (实名认证)")
    return principal.person_key


def key_of(principal: Principal) -> str:
    """The key to look a person's own items up by: an unverified login's finds nothing."""
    return principal.person_key or ""


def _after(cursor: str | None) -> uuid.UUID | None:
    if cursor is None:
        return None
    try:
        return uuid.UUID(str(decode_cursor(cursor).get("after")))
    except ValueError:
        raise RuleViolation("The cursor is invalid.", field="cursor") from None


def _posting_out(p: Posting) -> PostingOut:
    return PostingOut(
        **{k: getattr(p, k) for k in PostingOut.model_fields if k != "skills"},
        skills=list(p.skills),
    )


def _application_out(a) -> GigApplicationOut:
    return GigApplicationOut(
        id=a.id,
        posting_id=a.posting_id,
        status=a.status,
        invited=a.invited,
        version=a.version,
        created_at=a.created_at,
        updated_at=a.updated_at,
    )


async def _managed_posting(deps, principal: Principal, posting_id: uuid.UUID) -> Posting:
    async with deps.sessions() as session:
        posting = await repo.get_posting(session, posting_id)
    if posting is None or not may_manage_posting(principal, posting):
        raise NotFound(f"gig posting {posting_id} does not exist")
    return posting


# --- the worker ---------------------------------------------------------------------------


@router.put("/me/gig-profile", response_model=GigProfileOut, dependencies=[WORKER], tags=["me"])
async def save_my_gig_profile(body: GigProfileIn, principal: CurrentPrincipal, deps: GigMarketDeps):
    """Register or change my gig profile (零工求职登记): the skills I offer, where I am and
    how far I travel; posters find me by it while `available`."""
    uow = deps.uow()
    values = body.model_dump()
    profile = await handlers.save_profile(uow, person_of(principal), values)
    return GigProfileOut(**profile.__dict__)


@router.get("/me/gig-profile", response_model=GigProfileOut, dependencies=[WORKER], tags=["me"])
async def my_gig_profile(principal: CurrentPrincipal, deps: GigMarketDeps):
    """My gig profile (404 until I register one)."""
    async with deps.sessions() as session:
        profile = await store.get_profile(session, key_of(principal))
    if profile is None:
        raise NotFound("you have no gig profile yet")
    return GigProfileOut(**profile.__dict__)


@router.get(
    "/me/gig-matches", response_model=list[PostingMatchOut], dependencies=[WORKER], tags=["me"]
)
async def my_gig_matches(principal: CurrentPrincipal, deps: GigMarketDeps, limit: Limit):
    """Open postings within my travel radius, best first: skills I offer of those asked for,
    then nearness (each with its distance, the skills that matched and the score)."""
    async with deps.sessions() as session:
        profile = await store.get_profile(session, key_of(principal))
        if profile is None:
            raise NotFound("you have no gig profile yet")
        rows = await store.open_postings_near(
            session,
            profile.latitude,
            profile.longitude,
            profile.radius_km * 1000,
            date.today(),
            limit * 5,
        )
    candidates = []
    for row, metres in rows:
        posting = repo.posting_from_row(row)
        wanted = list(posting.skills)
        m = Match(round(metres), matched_skills(profile.skills, wanted), len(wanted))
        if posting.skills and not m.matched_skills:
            continue  # asks for skills I do not offer
        candidates.append((m, posting))
    return [
        PostingMatchOut(
            posting=_posting_out(p),
            distance_m=m.distance_m,
            matched_skills=m.matched_skills,
            score=m.score,
        )
        for m, p in rank(candidates)[:limit]
    ]


@router.post(
    "/gig-postings/{posting_id}/applications",
    status_code=status.HTTP_201_CREATED,
    response_model=GigApplicationOut,
    dependencies=[WORKER],
)
async def apply_for_gig(posting_id: uuid.UUID, principal: CurrentPrincipal, deps: GigMarketDeps):
    """Apply for an open gig posting (needs my gig profile); applying twice is a 409."""
    uow = deps.uow()
    return _application_out(await handlers.apply(uow, key_of(principal), posting_id))


@router.get(
    "/me/gig-applications",
    response_model=Page[MyGigApplicationOut],
    dependencies=[WORKER],
    tags=["me"],
)
async def my_gig_applications(
    principal: CurrentPrincipal, deps: GigMarketDeps, limit: Limit, cursor: str | None = None
):
    """My gig applications and invitations, oldest first (cursor paging)."""
    async with deps.sessions() as session:
        rows = await store.applications_of_person(
            session, key_of(principal), _after(cursor), limit + 1
        )
    items = [
        MyGigApplicationOut(
            **_application_out(a).model_dump(), posting_title=r.title, poster_uscc=r.poster_uscc
        )
        for a, r in rows[:limit]
    ]
    next_cursor = encode_cursor({"after": str(items[-1].id)}) if len(rows) > limit else None
    return Page[MyGigApplicationOut](items=items, next_cursor=next_cursor)


async def _my_application(deps, principal: Principal, application_id: uuid.UUID):
    async with deps.sessions() as session:
        application = await store.get_application(session, application_id)
    if application is None or application.person_key != key_of(principal):
        raise NotFound(f"gig application {application_id} does not exist")
    return application


@router.get(
    "/me/gig-applications/{application_id}",
    response_model=GigApplicationOut,
    dependencies=[WORKER],
    tags=["me"],
)
async def my_gig_application(
    application_id: uuid.UUID, principal: CurrentPrincipal, deps: GigMarketDeps
):
    """One of my gig applications (another person's answers 404)."""
    return _application_out(await _my_application(deps, principal, application_id))


_WORKER_STEPS = {"accept": Step.ACCEPT, "decline": Step.DECLINE, "withdraw": Step.WITHDRAW}
_POSTER_STEPS = {"confirm": Step.CONFIRM, "decline": Step.DECLINE, "complete": Step.COMPLETE}


@router.post(
    "/me/gig-applications/{application_id}/{step}",
    response_model=GigApplicationOut,
    dependencies=[WORKER],
    tags=["me"],
)
async def answer_gig_application(
    application_id: uuid.UUID,
    step: Literal["accept", "decline", "withdraw"],
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """`accept` or `decline` an invitation; `withdraw` an application (also once confirmed,
    before the work is done). A step the status does not allow is a 409."""
    uow = deps.uow()
    await _my_application(deps, principal, application_id)
    return _application_out(
        await handlers.take_step(uow, application_id, _WORKER_STEPS[step], Actor.WORKER)
    )


# --- the poster ---------------------------------------------------------------------------


@router.get("/gig-postings/nearby", response_model=list[PostingMatchOut], dependencies=[ANYONE])
async def gig_postings_nearby(
    deps: GigMarketDeps,
    latitude: Latitude,
    longitude: Longitude,
    limit: Limit,
    radius_km: Annotated[int, Query(ge=1, le=100)] = 10,
    skill: Annotated[str | None, Query(min_length=1, max_length=40)] = None,
):
    """Open postings with a place within `radius_km` of a point, nearest first (optionally
    only those asking for `skill`)."""
    async with deps.sessions() as session:
        rows = await store.open_postings_near(
            session, latitude, longitude, radius_km * 1000, date.today(), limit, skill
        )
    out = []
    for row, metres in rows:
        posting = repo.posting_from_row(row)
        wanted = [skill] if skill else []
        m = Match(round(metres), matched_skills(list(posting.skills), wanted), len(wanted))
        out.append(
            PostingMatchOut(
                posting=_posting_out(posting),
                distance_m=m.distance_m,
                matched_skills=m.matched_skills,
                score=m.score,
            )
        )
    return out


@router.get("/gig-postings/{posting_id}", response_model=PostingOut, dependencies=[ANYONE])
async def get_gig_posting(posting_id: uuid.UUID, deps: GigMarketDeps, principal: CurrentPrincipal):
    """A gig posting (public; HRSS staff: those of their district)."""
    async with deps.sessions() as session:
        posting = await repo.get_posting(session, posting_id)
    if posting is None or not principal.sees_district(posting.district_code):
        raise NotFound(f"gig posting {posting_id} does not exist")
    return _posting_out(posting)


@router.get(
    "/gig-postings/{posting_id}/matches", response_model=list[WorkerMatchOut], dependencies=[POSTER]
)
async def gig_posting_matches(
    posting_id: uuid.UUID,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
    limit: Limit,
    radius_km: Annotated[int, Query(ge=1, le=100)] = 20,
):
    """Available workers near the posting's place whose own radius reaches it, best first
    (skills asked for that they offer, then nearness). The posting needs a place."""
    posting = await _managed_posting(deps, principal, posting_id)
    if posting.latitude is None or posting.longitude is None:
        raise RuleViolation("the posting has no place (latitude/longitude)", field="posting_id")
    async with deps.sessions() as session:
        rows = await store.profiles_near(
            session, posting.latitude, posting.longitude, radius_km * 1000, limit * 5
        )
    wanted = list(posting.skills)
    candidates = []
    for profile, metres in rows:
        m = Match(round(metres), matched_skills(profile.skills, wanted), len(wanted))
        if wanted and not m.matched_skills:
            continue
        candidates.append((m, profile))
    return [
        WorkerMatchOut(
            profile_id=p.id,
            display_name=p.display_name,
            skills=p.skills,
            distance_m=m.distance_m,
            matched_skills=m.matched_skills,
            score=m.score,
        )
        for m, p in rank(candidates)[:limit]
    ]


@router.post(
    "/gig-postings/{posting_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    response_model=GigApplicationOut,
    dependencies=[POSTER],
)
async def invite_worker(
    posting_id: uuid.UUID,
    body: InvitationIn,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """Invite a matched worker (their `profile_id`); they accept or decline."""
    uow = deps.uow()
    posting = await _managed_posting(deps, principal, posting_id)
    return _application_out(await handlers.invite(uow, posting, body.profile_id))


@router.get(
    "/gig-postings/{posting_id}/applications",
    response_model=Page[PosterGigApplicationOut],
    dependencies=[POSTER],
)
async def gig_posting_applications(
    posting_id: uuid.UUID,
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
    limit: Limit,
    cursor: str | None = None,
):
    """The posting's applications and invitations with each worker's gig profile."""
    posting = await _managed_posting(deps, principal, posting_id)
    async with deps.sessions() as session:
        rows = await store.applications_of_posting(session, posting_id, _after(cursor), limit + 1)
    items = []
    for a, r in rows[:limit]:
        metres = None
        if posting.latitude is not None and posting.longitude is not None:
            metres = round(distance_m(posting.latitude, posting.longitude, r.latitude, r.longitude))
        items.append(
            PosterGigApplicationOut(
                **_application_out(a).model_dump(),
                profile_id=a.profile_id,
                display_name=r.display_name,
                skills=list(r.skills),
                distance_m=metres,
            )
        )
    next_cursor = encode_cursor({"after": str(items[-1].id)}) if len(rows) > limit else None
    return Page[PosterGigApplicationOut](items=items, next_cursor=next_cursor)


@router.post(
    "/gig-applications/{application_id}/{step}",
    response_model=GigApplicationOut,
    dependencies=[POSTER],
)
async def decide_gig_application(
    application_id: uuid.UUID,
    step: Literal["confirm", "decline", "complete"],
    principal: CurrentPrincipal,
    deps: GigMarketDeps,
):
    """The poster's steps: `confirm` an applicant (up to the posting's headcount), `decline`
    one, `complete` confirmed work once it has started. Others' applications answer 404."""
    uow = deps.uow()
    async with deps.sessions() as session:
        application = await store.get_application(session, application_id)
        posting = await repo.get_posting(session, application.posting_id) if application else None
    if posting is None or not may_manage_posting(principal, posting):
        raise NotFound(f"gig application {application_id} does not exist")
    return _application_out(
        await handlers.take_step(uow, application_id, _POSTER_STEPS[step], Actor.POSTER)
    )
