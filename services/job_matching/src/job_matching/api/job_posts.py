"""Job posts: publishing, the list and filters, one post, opening and closing."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, status

from job_matching import handlers
from job_matching.adapters import matching as match_repo
from job_matching.api import search_routes
from job_matching.api.access import (
    ANY_USER,
    ENTERPRISE_OR_STAFF,
    Cursor,
    Limit,
    actor_of,
    check_creates_in,
    post_out,
    post_row_for,
)
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.schemas import (
    JobPostIn,
    JobPostOut,
    PostStatusIn,
)
from job_matching.domain import commands
from job_matching.domain.model import (
    JobKind,
)
from suxin_common.auth import CurrentPrincipal, Role
from suxin_common.errors import RuleViolation
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.web import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1")


@router.post(
    "/job-posts",
    status_code=status.HTTP_201_CREATED,
    response_model=JobPostOut,
    dependencies=[ENTERPRISE_OR_STAFF],
    tags=["job posts"],
)
async def publish_job_post(body: JobPostIn, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """Publish a post (open at once, or a draft to open later)."""
    uow = deps.uow()
    principal.require_enterprise(body.enterprise_uscc)
    if not principal.has_role(Role.ENTERPRISE):
        check_creates_in(principal, body.district_code, "a job post")
    data = body.model_dump()
    data["required_skills"] = tuple(data["required_skills"])
    post_id = await handlers.publish_job_post(uow, commands.PublishJobPost(**data))
    async with deps.sessions() as session:
        rows = await match_repo.posts_by_ids(session, [post_id])
    return post_out(rows[post_id])


@router.get(
    "/job-posts",
    response_model=Page[JobPostOut],
    dependencies=[ANY_USER],
    tags=["job posts"],
)
async def search_job_posts(
    deps: JobMatchingDeps,
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
            deps, q=q, filters=filters, near=None, limit=limit, cursor=cursor
        )
        return Page[JobPostOut](items=found.items, next_cursor=found.next_cursor)
    after = None
    if cursor:
        position = decode_cursor(cursor)
        try:
            after = (datetime.fromisoformat(position["at"]), uuid.UUID(position["id"]))
        except (KeyError, TypeError, ValueError):
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
    filters = match_repo.PostFilters(
        city_code=city_code,
        district_code=district_code,
        min_wage_fen=min_wage_fen,
        kind=kind,
        specialized_zone=specialized_zone,
    )
    async with deps.sessions() as session:
        rows = await match_repo.search_posts(
            session, text=q, filters=filters, limit=limit + 1, after=after
        )
    page, more = rows[:limit], len(rows) > limit
    next_cursor = (
        encode_cursor({"at": page[-1].opened_at.isoformat(), "id": str(page[-1].id)})
        if more
        else None
    )
    return Page[JobPostOut](items=[post_out(r) for r in page], next_cursor=next_cursor)


@router.get(
    "/job-posts/{post_id}", response_model=JobPostOut, dependencies=[ANY_USER], tags=["job posts"]
)
async def get_job_post(post_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps):
    """An open post, for anyone; drafts and closed posts for their enterprise only."""
    return post_out(await post_row_for(deps, post_id, actor_of(principal), owner_only=False))


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
    deps: JobMatchingDeps,
):
    """Open a draft or close a post; anything else the lifecycle refuses is a 409."""
    uow = deps.uow()
    actor = actor_of(principal)
    await handlers.change_post_status(
        uow, commands.ChangePostStatus(post_id, body.status, body.reason), actor
    )
    return post_out(await post_row_for(deps, post_id, actor, owner_only=True))
