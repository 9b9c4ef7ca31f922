"""Job-matching HTTP routes: parse -> command -> handler. Nothing else.

Ownership: a seeker sees only their own profile and applications, an enterprise only its own
posts, applications and hires; another tenant's object answers 404, as if it did not exist.
HRSS staff act within their district (unless province-level): enterprise-side objects (posts,
their applications and hires) by the post's district, people by the district serving them.
A seeker registers (or claims) only the profile of the person their real-name login verified.
Every read of a person's data by someone other than that person (staff, enterprises) is written
to the audit log in the read's transaction; so are hires and separations.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status

from job_matching import handlers
from job_matching.adapters import matching as match_repo
from job_matching.adapters import repository as repo
from job_matching.adapters.tables import seekers as seekers_table
from job_matching.api import search_routes
from job_matching.api.confirmations import hire_out
from job_matching.api.schemas import (
    ApplicationIn,
    ApplicationOut,
    EnterpriseIn,
    EnterpriseOut,
    HireIn,
    HireOut,
    JobMatchOut,
    JobPostIn,
    JobPostOut,
    OwedOut,
    PostStatusIn,
    ProgrammeBalance,
    ReviewIn,
    ScorePart,
    SeekerIn,
    SeekerMatchOut,
    SeekerOut,
    SeekerProfileIn,
    SeekerServicesOut,
    SeekerSummary,
    SeparationIn,
    ServiceIn,
    ServiceOut,
)
from job_matching.domain import commands
from job_matching.domain import employment_services as services
from job_matching.domain.matching import Match, rank_posts, rank_seekers
from job_matching.domain.model import (
    Actor,
    ApplicationStatus,
    JobKind,
    PostStatus,
    is_recent_graduate,
)
from job_matching.reports import owed_services, seeker_balances
from suxin_common.auth import CurrentPrincipal, Principal, Role, district_clause, require_roles
from suxin_common.db import UnitOfWork
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.security import audit
from suxin_common.service import RuntimeDep, UowDep
from suxin_common.web import (
    Conflict,
    Forbidden,
    NotFound,
    Page,
    Unprocessable,
    decode_cursor,
    encode_cursor,
    page_size,
)

router = APIRouter(prefix="/v1")
ENTERPRISE_OR_STAFF = Depends(require_roles(Role.ENTERPRISE, Role.HRSS_STAFF))
SEEKER_OR_STAFF = Depends(require_roles(Role.SEEKER, Role.HRSS_STAFF))
STAFF_ONLY = Depends(require_roles(Role.HRSS_STAFF))
ANY_USER = Depends(require_roles(Role.SEEKER, Role.ENTERPRISE, Role.HRSS_STAFF))
# Page size: 20 by default, at most 50 (matching scores every candidate; a 422 beyond).
Limit = Annotated[int, Depends(page_size(20, 50))]
Cursor = Annotated[str | None, Query(max_length=2048, description="from the previous page")]


def actor_of(principal: Principal) -> Actor:
    return Actor(
        staff=principal.has_role(Role.HRSS_STAFF),
        uscc=principal.tenant.uscc if principal.has_role(Role.ENTERPRISE) else None,
        subject=principal.subject if principal.has_role(Role.SEEKER) else None,
        districts=principal.district_scope(),
    )


def check_creates_in(principal: Principal, district_code: str | None, what: str) -> None:
    """Staff create only within their district scope: 403 elsewhere (nothing exists yet, so
    there is nothing to hide)."""
    if principal.has_role(Role.HRSS_STAFF) and not principal.sees_district(district_code):
        raise Forbidden(f"{what} outside your district may not be created by you")


async def audit_read(
    uow: UnitOfWork,
    principal: Principal,
    seeker_id: uuid.UUID,
    purpose: str,
    **details: Any,
) -> None:
    """Record a read of a person's data (in the caller's transaction)."""
    await audit.record(
        uow,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type="seeker",
        object_id=str(seeker_id),
        purpose=purpose,
        details={k: str(v) if isinstance(v, uuid.UUID) else v for k, v in details.items()},
    )


# --- enterprises --------------------------------------------------------------------------


@router.post(
    "/enterprises",
    status_code=status.HTTP_201_CREATED,
    response_model=EnterpriseOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["enterprises"],
)
async def register_enterprise(body: EnterpriseIn, principal: CurrentPrincipal, uow: UowDep):
    """Register an enterprise. The flags that unlock policy (专精特新, 小巨人, 重点监测) are set
    by HRSS staff or by the 工信 lists (data-exchange), never by the enterprise itself: an
    enterprise setting one gets 403 naming the field."""
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
async def get_enterprise(uscc: str, runtime: RuntimeDep):
    """An enterprise's public registration (name, region, industry, 专精特新 flags)."""
    async with runtime.sessions() as session:
        enterprise = await repo.get_enterprise(session, uscc)
    if enterprise is None:
        raise NotFound(f"enterprise {uscc} is not registered")
    return EnterpriseOut(**enterprise.__dict__)


# --- seekers ------------------------------------------------------------------------------


def _profile(body: SeekerProfileIn) -> commands.SeekerProfileUpdate:
    given = body.model_fields_set
    data = body.model_dump(exclude={"resident_id"})
    return commands.SeekerProfileUpdate(
        education=data.get("education"),
        graduation_date=data.get("graduation_date"),
        key_groups=frozenset(data["key_groups"]) if data.get("key_groups") is not None else None,
        skills=tuple(data["skills"]) if data.get("skills") is not None else None,
        desired_occupations=(
            tuple(data["desired_occupations"])
            if data.get("desired_occupations") is not None
            else None
        ),
        desired_regions=(
            tuple(data["desired_regions"]) if data.get("desired_regions") is not None else None
        ),
        desired_wage_fen=data.get("desired_wage_fen"),
        skill_level=data.get("skill_level"),
        professional_title=data.get("professional_title"),
        previously_unemployed=data.get("previously_unemployed"),
        open_to_offers=data.get("open_to_offers"),
        cleared=frozenset(name for name in given if data.get(name) is None),
    )


@router.post(
    "/seekers",
    status_code=status.HTTP_201_CREATED,
    response_model=SeekerOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["seekers"],
    responses={200: {"description": "the verified person claimed their existing profile"}},
)
async def register_seeker(
    body: SeekerIn,
    principal: CurrentPrincipal,
    uow: UowDep,
    runtime: RuntimeDep,
    response: Response,
):
    """Register a job seeker. A seeker registers only themself: the resident ID must be the
    one their real-name login verified (else 403); if that person is already registered (by
    HRSS staff, or under an earlier account), the profile is bound to this account (claimed,
    200). HRSS staff register anyone into their district (409 if already registered)."""
    staff = principal.has_role(Role.HRSS_STAFF)
    if not staff and not principal.is_person(runtime.personal_data.person_key(body.resident_id)):
        # Checked before any lookup, so the answer says nothing about who is registered.
        raise Forbidden(
            "You may register only yourself: the resident ID must be the one your "
            "real-name login verified."
        )
    district = body.district_code or handlers.home_district(body.resident_id)
    if staff:
        check_creates_in(principal, district, "a job seeker")
    cmd = commands.RegisterSeeker(
        resident_id=body.resident_id,
        education=body.education,
        graduation_date=body.graduation_date,
        key_groups=frozenset(body.key_groups),
        account_subject=None if staff else principal.subject,
        profile=_profile(body),
        district_code=district,
    )
    found = await handlers.register_seeker(uow, cmd, runtime.personal_data)
    if found.created:
        return await _seeker_out(uow, principal, found.seeker_id, "registration")
    if not staff:
        await handlers.claim_seeker(uow, found.seeker_id, principal)
        response.status_code = status.HTTP_200_OK
        return await _seeker_out(uow, principal, found.seeker_id, "claim")
    if not principal.sees_district(found.district_code):
        raise Conflict("this person is already registered (outside your district)")
    async with uow:  # the answer names the person's record: an audited lookup
        await audit_read(uow, principal, found.seeker_id, "registration: already registered")
        await uow.commit()
    raise Conflict("this person is already registered", extra={"seeker_id": str(found.seeker_id)})


@router.get(
    "/seekers/{seeker_id}",
    response_model=SeekerOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["seekers"],
)
async def get_seeker(seeker_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep):
    """A seeker's own profile (or one in their district, for HRSS staff: audited)."""
    return await _seeker_out(uow, principal, seeker_id, "profile view")


@router.patch(
    "/seekers/{seeker_id}",
    response_model=SeekerOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["seekers"],
)
async def update_seeker(
    seeker_id: uuid.UUID,
    body: SeekerProfileIn,
    principal: CurrentPrincipal,
    uow: UowDep,
):
    """Edit one's own profile: skills, wishes, education, key groups, levels."""
    for name in ("education", "key_groups", "skills", "desired_occupations", "desired_regions"):
        if name in body.model_fields_set and getattr(body, name) is None:
            raise Unprocessable(f"{name} cannot be null", field=name)
    actor = actor_of(principal)
    await handlers.update_seeker_profile(uow, seeker_id, _profile(body), actor)
    return await _seeker_out(uow, principal, seeker_id, "profile edit")


async def _read_seeker(
    uow: UnitOfWork, principal: Principal, seeker_id: uuid.UUID, purpose: str
) -> Any:
    """The seeker's row if the caller may see it (the person, or staff of their district;
    else 404); a read by anyone but the person is audited in the same transaction."""
    actor = actor_of(principal)
    async with uow:
        row = await repo.get_seeker_row(uow.session, seeker_id)
        if row is None or not actor.owns_seeker(row.account_subject, row.district_code):
            raise NotFound(f"seeker {seeker_id} is not registered")
        if not actor.is_the_seeker(row.account_subject):
            await audit_read(uow, principal, seeker_id, purpose)
        await uow.commit()
    return row


async def _seeker_out(
    uow: UnitOfWork, principal: Principal, seeker_id: uuid.UUID, purpose: str
) -> SeekerOut:
    row = await _read_seeker(uow, principal, seeker_id, purpose)
    return SeekerOut(
        id=row.id,
        masked_resident_id=row.resident_id_masked,
        district_code=row.district_code,
        gender=row.gender,
        birth_year=row.birth_year,
        education=row.education,
        graduation_date=row.graduation_date,
        recent_graduate=is_recent_graduate(row.graduation_date, date.today()),
        key_groups=row.key_groups,
        skills=row.skills,
        desired_occupations=row.desired_occupations,
        desired_regions=row.desired_regions,
        desired_wage_fen=row.desired_wage_fen,
        skill_level=row.skill_level,
        professional_title=row.professional_title,
        previously_unemployed=row.previously_unemployed,
        open_to_offers=row.open_to_offers,
    )


# --- job posts ----------------------------------------------------------------------------


def _post_out(row: Any) -> JobPostOut:
    """From a SQLAlchemy row or a mapping (an asyncpg record)."""
    data = row._mapping if hasattr(row, "_mapping") else row
    fields = JobPostOut.model_fields
    return JobPostOut(**{k: v for k, v in data.items() if k in fields})


@router.post(
    "/job-posts",
    status_code=status.HTTP_201_CREATED,
    response_model=JobPostOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["job posts"],
)
async def publish_job_post(
    body: JobPostIn, principal: CurrentPrincipal, uow: UowDep, runtime: RuntimeDep
):
    """Publish a post (open at once, or a draft to open later)."""
    principal.require_enterprise(body.enterprise_uscc)
    if not principal.has_role(Role.ENTERPRISE):
        check_creates_in(principal, body.district_code, "a job post")
    data = body.model_dump()
    data["required_skills"] = tuple(data["required_skills"])
    post_id = await handlers.publish_job_post(uow, commands.PublishJobPost(**data))
    async with runtime.sessions() as session:
        rows = await match_repo.posts_by_ids(session, [post_id])
    return _post_out(rows[post_id])


@router.get(
    "/job-posts",
    response_model=Page[JobPostOut],
    dependencies=[ANY_USER],
    tags=["job posts"],
)
async def search_job_posts(
    runtime: RuntimeDep,
    limit: Limit,
    q: Annotated[str | None, Query(max_length=100, description="words, Chinese or not")] = None,
    city_code: JiangsuCityCode | None = None,
    district_code: JiangsuDistrictCode | None = None,
    kind: JobKind | None = None,
    min_wage_fen: Annotated[int | None, Query(ge=0, le=10_000_000_00)] = None,
    specialized_zone: Annotated[bool | None, Query(description="专精特新 zone only")] = None,
    cursor: Cursor = None,
):
    """Open posts, newest first, by the filters; with `q`, the search of
    `/v1/search/job-posts` (best match first)."""
    if q and q.strip():
        filters = match_repo.PostFilters(
            city_code, district_code, min_wage_fen, kind, specialized_zone
        )
        found = await search_routes.run_search(
            runtime, q=q, filters=filters, near=None, limit=limit, cursor=cursor
        )
        return Page[JobPostOut](items=found.items, next_cursor=found.next_cursor)
    after = None
    if cursor:
        position = decode_cursor(cursor)
        try:
            after = (datetime.fromisoformat(position["at"]), uuid.UUID(position["id"]))
        except (KeyError, TypeError, ValueError):
            raise Unprocessable("The cursor is invalid.", field="cursor") from None
    filters = match_repo.PostFilters(
        city_code=city_code,
        district_code=district_code,
        min_wage_fen=min_wage_fen,
        kind=kind,
        specialized_zone=specialized_zone,
    )
    async with runtime.sessions() as session:
        rows = await match_repo.search_posts(
            session, text=q, filters=filters, limit=limit + 1, after=after
        )
    page, more = rows[:limit], len(rows) > limit
    next_cursor = (
        encode_cursor({"at": page[-1].opened_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[JobPostOut](items=[_post_out(r) for r in page], next_cursor=next_cursor)


async def _post_row_for(runtime, post_id: uuid.UUID, actor: Actor, *, owner_only: bool) -> Any:
    async with runtime.sessions() as session:
        rows = await match_repo.posts_by_ids(session, [post_id])
    row = rows.get(post_id)
    if row is None:
        raise NotFound(f"job post {post_id} does not exist")
    public = row["status"] == PostStatus.OPEN.value and not owner_only
    if not public and not actor.owns_enterprise(row["enterprise_uscc"], row["district_code"]):
        raise NotFound(f"job post {post_id} does not exist")
    return row


@router.get(
    "/job-posts/{post_id}", response_model=JobPostOut, dependencies=[ANY_USER], tags=["job posts"]
)
async def get_job_post(post_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep):
    """An open post, for anyone; drafts and closed posts for their enterprise only."""
    return _post_out(await _post_row_for(runtime, post_id, actor_of(principal), owner_only=False))


@router.post(
    "/job-posts/{post_id}/status",
    response_model=JobPostOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["job posts"],
)
async def change_post_status(
    post_id: uuid.UUID,
    body: PostStatusIn,
    principal: CurrentPrincipal,
    uow: UowDep,
    runtime: RuntimeDep,
):
    """Open a draft or close a post; anything else the lifecycle refuses is a 409."""
    actor = actor_of(principal)
    await handlers.change_post_status(
        uow, commands.ChangePostStatus(post_id, body.status, body.reason), actor
    )
    return _post_out(await _post_row_for(runtime, post_id, actor, owner_only=True))


# --- matching -----------------------------------------------------------------------------


def _parse_rank_cursor(cursor: str | None) -> tuple[float, str] | None:
    if not cursor:
        return None
    position = decode_cursor(cursor)
    try:
        return float(position["s"]), str(uuid.UUID(position["id"]))
    except (KeyError, TypeError, ValueError):
        raise Unprocessable("The cursor is invalid.", field="cursor") from None


def _breakdown(m: Match) -> list[ScorePart]:
    return [
        ScorePart(part=p.name, weight=p.weight, points=p.points, code=p.reason, facts=dict(p.facts))
        for p in m.parts
    ]


@router.get(
    "/seekers/{seeker_id}/recommendations",
    response_model=Page[JobMatchOut],
    dependencies=[SEEKER_OR_STAFF],
    tags=["matching"],
)
async def recommend_jobs(
    seeker_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    uow: UowDep,
    limit: Limit,
    city_code: JiangsuCityCode | None = None,
    district_code: JiangsuDistrictCode | None = None,
    kind: JobKind | None = None,
    min_wage_fen: Annotated[int | None, Query(ge=0, le=10_000_000_00)] = None,
    specialized_zone: bool | None = None,
    cursor: Cursor = None,
):
    """Jobs for a seeker, best first, each with its score breakdown ("why this job")."""
    after = _parse_rank_cursor(cursor)
    row = await _read_seeker(uow, principal, seeker_id, "job recommendations")
    seeker = match_repo.seeker_profile(row._mapping)
    filters = match_repo.PostFilters(city_code, district_code, min_wage_fen, kind, specialized_zone)
    async with runtime.sessions() as session:
        candidates = await match_repo.post_candidates(session, seeker, filters)
        matches = rank_posts(seeker, candidates, limit=limit + 1, after=after)
        posts = await match_repo.posts_by_ids(session, [m.post_id for m in matches[:limit]])
    page, more = matches[:limit], len(matches) > limit
    items = [
        JobMatchOut(
            score=m.score,
            breakdown=_breakdown(m),
            matched_skills=list(m.matched_skills),
            missing_skills=list(m.missing_skills),
            job_post=_post_out(posts[m.post_id]),
        )
        for m in page
    ]
    last = page[-1] if more else None
    next_cursor = encode_cursor({"s": last.score, "id": str(last.post_id)}) if last else None
    return Page[JobMatchOut](items=items, next_cursor=next_cursor)


@router.get(
    "/job-posts/{post_id}/candidates",
    response_model=Page[SeekerMatchOut],
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["matching"],
)
async def recommend_seekers(
    post_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    uow: UowDep,
    limit: Limit,
    cursor: Cursor = None,
):
    """Seekers open to offers for one of the enterprise's posts, best first, with the why.
    Each person shown is an audited read."""
    after = _parse_rank_cursor(cursor)
    row = await _post_row_for(runtime, post_id, actor_of(principal), owner_only=True)
    post = match_repo.post_profile(row)
    async with runtime.sessions() as session:
        candidates = await match_repo.seeker_candidates(session, post)
        matches = rank_seekers(post, candidates, limit=limit + 1, after=after)
    page, more = matches[:limit], len(matches) > limit
    async with uow:
        people = await match_repo.seekers_by_ids(uow.session, [m.seeker_id for m in page])
        for m in page:
            await audit_read(
                uow, principal, m.seeker_id, "candidates for a job post", job_post_id=post_id
            )
        await uow.commit()
    items = []
    for m in page:
        p = people[m.seeker_id]
        items.append(
            SeekerMatchOut(
                score=m.score,
                breakdown=_breakdown(m),
                matched_skills=list(m.matched_skills),
                missing_skills=list(m.missing_skills),
                seeker=SeekerSummary(
                    id=p.id,
                    education=p.education,
                    skills=p.skills,
                    skill_level=p.skill_level,
                    professional_title=p.professional_title,
                    desired_wage_fen=p.desired_wage_fen,
                ),
            )
        )
    last = page[-1] if more else None
    next_cursor = encode_cursor({"s": last.score, "id": str(last.seeker_id)}) if last else None
    return Page[SeekerMatchOut](items=items, next_cursor=next_cursor)


# --- applications -------------------------------------------------------------------------


async def _application_out(runtime, application_id: uuid.UUID) -> ApplicationOut:
    async with runtime.sessions() as session:
        row = await repo.get_application_row(session, application_id)
    assert row is not None
    return ApplicationOut(**row._mapping)


@router.post(
    "/applications",
    status_code=status.HTTP_201_CREATED,
    response_model=ApplicationOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["applications"],
)
async def submit_application(
    body: ApplicationIn, principal: CurrentPrincipal, uow: UowDep, runtime: RuntimeDep
):
    """Apply to an open post, as the seeker (求职申请)."""
    application_id = await handlers.submit_application(
        uow,
        commands.SubmitApplication(body.seeker_id, body.job_post_id, body.cover_letter),
        actor_of(principal),
    )
    return await _application_out(runtime, application_id)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationOut,
    dependencies=[ANY_USER],
    tags=["applications"],
)
async def get_application(application_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep):
    """An application, for its seeker, the enterprise it was sent to, or HRSS staff of the
    post's or the person's district; a read by anyone but the seeker is audited."""
    actor = actor_of(principal)
    async with uow:
        row = await repo.get_application_row(uow.session, application_id)
        seeker = await repo.get_seeker_row(uow.session, row.seeker_id) if row else None
        district = await repo.post_district(uow.session, row.job_post_id) if row else None
        if row is None or seeker is None:
            raise NotFound(f"application {application_id} does not exist")
        if not (
            actor.owns_enterprise(row.enterprise_uscc, district)
            or actor.owns_seeker(seeker.account_subject, seeker.district_code)
        ):
            raise NotFound(f"application {application_id} does not exist")
        if not actor.is_the_seeker(seeker.account_subject):
            await audit_read(
                uow, principal, row.seeker_id, "application view", application_id=row.id
            )
        await uow.commit()
    return ApplicationOut(**row._mapping)


def _review_route(path: str, target: ApplicationStatus, roles: Any, doc: str):
    @router.post(
        f"/applications/{{application_id}}/{path}",
        response_model=ApplicationOut,
        dependencies=[roles],
        tags=["applications"],
        name=f"{path}_application",
        description=doc,
    )
    async def review(
        application_id: uuid.UUID,
        body: ReviewIn,
        principal: CurrentPrincipal,
        uow: UowDep,
        runtime: RuntimeDep,
    ):
        await handlers.review_application(
            uow,
            commands.ReviewApplication(application_id, target, body.note),
            actor_of(principal),
        )
        return await _application_out(runtime, application_id)

    return review


_review_route(
    "shortlist", ApplicationStatus.SHORTLISTED, ENTERPRISE_OR_STAFF, "The enterprise shortlists."
)
_review_route("reject", ApplicationStatus.REJECTED, ENTERPRISE_OR_STAFF, "The enterprise rejects.")
_review_route(
    "offer", ApplicationStatus.OFFERED, ENTERPRISE_OR_STAFF, "The enterprise makes an offer."
)
_review_route("withdraw", ApplicationStatus.WITHDRAWN, SEEKER_OR_STAFF, "The seeker withdraws.")
_review_route(
    "accept",
    ApplicationStatus.ACCEPTED,
    SEEKER_OR_STAFF,
    "The seeker accepts the offer (接受录用意向): a hire recorded from it is confirmed.",
)


def _application_page(rows: list[Any], limit: int) -> Page[ApplicationOut]:
    page, more = rows[:limit], len(rows) > limit
    next_cursor = (
        encode_cursor({"at": page[-1].submitted_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[ApplicationOut](
        items=[ApplicationOut(**r._mapping) for r in page], next_cursor=next_cursor
    )


def _application_position(cursor: str | None) -> tuple[datetime, uuid.UUID] | None:
    if not cursor:
        return None
    position = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(position["at"]), uuid.UUID(position["id"])
    except (KeyError, TypeError, ValueError):
        raise Unprocessable("The cursor is invalid.", field="cursor") from None


@router.get(
    "/job-posts/{post_id}/applications",
    response_model=Page[ApplicationOut],
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["applications"],
)
async def list_post_applications(
    post_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    uow: UowDep,
    limit: Limit,
    status: ApplicationStatus | None = None,
    cursor: Cursor = None,
):
    """Applications to one of the enterprise's posts, oldest first (each an audited read of
    the applicant's data)."""
    after = _application_position(cursor)
    await _post_row_for(runtime, post_id, actor_of(principal), owner_only=True)
    async with uow:
        rows = await repo.list_applications(
            uow.session,
            limit=limit + 1,
            job_post_id=post_id,
            status=status.value if status else None,
            after=after,
        )
        for r in rows[:limit]:
            await audit_read(
                uow, principal, r.seeker_id, "applications to a job post", application_id=r.id
            )
        await uow.commit()
    return _application_page(rows, limit)


@router.get(
    "/seekers/{seeker_id}/applications",
    response_model=Page[ApplicationOut],
    dependencies=[SEEKER_OR_STAFF],
    tags=["applications"],
)
async def list_seeker_applications(
    seeker_id: uuid.UUID,
    principal: CurrentPrincipal,
    runtime: RuntimeDep,
    uow: UowDep,
    limit: Limit,
    cursor: Cursor = None,
):
    """A seeker's own applications, oldest first."""
    after = _application_position(cursor)
    await _read_seeker(uow, principal, seeker_id, "applications of a person")
    async with runtime.sessions() as session:
        rows = await repo.list_applications(
            session, limit=limit + 1, seeker_id=seeker_id, after=after
        )
    return _application_page(rows, limit)


# --- hires and separations ----------------------------------------------------------------


@router.post(
    "/hires",
    status_code=status.HTTP_201_CREATED,
    response_model=HireOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["hires"],
)
async def record_hire(body: HireIn, principal: CurrentPrincipal, uow: UowDep, runtime: RuntimeDep):
    """Record a hire (录用), from an offered application or directly. Subsidy, insurance,
    talent-card and monitoring follow by events."""
    principal.require_enterprise(body.enterprise_uscc)
    actor = actor_of(principal)
    row = await handlers.record_hire_row(
        uow, commands.RecordHire(**body.model_dump()), actor, principal
    )
    # The row as inserted: the handler has checked the caller may see it (their post).
    return _hire_from_row(row)


@router.get(
    "/hires/{hire_id}", response_model=HireOut, dependencies=[ENTERPRISE_OR_STAFF], tags=["hires"]
)
async def get_hire(hire_id: uuid.UUID, principal: CurrentPrincipal, uow: UowDep):
    """A hire, for its enterprise or HRSS staff of the post's district (an audited read)."""
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
    uow: UowDep,
):
    """End an employment (解除/终止劳动关系); publishes EmploymentEnded. Only once (409)."""
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
        row = await repo.get_hire_row(uow.session, hire_id)
        district = await repo.post_district(uow.session, row.job_post_id) if row else None
        if row is None or not actor.owns_enterprise(row.enterprise_uscc, district):
            raise NotFound(f"hire {hire_id} does not exist")
        if purpose is not None:
            await audit_read(uow, principal, row.seeker_id, purpose, hire_id=row.id)
        await uow.commit()
    return _hire_from_row(row)


def _hire_from_row(row: Any) -> HireOut:
    return hire_out(row)


# --- "131" and "1+3" services -------------------------------------------------------------


@router.post(
    "/seekers/{seeker_id}/services",
    status_code=status.HTTP_201_CREATED,
    response_model=ServiceOut,
    dependencies=[STAFF_ONLY],
    tags=["employment services"],
)
async def record_service(
    seeker_id: uuid.UUID,
    body: ServiceIn,
    principal: CurrentPrincipal,
    uow: UowDep,
    runtime: RuntimeDep,
):
    """Record one service delivered under the "131" or "1 guidance + 3 recommendations"
    programme; a job recommendation names an open post and counts once per post."""
    service_id = await handlers.record_service_delivered(
        uow,
        commands.RecordServiceDelivered(
            seeker_id=seeker_id,
            programme=body.programme,
            kind=body.kind,
            delivered_by=principal.subject,
            job_post_id=body.job_post_id,
            note=body.note,
        ),
        actor_of(principal),
    )
    async with runtime.sessions() as session:
        rows = await repo.services_of(session, seeker_id)
    row = next(r for r in rows if r.id == service_id)
    return ServiceOut(**{k: v for k, v in row._mapping.items() if k in ServiceOut.model_fields})


@router.get(
    "/seekers/{seeker_id}/services",
    response_model=SeekerServicesOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["employment services"],
)
async def get_seeker_services(
    seeker_id: uuid.UUID, principal: CurrentPrincipal, runtime: RuntimeDep, uow: UowDep
):
    """What a person is owed and has received (the person themself, or HRSS staff of their
    district: audited)."""
    row = await _read_seeker(uow, principal, seeker_id, "employment services")
    async with runtime.sessions() as session:
        balances, delivered = await seeker_balances(session, row, date.today())
    return SeekerServicesOut(
        seeker_id=seeker_id,
        programmes=[_balance_out(b) for b in balances],
        delivered=[
            ServiceOut(**{k: v for k, v in r._mapping.items() if k in ServiceOut.model_fields})
            for r in delivered
        ],
    )


def _balance_out(b: services.Balance) -> ProgrammeBalance:
    return ProgrammeBalance(
        programme=b.programme, delivered=b.delivered, owed=b.owed, complete=b.complete
    )


@router.get(
    "/services/owed",
    response_model=Page[OwedOut],
    dependencies=[STAFF_ONLY],
    tags=["employment services"],
)
async def list_owed_services(
    principal: CurrentPrincipal,
    uow: UowDep,
    limit: Limit,
    programme: services.Programme | None = None,
    cursor: Cursor = None,
):
    """Who is still owed what: people in a programme's group, without an active hire, whose
    services are not all delivered; district staff see the people of their district. Each
    person listed is an audited read."""
    after = None
    if cursor:
        try:
            after = uuid.UUID(decode_cursor(cursor)["id"])
        except (KeyError, TypeError, ValueError):
            raise Unprocessable("The cursor is invalid.", field="cursor") from None
    async with uow:
        owed, last = await owed_services(
            uow.session,
            today=date.today(),
            programme=programme,
            limit=limit,
            after=after,
            region=district_clause(seekers_table.c.district_code, principal),
        )
        for row, _ in owed:
            await audit_read(uow, principal, row.id, "services owed report")
        await uow.commit()
    return Page[OwedOut](
        items=[
            OwedOut(
                seeker_id=row.id,
                masked_resident_id=row.resident_id_masked,
                programmes=[_balance_out(b) for b in balances],
            )
            for row, balances in owed
        ],
        next_cursor=encode_cursor({"id": str(last)}) if last else None,
    )
