"""Two-sided matching: jobs for a seeker, seekers for a post, each with the why."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from job_matching.adapters import matching as match_repo
from job_matching.api.access import (
    ENTERPRISE_OR_STAFF,
    SEEKER_OR_STAFF,
    Cursor,
    Limit,
    actor_of,
    audit_read,
    post_out,
    post_row_for,
    read_seeker,
)
from job_matching.api.schemas import (
    JobMatchOut,
    ScorePart,
    SeekerMatchOut,
    SeekerSummary,
)
from job_matching.domain.matching import Match, rank_posts, rank_seekers
from job_matching.domain.model import (
    JobKind,
)
from suxin_common.auth import CurrentPrincipal
from suxin_common.errors import RuleViolation
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.service import RuntimeDep, UowDep
from suxin_common.web import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1")


def _parse_rank_cursor(cursor: str | None) -> tuple[float, str] | None:
    if not cursor:
        return None
    position = decode_cursor(cursor)
    try:
        return float(position["s"]), str(uuid.UUID(position["id"]))
    except (KeyError, TypeError, ValueError):
        raise RuleViolation("The cursor is invalid.", field="cursor") from None


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
    row = await read_seeker(uow, principal, seeker_id, "job recommendations")
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
            job_post=post_out(posts[m.post_id]),
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
    row = await post_row_for(runtime, post_id, actor_of(principal), owner_only=True)
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
