"""Search and autocomplete over open job posts (搜索, 联想).

`GET /v1/search/job-posts`: Chinese words, pinyin, initials, occupation synonyms, best match
first (see adapters/search.py for the ranking); `GET /v1/search/suggestions`: what the typed
text (Chinese, pinyin or initials) may become, with how many posts carry it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, computed_field

from job_matching.adapters import matching as match_repo
from job_matching.adapters import search as search_repo
from job_matching.api.schemas import JobPostOut
from job_matching.domain.model import JobKind
from suxin_common.auth import Role, require_roles
from suxin_common.errors import RuleViolation
from suxin_common.i18n import text
from suxin_common.regions import JiangsuCityCode, JiangsuDistrictCode
from suxin_common.service import RuntimeDep
from suxin_common.web import decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1/search", tags=["search"])
ANY_USER = Depends(require_roles(Role.SEEKER, Role.ENTERPRISE, Role.HRSS_STAFF))
MAX_OFFSET = search_repo.WINDOW

_KIND_NAMES = {
    "title": ("岗位名称", "job title"),
    "word": ("关键词", "keyword"),
    "skill": ("技能", "skill"),
    "enterprise": ("企业", "enterprise"),
    "occupation": ("职业", "occupation"),
    "place": ("地点", "place"),
}


class SearchPage(BaseModel):
    """Posts best first; `words` shows how the query was read (each word's alternatives:
    synonyms, and what pinyin or initials stood for); `relaxed` when no post had every word
    and posts with any of them are shown instead."""

    items: list[JobPostOut]
    next_cursor: str | None = None
    words: list[list[str]] = Field(default_factory=list)
    relaxed: bool = False


class Suggestion(BaseModel):
    term: str
    kind: str
    posts: int = Field(description="open posts that carried the term when published")

    @computed_field
    def kind_name(self) -> str:
        zh, en = _KIND_NAMES.get(self.kind, (self.kind, self.kind))
        return text(zh, en)


class Suggestions(BaseModel):
    items: list[Suggestion]


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    position = decode_cursor(cursor)
    offset = position.get("o") if isinstance(position, dict) else None
    if not isinstance(offset, int) or not 0 < offset <= MAX_OFFSET:
        raise RuleViolation(text("分页游标无效。", "The cursor is invalid."), field="cursor")
    return offset


async def run_search(
    runtime,
    *,
    q: str,
    filters: match_repo.PostFilters,
    near: str | None,
    limit: int,
    cursor: str | None,
) -> SearchPage:
    offset = _offset(cursor)
    async with runtime.sessions() as session:
        found = await search_repo.search_posts(
            session, text=q, filters=filters, near=near, offset=offset, limit=limit
        )
        rows = found.rows  # read with the ranking, in the same statement
    more = found.more and offset + limit < MAX_OFFSET
    return SearchPage(
        items=[
            JobPostOut(**{k: v for k, v in rows[i].items() if k in JobPostOut.model_fields})
            for i in found.ids
            if i in rows
        ],
        next_cursor=encode_cursor({"o": offset + limit}) if more else None,
        words=found.groups,
        relaxed=found.relaxed,
    )


@router.get("/job-posts", response_model=SearchPage, dependencies=[ANY_USER])
async def search_job_posts(
    runtime: RuntimeDep,
    limit: Annotated[int, Depends(page_size(20, 50))],
    q: Annotated[
        str,
        Query(min_length=1, max_length=100, description="words: Chinese, pinyin or initials"),
    ],
    near: Annotated[
        JiangsuDistrictCode | None,
        Query(description="where the seeker is (district code): nearer posts rank higher"),
    ] = None,
    city_code: JiangsuCityCode | None = None,
    district_code: JiangsuDistrictCode | None = None,
    kind: JobKind | None = None,
    min_wage_fen: Annotated[int | None, Query(ge=0, le=10_000_000_00)] = None,
    specialized_zone: Annotated[bool | None, Query(description="专精特新 zone only")] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
):
    """Open posts matching every word (title, occupation, enterprise, skills, place,
    description), best match first."""
    filters = match_repo.PostFilters(city_code, district_code, min_wage_fen, kind, specialized_zone)
    return await run_search(runtime, q=q, filters=filters, near=near, limit=limit, cursor=cursor)


@router.get("/suggestions", response_model=Suggestions, dependencies=[ANY_USER])
async def suggestions(
    runtime: RuntimeDep,
    q: Annotated[
        str, Query(min_length=1, max_length=50, description="typed so far: 数控, shuk, sk …")
    ],
    limit: Annotated[int, Query(ge=1, le=20)] = 10,
):
    """Autocomplete: terms (titles, words, skills, enterprises, occupations, places) that
    start with the text, its pinyin or its initials; the most used first."""
    async with runtime.sessions() as session:
        rows = await search_repo.suggest(session, q, limit)
    return Suggestions(items=[Suggestion(**dict(r)) for r in rows])
