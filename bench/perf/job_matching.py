"""Recommendation and search latency of job-matching at scale, for `make bench`.

``await measure(database_url)`` migrates the (scratch) database it is given, fills it with a
generated market in steps (by default 20,000 then 200,000 open posts, with 10,000 then 100,000
seekers), and after each step times, through the same code the endpoints run:

- jobs for a seeker, top 20 (candidate probes + scoring + the page's post rows);
- seekers for a post, top 20;
- full-text search (jieba tokens in a `simple` tsvector, GIN), newest 20, with a city filter;
- if the server offers pg_trgm: the same searches as `ILIKE '%…%'` on a trigram GIN index,
  with its build time and size next to the tsvector's, and whether it finds the same posts.

Returns a dict of figures (milliseconds). Scratch data only: never point it at a real database.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching import search
from job_matching.adapters import matching as match_repo
from job_matching.adapters.tables import job_posts
from job_matching.domain.matching import (
    SeekerProfile,
    post_match_keys,
    rank_posts,
    rank_seekers,
    seeker_match_keys,
)
from job_matching.domain.model import Education
from suxin_common.db import asyncpg_dsn, session_factory
from suxin_common.migrate import upgrade_async
from suxin_common.regions import JIANGSU_CITIES
from suxin_devkit.testing import make_uscc

CITIES = list(JIANGSU_CITIES)
DISTRICTS = [f"{c}{d:02d}" for c in CITIES for d in (2, 3, 4, 5, 11, 12, 81, 82)]
# Occupation 小类 -> (fine codes, skills, title words): a small 职业分类大典-shaped world.
GROUPS: dict[str, tuple[list[str], list[str], list[str]]] = {}
_ROLES = [
    (
        "2-02-10",
        ["python", "java", "sql", "linux", "docker", "前端", "测试", "算法"],
        "软件开发工程师",
    ),
    ("2-02-13", ["plc", "电气", "cad", "自动化", "调试", "单片机", "传感器"], "电气工程师"),
    ("2-06-01", ["会计", "税务", "excel", "审计", "财务分析", "用友"], "会计"),
    ("4-01-02", ["电商", "客服", "直播", "运营", "文案", "短视频"], "电商运营专员"),
    ("4-02-06", ["叉车", "仓储", "配送", "驾驶", "分拣", "盘点"], "仓储配送员"),
    ("4-03-01", ["烹饪", "面点", "食品安全", "营养", "冷菜"], "厨师"),
    ("4-10-01", ["护理", "养老", "康复", "急救", "心理疏导"], "养老护理员"),
    ("6-18-01", ["数控", "车床", "铣床", "机械制图", "cnc", "质量检验"], "数控机床操作工"),
    ("6-18-02", ["焊接", "氩弧焊", "机器人", "钣金", "装配"], "焊工"),
    ("6-31-03", ["质量检验", "iso9001", "spc", "计量", "检测"], "质检员"),
    ("6-24-01", ["电工", "维修", "高压", "配电", "plc"], "维修电工"),
    ("6-29-01", ["钢筋", "木工", "砌筑", "测量", "施工"], "建筑施工员"),
]
for _minor, _skills, _title in _ROLES:
    GROUPS[_minor] = ([f"{_minor}-{n:02d}" for n in range(1, 6)], _skills, [_title])
ADJECTIVES = ["资深", "初级", "高级", "储备", "见习", "熟练", "驻厂", "夜班", "全职", "急招"]
PLACES = ["智能制造产线", "新能源工厂", "物流园区", "社区养老中心", "软件园", "港口", "商业综合体"]
QUERIES = ["工程师", "机器人焊接", "养老护理", "仓储配送", "数控", "软件开发", "电商运营", "质检"]
KINDS = ["full_time"] * 6 + ["part_time", "internship", "public_welfare", "gig"]


def _post_text(rng: random.Random, minor: str) -> tuple[str, str]:
    title = rng.choice(ADJECTIVES) + GROUPS[minor][2][0]
    description = (
        f"工作地点位于{rng.choice(PLACES)}，负责{'、'.join(rng.sample(GROUPS[minor][1], 2))}"
        f"相关工作，{rng.choice(['五险一金', '包吃住', '双休', '年终奖'])}。"
    )
    return title, description


async def _fill(conn: asyncpg.Connection, rng: random.Random, posts: int, seekers: int) -> None:
    await conn.execute(
        "INSERT INTO enterprises (uscc, name, city_code, district_code, industry_code, size,"
        " specialized_sme) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
        " $5::text[], $6::text[], $7::bool[]) ON CONFLICT DO NOTHING",
        *zip(
            *[
                (make_uscc(n), f"企业{n}", d[:4], d, "C", "small", n % 7 == 0)
                for n, d in ((n, DISTRICTS[n % len(DISTRICTS)]) for n in range(1, 2001))
            ],
            strict=True,
        ),
    )
    tokens_cache: dict[tuple[str, str], str] = {}
    rows = []
    for _ in range(posts):
        minor = rng.choice(list(GROUPS))
        title, description = _post_text(rng, minor)
        key = (title, description)
        if key not in tokens_cache:
            tokens_cache[key] = search.document_tokens(title, description)
        n = rng.randint(1, 2000)
        district = DISTRICTS[n % len(DISTRICTS)] if rng.random() < 0.5 else rng.choice(DISTRICTS)
        low = rng.randrange(3000, 15000, 500) * 100
        occupation = rng.choice(GROUPS[minor][0])
        skills = sorted(rng.sample(GROUPS[minor][1], rng.randint(1, 4)))
        rows.append(
            (
                uuid.uuid4(),
                make_uscc(n),
                title,
                description,
                occupation,
                minor,
                district[:4],
                district,
                rng.choice(KINDS),
                "open",
                rng.randint(1, 20),
                low,
                low + rng.randrange(1000, 8000, 500) * 100,
                skills,
                rng.choice([None, "senior_secondary", "junior_college", "bachelor"]),
                n % 7 == 0,
                tokens_cache[key],
                post_match_keys(occupation, district[:4], skills),
            )
        )
    await conn.execute(
        "CREATE TEMP TABLE bench_posts (id uuid, enterprise_uscc text, title text,"
        " description text, occupation_code text, occupation_minor text, city_code text,"
        " district_code text, kind text, status text, headcount int, wage_min_fen bigint,"
        " wage_max_fen bigint, required_skills text[], min_education text,"
        " specialized_zone bool, tokens text, match_keys text[])"
    )
    await conn.copy_records_to_table("bench_posts", records=rows)
    await conn.execute(
        "INSERT INTO job_posts (id, enterprise_uscc, title, description, occupation_code,"
        " occupation_minor, city_code, district_code, kind, status, headcount, wage_min_fen,"
        " wage_max_fen, required_skills, min_education, specialized_zone, search_vector,"
        " match_keys, opened_at) SELECT id, enterprise_uscc, title, description,"
        " occupation_code, occupation_minor, city_code, district_code, kind, status, headcount,"
        " wage_min_fen, wage_max_fen, required_skills, min_education, specialized_zone,"
        " to_tsvector('simple', tokens), match_keys, now() - random() * interval '60 days'"
        " FROM bench_posts"
    )
    await conn.execute("DROP TABLE bench_posts")
    base = await conn.fetchval("SELECT count(*) FROM seekers")
    people = []
    for i in range(base, base + seekers):
        profile = _seeker(rng)
        people.append(
            (
                uuid.uuid4(),
                f"pk_bench{i:024d}",
                "bench",
                "3210**********0000",
                rng.choice(["male", "female"]),
                rng.randint(1970, 2004),
                profile.education.value,
                sorted(profile.skills),
                list(profile.desired_occupations),
                sorted({o.rsplit("-", 1)[0] for o in profile.desired_occupations}),
                list(profile.desired_regions),
                sorted({r[:4] for r in profile.desired_regions}),
                profile.desired_wage_fen,
                seeker_match_keys(
                    profile.desired_occupations, profile.desired_regions, profile.skills
                ),
            )
        )
    await conn.copy_records_to_table(
        "seekers",
        records=people,
        columns=[
            "id",
            "person_key",
            "resident_id_encrypted",
            "resident_id_masked",
            "gender",
            "birth_year",
            "education",
            "skills",
            "desired_occupations",
            "desired_minor_groups",
            "desired_regions",
            "desired_cities",
            "desired_wage_fen",
            "match_keys",
        ],
    )
    await conn.execute("ANALYZE")


def _seeker(rng: random.Random) -> SeekerProfile:
    minor = rng.choice(list(GROUPS))
    return SeekerProfile(
        id=uuid.uuid4(),
        education=rng.choice(list(Education)[1:]),
        skills=frozenset(rng.sample(GROUPS[minor][1], rng.randint(1, 4))),
        desired_occupations=(rng.choice(GROUPS[minor][0]),),
        desired_regions=(rng.choice(DISTRICTS),),
        desired_wage_fen=rng.randrange(3000, 15000, 500) * 100,
    )


async def _timed(runs: int, call: Callable[[int], Awaitable[Any]]) -> dict[str, float]:
    for i in range(5):  # warm caches and connections
        await call(i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2),
        "p99_ms": round(samples[int(0.99 * (len(samples) - 1))], 2),
        "runs": runs,
    }


async def _latencies(url: str, rng: random.Random, runs: int) -> dict[str, Any]:
    engine = create_async_engine(url, pool_size=2)
    sessions = session_factory(engine)
    profiles = [_seeker(rng) for _ in range(runs + 5)]
    try:
        async with sessions() as session:
            post_rows = (
                await session.execute(
                    select(*match_repo.POST_COLUMNS)
                    .where(job_posts.c.status == "open")
                    .limit(runs + 5)
                )
            ).all()
        posts = [match_repo.post_profile(r._mapping) for r in post_rows]
        candidate_counts: list[int] = []

        async def jobs_for_seeker(i: int) -> None:
            async with sessions() as session:
                found = await match_repo.post_candidates(
                    session, profiles[i], match_repo.PostFilters()
                )
                candidate_counts.append(len(found))
                top = rank_posts(profiles[i], found, limit=21)
                await match_repo.posts_by_ids(session, [m.post_id for m in top[:20]])

        async def seekers_for_post(i: int) -> None:
            async with sessions() as session:
                found = await match_repo.seeker_candidates(session, posts[i])
                top = rank_seekers(posts[i], found, limit=21)
                await match_repo.seekers_by_ids(session, [m.seeker_id for m in top[:20]])

        async def full_text(i: int) -> None:
            async with sessions() as session:
                await match_repo.search_posts(
                    session,
                    text=QUERIES[i % len(QUERIES)],
                    filters=match_repo.PostFilters(city_code=CITIES[i % len(CITIES)]),
                    limit=21,
                )

        out = {
            "jobs_for_seeker_top20": await _timed(runs, jobs_for_seeker),
            "seekers_for_post_top20": await _timed(runs, seekers_for_post),
            "search_jieba_tsvector_top20": await _timed(runs, full_text),
        }
        out["jobs_for_seeker_top20"]["median_candidates"] = statistics.median(candidate_counts)
        return out
    finally:
        await engine.dispose()


async def _trigram(conn: asyncpg.Connection, runs: int) -> dict[str, Any]:
    if not await conn.fetchval("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"):
        return {"available": False}
    await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    await conn.execute("DROP INDEX IF EXISTS bench_trgm")
    start = time.perf_counter()
    await conn.execute(
        "CREATE INDEX bench_trgm ON job_posts USING gin ((title || ' ' || description)"
        " gin_trgm_ops) WHERE status = 'open'"
    )
    build_ms = (time.perf_counter() - start) * 1000
    sizes = await conn.fetchrow(
        "SELECT pg_relation_size('bench_trgm') AS trgm,"
        " pg_relation_size('ix_job_posts_search') AS tsv"
    )
    start = time.perf_counter()
    await conn.execute("REINDEX INDEX ix_job_posts_search")
    tsv_build_ms = (time.perf_counter() - start) * 1000
    samples, agreement = [], []
    for i in range(runs):
        query, city = QUERIES[i % len(QUERIES)], CITIES[i % len(CITIES)]
        start = time.perf_counter()
        await conn.fetch(
            "SELECT id FROM job_posts WHERE status = 'open' AND city_code = $1"
            " AND (title || ' ' || description) ILIKE $2 ORDER BY opened_at DESC, id DESC"
            " LIMIT 21",
            city,
            f"%{query}%",
        )
        samples.append((time.perf_counter() - start) * 1000)
        if i < len(QUERIES):
            like = await conn.fetchval(
                "SELECT count(*) FROM job_posts WHERE status = 'open'"
                " AND (title || ' ' || description) ILIKE $1",
                f"%{query}%",
            )
            tsv = await conn.fetchval(
                "SELECT count(*) FROM job_posts WHERE status = 'open'"
                " AND search_vector @@ plainto_tsquery('simple', $1)",
                " ".join(search.query_tokens(query)),
            )
            agreement.append({"query": query, "ilike_hits": like, "jieba_hits": tsv})
    samples.sort()
    ctype = await conn.fetchval(
        "SELECT datctype FROM pg_database WHERE datname = current_database()"
    )
    await conn.execute("DROP INDEX bench_trgm")
    return {
        "available": True,
        "lc_ctype": ctype,
        "trigram_index_build_ms": round(build_ms),
        "trigram_index_mb": round(sizes["trgm"] / 2**20, 1),
        "jieba_index_build_ms": round(tsv_build_ms),
        "jieba_index_mb": round(sizes["tsv"] / 2**20, 1),
        "search_trigram_ilike_top20": {
            "p50_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2),
            "runs": runs,
        },
        "hits": agreement,
    }


async def measure(
    database_url: str,
    *,
    steps: tuple[tuple[int, int], ...] = ((20_000, 10_000), (200_000, 100_000)),
    runs: int = 200,
    trigram: bool = True,
    seed: int = 2026,
) -> dict[str, Any]:
    """Fill `database_url` in steps of (open posts, seekers) and time each step."""
    await upgrade_async("job_matching", database_url)
    rng = random.Random(seed)
    search.warm_up()
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    results: dict[str, Any] = {"steps": []}
    try:
        have_posts = have_seekers = 0
        for posts, seekers in steps:
            start = time.perf_counter()
            await _fill(conn, rng, posts - have_posts, seekers - have_seekers)
            load_s = time.perf_counter() - start
            have_posts, have_seekers = posts, seekers
            step: dict[str, Any] = {
                "open_posts": posts,
                "seekers": seekers,
                "load_s": round(load_s, 1),
            }
            step |= await _latencies(database_url, rng, runs)
            if trigram:
                step["trigram"] = await _trigram(conn, min(runs, 100))
            results["steps"].append(step)
    finally:
        await conn.close()
    if len(results["steps"]) >= 2:
        first, last = results["steps"][0], results["steps"][-1]
        results["growth_p95"] = {
            name: round(last[name]["p95_ms"] / first[name]["p95_ms"], 2)
            for name in (
                "jobs_for_seeker_top20",
                "seekers_for_post_top20",
                "search_jieba_tsvector_top20",
            )
        }
    return results
