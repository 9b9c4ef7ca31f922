"""Candidate retrieval for matching and search: indexed SQL prefilters with bounded results.

Scoring every open post in Python would not hold at 200k posts, so each direction asks the
database for a bounded candidate set through indexed probes, and the domain scores only those:

- jobs for a seeker: (1) the exact desired occupation in a desired district (btree on
  occupation_code, district_code); (2) the desired 小类 in a desired city with a shared skill,
  (3) the 小类 in the city, (4) the city with a shared skill, (5) the 小类 in the same part of
  Jiangsu with a shared skill (all through the GIN-indexed candidate keys, see
  domain.matching.post_match_keys); (6) the 小类 anywhere in Jiangsu; or,
  with no wishes at all, the newest posts in the desired cities.
- seekers for a post: who want its 小类 in its city, in its part of Jiangsu, or anywhere, and
  who want its city and have one of its skills (candidate keys).

Filters (region, minimum wage, kind, 专精特新 zone) apply inside every probe.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.tables import enterprises, job_posts, seekers
from job_matching.domain.matching import (
    PostProfile,
    SeekerProfile,
    area_of,
    occupation_minor_group,
)
from job_matching.domain.model import Education, JobKind
from job_matching.search import query_tokens
from suxin_common.db import current_transaction, driver_connection

EXACT_PROBE_LIMIT = 100
PROBE_LIMIT = 250
NEAR_PROBE_LIMIT = 100
WIDE_PROBE_LIMIT = 50
FALLBACK_LIMIT = 200


@dataclass(frozen=True)
class PostFilters:
    city_code: str | None = None
    district_code: str | None = None
    min_wage_fen: int | None = None
    kind: JobKind | None = None
    specialized_zone: bool | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        c = job_posts.c
        out: list[ColumnElement[bool]] = [c.status == "open"]
        if self.district_code:
            out.append(c.district_code == self.district_code)
        if self.city_code:
            out.append(c.city_code == self.city_code)
        if self.min_wage_fen is not None:
            out.append(c.wage_max_fen >= self.min_wage_fen)
        if self.kind is not None:
            out.append(c.kind == self.kind.value)
        if self.specialized_zone is not None:
            out.append(c.specialized_zone == self.specialized_zone)
        return out

    @property
    def region_fixed(self) -> bool:
        return bool(self.city_code or self.district_code)


POST_COLUMNS = (
    job_posts.c.id,
    job_posts.c.occupation_code,
    job_posts.c.city_code,
    job_posts.c.district_code,
    job_posts.c.wage_min_fen,
    job_posts.c.wage_max_fen,
    job_posts.c.min_education,
    job_posts.c.required_skills,
)


def seeker_profile(row: Any) -> SeekerProfile:
    """From a mapping: an asyncpg record or a SQLAlchemy row's `_mapping`."""
    return SeekerProfile(
        id=row["id"],
        education=Education(row["education"]),
        skills=frozenset(row["skills"]),
        desired_occupations=tuple(row["desired_occupations"]),
        desired_regions=tuple(row["desired_regions"]),
        desired_wage_fen=row["desired_wage_fen"],
    )


def post_profile(row: Any) -> PostProfile:
    """From a mapping: an asyncpg record or a SQLAlchemy row's `_mapping`."""
    return PostProfile(
        id=row["id"],
        occupation_code=row["occupation_code"],
        city_code=row["city_code"],
        district_code=row["district_code"],
        wage_min_fen=row["wage_min_fen"],
        wage_max_fen=row["wage_max_fen"],
        min_education=Education(row["min_education"]) if row["min_education"] else None,
        required_skills=frozenset(row["required_skills"]),
    )


_TUNED = "job_matching.read_settings"


async def _driver(session: AsyncSession) -> Any:
    """The asyncpg connection under the session: candidate rows skip SQLAlchemy's per-row
    processing, and asyncpg keeps each statement prepared.

    Prepared statements drift to PostgreSQL's generic plan after five runs, and a generic
    plan cannot tell a rare candidate key from a common one (p50 183 ms at 200k posts), so
    this transaction plans every run afresh. Even a custom plan overestimates how many rows
    match `match_keys && ...` and prefers a sequential scan that stops at the LIMIT (7-13 ms
    per probe at 200k, against ~3 ms through the GIN index), so sequential scans are off for
    this read-only transaction: every probe has an index. No parallel workers either: the
    reads are bounded (a few hundred rows), and starting workers costs more than they save
    (on a loaded two-core machine, much more).
    """
    driver = await driver_connection(session)
    transaction = current_transaction(session)
    info = getattr(session, "info", None)
    if info is None or transaction is None or info.get(_TUNED) is not transaction:
        await driver.execute(
            "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_seqscan = off;"
            " SET LOCAL max_parallel_workers_per_gather = 0"
        )
        if info is not None:  # once a transaction: SET LOCAL lasts until it ends
            info[_TUNED] = transaction
    return driver


_POST_SELECT = (
    "SELECT id, occupation_code, city_code, district_code, wage_min_fen, wage_max_fen,"
    " min_education, required_skills FROM job_posts WHERE status = 'open'"
)


def _filter_sql(filters: PostFilters, args: list[Any]) -> str:
    sql = ""
    for column, value in (
        ("district_code", filters.district_code),
        ("city_code", filters.city_code),
        ("kind", filters.kind.value if filters.kind else None),
    ):
        if value is not None:
            args.append(value)
            sql += f" AND {column} = ${len(args)}"
    if filters.min_wage_fen is not None:
        args.append(filters.min_wage_fen)
        sql += f" AND wage_max_fen >= ${len(args)}"
    if filters.specialized_zone is not None:
        args.append(filters.specialized_zone)
        sql += f" AND specialized_zone = ${len(args)}"
    return sql


async def post_candidates(
    session: AsyncSession, seeker: SeekerProfile, filters: PostFilters
) -> list[PostProfile]:
    """Open posts worth scoring for a seeker, most specific probes first, each capped."""
    args: list[Any] = []
    base = _POST_SELECT + _filter_sql(filters, args)

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}::text[]"

    regions = seeker.desired_regions
    if filters.region_fixed:  # the filter decides where; wishes still rank within it
        regions = (filters.district_code or filters.city_code or "",)
    cities = sorted({r[:4] for r in regions})
    districts = sorted({r for r in seeker.desired_regions if len(r) == 6})
    occupations = sorted(set(seeker.desired_occupations))
    minors = sorted({occupation_minor_group(o) for o in occupations})
    skills = sorted(seeker.skills)
    probes = []
    if occupations and districts and not filters.region_fixed:
        probes.append(
            f"({base} AND occupation_code = ANY({arg(occupations)})"
            f" AND district_code = ANY({arg(districts)}) LIMIT {EXACT_PROBE_LIMIT})"
        )
    if minors and cities and skills:
        keys = [f"{m}|{c}|{s}" for m in minors for c in cities for s in skills]
        probes.append(f"({base} AND match_keys && {arg(keys)} LIMIT {PROBE_LIMIT})")
    if minors and cities:
        keys = [f"{m}|{c}" for m in minors for c in cities]
        probes.append(f"({base} AND match_keys && {arg(keys)} LIMIT {NEAR_PROBE_LIMIT})")
    if cities and skills:
        keys = [f"{c}|{s}" for c in cities for s in skills]
        probes.append(f"({base} AND match_keys && {arg(keys)} LIMIT {NEAR_PROBE_LIMIT})")
    areas = sorted({area_of(c) for c in cities})
    if minors and areas and skills:
        keys = [f"{m}|{a}|{s}" for m in minors for a in areas for s in skills]
        probes.append(f"({base} AND match_keys && {arg(keys)} LIMIT {NEAR_PROBE_LIMIT})")
    if minors:
        probes.append(
            f"({base} AND occupation_minor = ANY({arg(minors)}) LIMIT {WIDE_PROBE_LIMIT})"
        )
    if not probes:  # no wishes at all: the newest posts where the seeker wants to work
        where = f" AND city_code = ANY({arg(cities)})" if cities else ""
        probes.append(f"({base}{where} ORDER BY opened_at DESC, id DESC LIMIT {FALLBACK_LIMIT})")
    rows = await (await _driver(session)).fetch(" UNION ".join(probes), *args)
    return [post_profile(r) for r in rows]


_SEEKER_SELECT = (
    "SELECT id, education, skills, desired_occupations, desired_regions, desired_wage_fen"
    " FROM seekers WHERE open_to_offers"
)


async def seeker_candidates(session: AsyncSession, post: PostProfile) -> list[SeekerProfile]:
    """Seekers worth scoring for a post: who want its 小类 in its city, who want its city and
    have one of its skills, and who want its 小类 anywhere; each probe capped."""
    minor = occupation_minor_group(post.occupation_code)
    args: list[Any] = [
        [f"{minor}|{post.city_code}"],
        [minor],
        [f"{minor}|{area_of(post.city_code)}"],
    ]
    probes = [
        f"({_SEEKER_SELECT} AND match_keys && $1::text[] LIMIT {PROBE_LIMIT})",
        f"({_SEEKER_SELECT} AND desired_minor_groups @> $2::text[] LIMIT {WIDE_PROBE_LIMIT})",
        f"({_SEEKER_SELECT} AND match_keys && $3::text[] LIMIT {PROBE_LIMIT})",
    ]
    if post.required_skills:
        args.append([f"{post.city_code}|{s}" for s in sorted(post.required_skills)])
        probes.append(f"({_SEEKER_SELECT} AND match_keys && $4::text[] LIMIT {NEAR_PROBE_LIMIT})")
    rows = await (await _driver(session)).fetch(" UNION ".join(probes), *args)
    return [seeker_profile(r) for r in rows]


# A page's columns: not the search documents nor the candidate keys (kilobytes a row that
# no page shows).
PAGE_COLUMNS = ", ".join(
    f"p.{c.name}"
    for c in job_posts.c
    if c.name not in ("search_vector", "match_keys", "search_doc")
)


async def posts_by_ids(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Mapping[str, Any]]:
    """Post rows (with the enterprise's name) by id, as mappings."""
    if not ids:
        return {}
    rows = await (await _driver(session)).fetch(
        f"SELECT {PAGE_COLUMNS}, e.name AS enterprise_name FROM job_posts p"
        " JOIN enterprises e ON e.uscc = p.enterprise_uscc WHERE p.id = ANY($1::uuid[])",
        list(ids),
    )
    return {r["id"]: r for r in rows}


async def seekers_by_ids(session: AsyncSession, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Any]:
    if not ids:
        return {}
    query = select(seekers).where(seekers.c.id.in_(ids))
    return {r.id: r for r in (await session.execute(query)).all()}


async def search_posts(
    session: AsyncSession,
    *,
    text: str | None,
    filters: PostFilters,
    limit: int,
    after: tuple[datetime, uuid.UUID] | None = None,
) -> list[Any]:
    """Open posts, newest first, matching every token of `text` (jieba) and the filters."""
    c = job_posts.c
    conditions = filters.conditions()
    if text:
        tokens = query_tokens(text)
        if tokens:
            conditions.append(
                c.search_vector.op("@@")(func.plainto_tsquery("simple", " ".join(tokens)))
            )
    if after is not None:
        conditions.append(tuple_(c.opened_at, c.id) < tuple_(*after))
    columns = [col for col in job_posts.c if col.name != "search_vector"]
    query = (
        select(*columns, enterprises.c.name.label("enterprise_name"))
        .join(enterprises, enterprises.c.uscc == c.enterprise_uscc)
        .where(and_(*conditions))
        .order_by(c.opened_at.desc(), c.id.desc())
        .limit(limit)
    )
    return list((await session.execute(query)).all())
