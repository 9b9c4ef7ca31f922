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
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Text, cast, func, literal_column, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from job_matching.adapters.matching import PAGE_COLUMNS as _PAGE_COLUMNS
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
    estimated_matches,
    lookup_keys,
    post_lexemes,
    post_terms,
    query_clauses,
    query_runs,
    recent_days,
    synonyms_of,
    tsquery_text,
    within_days,
    within_region,
)
from suxin_common import codes

WINDOW = 200
# Posts stay open about this long (the bench opens them over 60 days): the recent days' share.
SPAN_DAYS = 60
RECENT_DAYS = (2, 3)
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
    # The words' synonyms too, for their post counts (the estimate of how many posts match).
    terms = sorted(set(terms) | {x for w in terms for x in synonyms_of(w)})
    last = completion_key(runs)
    rows = await driver.fetch(
        "SELECT term AS key, term, 'k' AS how, posts FROM search_terms"
        " WHERE term = ANY($1::text[])"
        " UNION ALL SELECT w.q, t.term, 'p', t.posts FROM unnest($2::text[]) AS w(q)"
        " CROSS JOIN LATERAL (SELECT term, posts FROM search_terms"
        " WHERE pinyin ~>=~ w.q AND pinyin ~<~ (w.q || '{') AND posts > 0"
        " AND kind <> 'title' AND kind <> 'enterprise'"
        f" ORDER BY pinyin = w.q DESC, posts DESC, term LIMIT {PINYIN_ALTERNATIVES}) t"
        " UNION ALL SELECT w.q, t.term, 'i', t.posts FROM unnest($3::text[]) AS w(q)"
        " CROSS JOIN LATERAL (SELECT term, posts FROM search_terms"
        " WHERE initials = w.q AND posts > 0 AND kind <> 'title' AND kind <> 'enterprise'"
        f" ORDER BY posts DESC, term LIMIT {INITIALS_ALTERNATIVES}) t"
        " UNION ALL SELECT $4::text, t.term, 'c', t.posts FROM (SELECT term, posts"
        " FROM search_terms WHERE $4::text IS NOT NULL AND term ~>=~ $4::text"
        " AND term ~<~ ($4::text || chr(1114111))"
        f" AND term <> $4::text AND posts > 0 ORDER BY posts DESC, term LIMIT {COMPLETIONS}) t"
        # about how many posts there are (the planner's count, kept by autovacuum)
        " UNION ALL SELECT NULL, NULL, 'n', greatest(reltuples, 0)::int FROM pg_class"
        " WHERE oid = 'job_posts'::regclass",
        terms,
        pinyin,
        initials,
        last,
    )
    known = frozenset(r["term"] for r in rows if r["how"] == "k")
    posts = {r["term"]: r["posts"] for r in rows if r["how"] != "n"}
    total = next((r["posts"] for r in rows if r["how"] == "n"), 0)
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
        posts=posts,
        total_posts=total,
    )


@dataclass(frozen=True)
class SearchResult:
    ids: list[uuid.UUID]
    more: bool
    groups: list[list[str]]  # how the query was read: each word's alternatives
    relaxed: bool  # no post had every word; posts with any of them
    # the page's post rows (with `enterprise_name`), read in the same statement
    rows: Mapping[uuid.UUID, Mapping[str, Any]] = field(default_factory=dict)


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
        estimate = None if relaxed else estimated_matches(clauses, vocabulary, completions)
        rows, more = await _ranked(driver, query, filters, near, offset, limit, estimate)
        if rows or offset or len(clauses) == 1:
            return SearchResult([r["id"] for r in rows], more, words, relaxed, _by_id(rows))
    return SearchResult([], False, words, True)


def _by_id(rows: list[Any]) -> dict[uuid.UUID, Mapping[str, Any]]:
    return {r["id"]: r for r in rows}


def recent_window(estimate: float | None, filters: PostFilters) -> int | None:
    """How many recent days to read first (None: every day), from the estimated matches.

    The recent days hold the newest matches, so when they hold WINDOW of them they are the
    ones ranked: the fewer days read, the fewer posts the GIN bitmap hands to the heap. With
    posts opened over about SPAN_DAYS, a query matching `estimate` posts (a city filter keeps
    about 1/13 of them, a district about 1/95) has estimate / SPAN_DAYS a day; the window is
    the fewest days (today counted as half) expected to hold 1.5 x WINDOW. No estimate: the
    first of RECENT_TIERS. Wrong guesses cost time, never results."""
    if estimate is None:
        return RECENT_TIERS[0]
    if filters.district_code:
        estimate /= 95
    elif filters.city_code:
        estimate /= 13
    per_day = estimate / SPAN_DAYS
    for days in RECENT_DAYS:
        if per_day * (days - 0.5) >= 1.5 * WINDOW:  # today has only begun: half a day
            return days
    return None


async def _ranked(
    driver: Any,
    query: str,
    filters: PostFilters,
    near: str | None,
    offset: int,
    limit: int,
    estimate: float | None,
) -> tuple[list[Any], bool]:
    """The page's rows, ranked among the newest WINDOW matches, in one statement: from the
    last few days (:func:`recent_window`) when they hold that many (the day lexemes narrow
    the GIN scan, so a broad query reads few rows), else from every open post (a branch the
    executor skips when the recent days sufficed). A city or district filter is a lexeme in
    the index too. The ORDER BY of the candidates is an expression (opened_at plus nothing)
    so that the planner cannot walk the opened_at index testing every post until it has
    WINDOW matches (60-100 ms at 20k posts): the GIN bitmap is the cheap path."""
    matching = query
    for code in (filters.district_code, filters.city_code):
        if code:
            matching = within_region(matching, code)
    days = recent_window(estimate, filters)
    if days is not None:
        narrowed = within_days(matching, recent_days(datetime.now(CHINA).date(), days))
    else:
        narrowed = matching
    args: list[Any] = [narrowed, matching, query]
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

    def candidates(tsquery: str, gate: str = "") -> str:
        return (
            "SELECT id, opened_at, district_code, city_code, search_doc FROM job_posts"
            f" WHERE {gate}status = 'open' AND search_doc @@ {tsquery}::tsquery{where}"
            f" ORDER BY opened_at + interval '0' DESC, id DESC LIMIT {WINDOW}"
        )

    # Every day only when the recent days held fewer than WINDOW (a one-time filter).
    wide = (
        candidates("$2", f"(SELECT count(*) FROM recent) < {WINDOW} AND ")
        if days is not None
        else candidates("$2", "false AND ")
    )
    rows = await driver.fetch(
        f"WITH recent AS MATERIALIZED ({candidates('$1')}), wide AS MATERIALIZED ({wide}),"
        " candidates AS (SELECT * FROM wide UNION ALL SELECT * FROM recent"
        " WHERE NOT EXISTS (SELECT FROM wide)),"
        " top AS (SELECT c.id, row_number() OVER (ORDER BY"
        f" ts_rank('{RANK_WEIGHTS}', c.search_doc, $3::tsquery)"
        " + 0.1 * exp(-extract(epoch FROM now() - c.opened_at) / 2592000.0)"
        f" + {near_sql} DESC, c.id DESC) AS place FROM candidates c"
        f" ORDER BY place OFFSET ${o} LIMIT ${n})"
        f" SELECT {_PAGE_COLUMNS}, e.name AS enterprise_name FROM top"
        " JOIN job_posts p ON p.id = top.id JOIN enterprises e ON e.uscc = p.enterprise_uscc"
        " ORDER BY top.place",
        *args,
    )
    return rows[:limit], len(rows) > limit


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
