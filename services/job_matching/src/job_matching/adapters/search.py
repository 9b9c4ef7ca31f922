"""Search storage and queries: the weighted search document of a post, the vocabulary
(`search_terms`), ranked search over open posts, and autocomplete.

Ranking (best first): `ts_rank` over the weighted lexemes (title/occupation 1.0, enterprise and
skills 0.4, place 0.2, description 0.1), plus freshness (up to 0.1, halving about every three
weeks) and, when the caller gives a place (`near`), nearness (same district 0.2, same city
0.1). Only the newest `WINDOW` matching posts are ranked, so a query that matches tens of
thousands of posts ranks the recent ones (bounded work, as matching's candidate probes).
No word matches at all: the words are relaxed to "any of them" and the page says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.matching import PostFilters, _driver, _filter_sql
from job_matching.adapters.tables import enterprises, job_posts, search_terms
from job_matching.search import (
    RECENT_TIERS,
    PostText,
    QueryRun,
    Term,
    Vocabulary,
    clause_words,
    completion_key,
    lookup_keys,
    post_lexemes,
    post_terms,
    query_clauses,
    query_runs,
    recent_days,
    tsquery_text,
    within_days,
    within_region,
)
from suxin_common import codes

WINDOW = 200
CHINA = ZoneInfo("Asia/Shanghai")
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A
PINYIN_ALTERNATIVES = 5
INITIALS_ALTERNATIVES = 3
COMPLETIONS = 8
SUGGESTION_KINDS = ("title", "word", "skill", "enterprise", "occupation", "place")

DOC_SQL = (
    "setweight(array_to_tsvector(CAST(:a AS text[])), 'A')"
    " || setweight(array_to_tsvector(CAST(:b AS text[])), 'B')"
    " || setweight(array_to_tsvector(CAST(:c AS text[])), 'C')"
    " || setweight(array_to_tsvector(CAST(:d AS text[])), 'D')"
)
TERMS_SQL = (
    "INSERT INTO search_terms (term, kind, pinyin, initials, posts)"
    " VALUES (:term, :kind, :pinyin, :initials, :n)"
    " ON CONFLICT (term) DO UPDATE SET posts = search_terms.posts + EXCLUDED.posts"
)


def post_text_of(row: Mapping[str, Any]) -> PostText:
    """What search reads of a post row (with `enterprise_name`), names from the code tables."""
    return PostText(
        title=row["title"],
        description=row["description"] or "",
        enterprise_name=row["enterprise_name"],
        skills=tuple(row["required_skills"] or ()),
        occupation_name=codes.name_of("occupations", row["occupation_code"]),
        city_name=codes.name_of("regions", row["city_code"]),
        district_name=codes.name_of("regions", row["district_code"]),
        opened_on=china_date(row.get("opened_at")),
        region_codes=tuple(c for c in (row["city_code"], row["district_code"]) if c),
    )


def china_date(moment: datetime | None) -> date | None:
    return moment.astimezone(CHINA).date() if moment else None


def search_doc_value(lexemes: Mapping[str, list[str]]) -> Any:
    """The `search_doc` of a post as a SQL expression (for an INSERT's values)."""
    parts = [
        func.setweight(
            func.array_to_tsvector(cast(lexemes[w], ARRAY(Text))), literal_column(f"'{w}'")
        )
        for w in ("A", "B", "C", "D")
    ]
    doc = parts[0]
    for part in parts[1:]:
        doc = doc.op("||")(part)
    return doc


def _add_terms_statement():
    stmt = insert(search_terms)
    return stmt.on_conflict_do_update(
        index_elements=[search_terms.c.term],
        set_={"posts": search_terms.c.posts + stmt.excluded.posts},
    )


_ADD_TERMS = _add_terms_statement()


async def add_terms(session: AsyncSession, terms: Sequence[Term]) -> None:
    """Count a newly opened post in the vocabulary (in the publishing transaction). In term
    order, so two posts sharing terms lock them in the same order."""
    if not terms:
        return
    rows = [t.__dict__ | {"posts": 1} for t in sorted(terms, key=lambda t: t.term)]
    await session.execute(_ADD_TERMS, rows)


async def index_opened_post(session: AsyncSession, post_id: uuid.UUID) -> None:
    """A draft that opens: its document gets the day it opened, the vocabulary its terms."""
    row = (
        (
            await session.execute(
                select(*job_posts.c, enterprises.c.name.label("enterprise_name"))
                .join(enterprises, enterprises.c.uscc == job_posts.c.enterprise_uscc)
                .where(job_posts.c.id == post_id)
            )
        )
        .mappings()
        .one()
    )
    text = post_text_of(row)
    await session.execute(
        update(job_posts)
        .where(job_posts.c.id == post_id)
        .values(search_doc=search_doc_value(post_lexemes(text)))
    )
    await add_terms(session, post_terms(text))


async def _vocabulary(driver: Any, runs: list[QueryRun]) -> Vocabulary:
    """One round trip: which words are terms, which terms a pinyin starts (exact first),
    which terms have exactly the typed initials, and the most used terms the last word
    starts (its completions: exact lexemes, which the GIN index reads fast)."""
    terms, pinyin, initials = lookup_keys(runs)
    last = completion_key(runs)
    rows = await driver.fetch(
        "SELECT term AS key, term, 'k' AS how FROM search_terms WHERE term = ANY($1::text[])"
        " UNION ALL SELECT w.q, t.term, 'p' FROM unnest($2::text[]) AS w(q) CROSS JOIN LATERAL"
        " (SELECT term FROM search_terms WHERE pinyin ~>=~ w.q AND pinyin ~<~ (w.q || '{')"
        " AND posts > 0"
        " AND kind <> 'title' AND kind <> 'enterprise'"
        f" ORDER BY pinyin = w.q DESC, posts DESC, term LIMIT {PINYIN_ALTERNATIVES}) t"
        " UNION ALL SELECT w.q, t.term, 'i' FROM unnest($3::text[]) AS w(q) CROSS JOIN LATERAL"
        " (SELECT term FROM search_terms WHERE initials = w.q AND posts > 0"
        " AND kind <> 'title' AND kind <> 'enterprise'"
        f" ORDER BY posts DESC, term LIMIT {INITIALS_ALTERNATIVES}) t"
        " UNION ALL SELECT $4::text, t.term, 'c' FROM (SELECT term FROM search_terms"
        " WHERE $4::text IS NOT NULL AND term ~>=~ $4::text AND term ~<~ ($4::text || chr(1114111))"
        f" AND term <> $4::text AND posts > 0 ORDER BY posts DESC, term LIMIT {COMPLETIONS}) t",
        terms,
        pinyin,
        initials,
        last,
    )
    known = frozenset(r["term"] for r in rows if r["how"] == "k")
    by_pinyin: dict[str, list[str]] = {}
    by_initials: dict[str, list[str]] = {}
    completions: dict[str, list[str]] = {}
    for r in rows:
        if r["how"] == "p":
            by_pinyin.setdefault(r["key"], []).append(r["term"])
        elif r["how"] == "i":
            by_initials.setdefault(r["key"], []).append(r["term"])
        elif r["how"] == "c":
            completions.setdefault(r["key"], []).append(r["term"])
    return Vocabulary(
        known=known,
        by_pinyin={k: tuple(v) for k, v in by_pinyin.items()},
        by_initials={k: tuple(v) for k, v in by_initials.items()},
        completions={k: tuple(v) for k, v in completions.items()},
    )


@dataclass(frozen=True)
class SearchResult:
    ids: list[uuid.UUID]
    more: bool
    groups: list[list[str]]  # how the query was read: each word's alternatives
    relaxed: bool  # no post had every word; posts with any of them


async def search_posts(
    session: AsyncSession,
    *,
    text: str,
    filters: PostFilters,
    near: str | None,
    offset: int,
    limit: int,
) -> SearchResult:
    """Open posts for a query, best first (see the module docstring)."""
    driver = await _driver(session)
    runs = query_runs(text)
    if not runs:
        return SearchResult([], False, [], False)
    vocabulary = await _vocabulary(driver, runs)
    clauses = query_clauses(runs, vocabulary)
    words = clause_words(clauses)
    completions = vocabulary.completions.get(completion_key(runs) or "", ())
    for relaxed in (False, True):
        query = tsquery_text(clauses, any_clause=relaxed, completions=completions)
        ids, more = await _ranked(driver, query, filters, near, offset, limit)
        if ids or offset or len(clauses) == 1:
            return SearchResult(ids, more, words, relaxed)
    return SearchResult([], False, words, True)


async def _ranked(
    driver: Any, query: str, filters: PostFilters, near: str | None, offset: int, limit: int
) -> tuple[list[uuid.UUID], bool]:
    """The page, ranked among the newest WINDOW matches: from the last few days when they
    hold that many (the day lexemes narrow the GIN scan, so a broad query reads few rows),
    else from every open post. A city or district filter is a lexeme in the index too."""
    today = datetime.now(CHINA).date()
    matching = query
    for code in (filters.district_code, filters.city_code):
        if code:
            matching = within_region(matching, code)
    # Index scans off: on its own estimates the planner walks the opened_at index and tests
    # every post until it has WINDOW matches (60-100 ms at 20k posts); the GIN bitmap is cheap.
    await driver.execute("SET LOCAL enable_indexscan = off")
    try:
        tiers = list(RECENT_TIERS)
        while tiers:
            days = tiers.pop(0)
            narrowed = within_days(matching, recent_days(today, days)) if days else matching
            ids, more, candidates = await _ranked_within(
                driver, narrowed, query, filters, near, offset, limit
            )
            if days is None or candidates >= WINDOW:
                return ids, more
            if tiers and tiers[0] and candidates * tiers[0] / days < WINDOW:
                tiers = [None]  # the next stretch would not hold enough either
        raise AssertionError("the last tier takes every day")
    finally:
        await driver.execute("SET LOCAL enable_indexscan = on")


async def _ranked_within(
    driver: Any,
    narrowed: str,
    query: str,
    filters: PostFilters,
    near: str | None,
    offset: int,
    limit: int,
) -> tuple[list[uuid.UUID], bool, int]:
    args: list[Any] = [narrowed, query]
    where = _filter_sql(filters, args)
    near_sql = "0"
    if near:
        args += [near, near[:4]]
        d, c = len(args) - 1, len(args)
        near_sql = (
            f"CASE WHEN c.district_code = ${d} THEN 0.2 WHEN c.city_code = ${c} THEN 0.1 ELSE 0 END"
        )
    args += [offset, limit + 1]
    o, n = len(args) - 1, len(args)
    # The GIN index finds the matches; only the newest WINDOW of them are ranked.
    rows = await driver.fetch(
        "WITH candidates AS ("
        " SELECT id, opened_at, district_code, city_code, search_doc FROM job_posts"
        f" WHERE status = 'open' AND search_doc @@ $1::tsquery{where}"
        f" ORDER BY opened_at DESC, id DESC LIMIT {WINDOW})"
        " SELECT c.id, (SELECT count(*) FROM candidates) AS candidates FROM candidates c"
        f" ORDER BY ts_rank('{RANK_WEIGHTS}', c.search_doc, $2::tsquery)"
        " + 0.1 * exp(-extract(epoch FROM now() - c.opened_at) / 2592000.0)"
        f" + {near_sql} DESC, c.id DESC OFFSET ${o} LIMIT ${n}",
        *args,
    )
    ids = [r["id"] for r in rows]
    candidates = rows[0]["candidates"] if rows else 0
    return ids[:limit], len(ids) > limit, candidates


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


async def suggest(session: AsyncSession, text: str, limit: int) -> list[Mapping[str, Any]]:
    """Terms starting with the typed text, its pinyin or its initials; most posts first."""
    from job_matching.search import normalize

    typed = normalize(text)
    if not typed:
        return []
    driver = await _driver(session)
    return await driver.fetch(
        "SELECT term, kind, posts FROM search_terms WHERE posts > 0 AND"
        " (term LIKE $1 OR pinyin LIKE $1 OR initials LIKE $1)"
        " ORDER BY posts DESC, length(term), term LIMIT $2",
        _like_prefix(typed),
        limit,
    )
