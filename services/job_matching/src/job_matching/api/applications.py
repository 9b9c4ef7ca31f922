"""Applications (求职申请): submitting, reviewing (shortlist, reject, offer, withdraw,
accept) and the lists of a post's and a person's applications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, status

from job_matching import handlers
from job_matching.adapters import repository as repo
from job_matching.api.access import (
    ANY_USER,
    ENTERPRISE_OR_STAFF,
    SEEKER_OR_STAFF,
    Cursor,
    Limit,
    actor_of,
    audit_read,
    post_row_for,
    read_seeker,
)
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.schemas import (
    ApplicationIn,
    ApplicationOut,
    ReviewIn,
)
from job_matching.domain import commands
from job_matching.domain.model import (
    ApplicationStatus,
)
from suxin_common.auth import CurrentPrincipal
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.web import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1")


async def _application_out(deps, application_id: uuid.UUID) -> ApplicationOut:
    async with deps.sessions() as session:
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
    body: ApplicationIn, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """Apply to an open post, as the seeker (求职申请)."""
    uow = deps.uow()
    application_id = await handlers.submit_application(
        uow,
        commands.SubmitApplication(body.seeker_id, body.job_post_id, body.cover_letter),
        actor_of(principal),
    )
    return await _application_out(deps, application_id)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationOut,
    dependencies=[ANY_USER],
    tags=["applications"],
)
async def get_application(
    application_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """An application, for its seeker, the enterprise it was sent to, or HRSS staff of the
    post's or the person's district; a read by anyone but the seeker is audited."""
    uow = deps.uow()
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
        deps: JobMatchingDeps,
    ):
        uow = deps.uow()
        await handlers.review_application(
            uow,
            commands.ReviewApplication(application_id, target, body.note),
            actor_of(principal),
        )
        return await _application_out(deps, application_id)

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
        raise RuleViolation("The cursor is invalid.", field="cursor") from None


@router.get(
    "/job-posts/{post_id}/applications",
    response_model=Page[ApplicationOut],
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["applications"],
)
async def list_post_applications(
    post_id: uuid.UUID,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    limit: Limit,
    status: ApplicationStatus | None = None,
    cursor: Cursor = None,
):
    """Applications to one of the enterprise's posts, oldest first (each an audited read of
    the applicant's data)."""
    uow = deps.uow()
    after = _application_position(cursor)
    await post_row_for(deps, post_id, actor_of(principal), owner_only=True)
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
    deps: JobMatchingDeps,
    limit: Limit,
    cursor: Cursor = None,
):
    """A seeker's own applications, oldest first."""
    uow = deps.uow()
    after = _application_position(cursor)
    await read_seeker(uow, principal, seeker_id, "applications of a person")
    async with deps.sessions() as session:
        rows = await repo.list_applications(
            session, limit=limit + 1, seeker_id=seeker_id, after=after
        )
    return _application_page(rows, limit)
