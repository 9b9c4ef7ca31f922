"""job_search: 苏心聘 search and autocomplete latency at 20k and 200k open posts (in-process, on
the database, as ``recommend``), against a primary-key lookup of a post in the same run.

The database is filled with generated posts of 2,000 enterprises across Jiangsu (titles,
occupations, skills, descriptions and places from small per-occupation lists, opened over
the last 60 days) with the same lexemes and vocabulary the service writes
(``job_matching.search``). Each timed search is what ``GET /v1/search/job-posts`` runs:
reading the query through the vocabulary, then the ranked search with the page's post rows
(top 20, one statement); each suggestion what ``GET /v1/search/suggestions`` runs.
Queries mix Chinese words, two words, pinyin, initials, a typo and a city filter.

Targets (issue 26): search p95 ≤ 20 ms, autocomplete p95 ≤ 10 ms at 200k posts.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import cache

import asyncpg
from sqlalchemy.ext.asyncio import create_async_engine

from bench.recommend import _pk_lookup_p95
from job_matching import search
from job_matching.adapters import matching as match_repo
from job_matching.adapters import search as search_repo
from suxin_common import codes
from suxin_common.db import asyncpg_dsn, session_factory
from suxin_common.migrate import upgrade_async
from suxin_devkit.testing import make_uscc

OCCUPATIONS = {
    "6-31-01-03": (["维修电工", "电工", "设备电工", "高压电工"], ["电工证", "plc", "电气维修"]),
    "6-18-02-04": (["焊工", "电焊工", "氩弧焊工"], ["焊接", "氩弧焊", "焊工证"]),
    "6-18-01-01": (["数控车工", "车工", "cnc车床操作工"], ["数控编程", "车床操作", "看图纸"]),
    "6-31-03-01": (["质检员", "质量检验员", "品检员"], ["质量检验", "三坐标测量"]),
    "6-99-00-00": (["普工", "生产操作工", "包装工"], ["吃苦耐劳"]),
    "2-02-10-03": (
        ["python后端开发工程师", "java开发工程师", "软件测试工程师"],
        ["python", "java"],
    ),
    "4-02-07-10": (["外卖骑手", "同城配送员"], ["电动车驾驶"]),
    "4-02-06-01": (["仓库管理员", "仓管员"], ["仓储管理", "叉车"]),
    "4-03-02-01": (["厨师", "中餐厨师", "面点师"], ["中式烹调", "面点制作"]),
    "4-10-01-05": (["养老护理员", "护工"], ["养老护理", "生活照料"]),
    "4-12-01-01": (["汽车维修工", "新能源汽车维修技师"], ["汽车维修", "故障诊断"]),
    "4-01-02-02": (["电商运营", "直播电商运营"], ["电商运营", "直播"]),
}
ADJECTIVES = ["", "资深", "储备", "见习", "熟练", "夜班", "急招"]
DESCRIPTIONS = [
    "负责{s}相关工作，五险一金，双休。",
    "岗前带薪培训，负责{s}，包吃住。",
    "负责日常{s}与记录，有经验者优先，年终奖。",
]
FIRM_WORDS = ["智能装备", "精密制造", "新能源", "物流", "食品", "电子科技", "软件", "船舶"]
FIRM_WORDS += ["风电装备", "医药科技", "汽车零部件", "家政服务", "养老服务", "餐饮管理", "电气"]
SUFFIXES = ["有限公司", "股份有限公司", "集团有限公司"]
DISTRICTS = [c.code for c in codes.table("regions").search(level=2)]

SEARCHES = [
    ("电工", None),
    ("焊工", None),
    ("数控 见习", None),
    ("扬州 电工", None),
    ("普工", "3202"),
    ("shukong", None),
    ("dg", None),
    ("质减员", None),
    ("python 南京", None),
    ("智能装备", None),
    ("厨师", "3201"),
    ("养老护理", None),
]
SUGGESTIONS = ["数", "数控", "shuk", "sk", "yangz", "dian", "扬州", "hg", "厨", "py"]


def _short(name: str) -> str:
    return name.removesuffix("市")


@cache
def _a(title: str, occupation: str) -> tuple[str, ...]:
    return tuple(search.title_lexemes(title, codes.name_of("occupations", occupation)))


@cache
def _b(firm: str, skills: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(search.party_lexemes(firm, skills))


@cache
def _c(district: str) -> tuple[str, ...]:
    return tuple(
        search.place_lexemes(
            codes.name_of("regions", district[:4]),
            codes.name_of("regions", district),
            (district[:4], district),
        )
    )


@cache
def _d(description: str) -> tuple[str, ...]:
    return tuple(search.description_lexemes(description))


def _text(**fields) -> search.PostText:
    base = dict(
        title="",
        description="",
        enterprise_name="",
        skills=(),
        occupation_name=None,
        city_name=None,
        district_name=None,
    )
    return search.PostText(**(base | fields))


@cache
def _title_terms(title: str, occupation: str) -> tuple:
    name = codes.name_of("occupations", occupation)
    return tuple(search.post_terms(_text(title=title, occupation_name=name)))


@cache
def _firm_terms(firm: str) -> tuple:
    return tuple(search.post_terms(_text(enterprise_name=firm)))


@cache
def _skill_terms(skills: tuple[str, ...]) -> tuple:
    return tuple(search.post_terms(_text(skills=skills)))


@cache
def _place_terms(district: str) -> tuple:
    city, name = codes.name_of("regions", district[:4]), codes.name_of("regions", district)
    return tuple(search.post_terms(_text(city_name=city, district_name=name)))


def _terms(title: str, firm: str, skills: tuple[str, ...], occupation: str, district: str):
    """A post's terms (as search.post_terms), from cached pieces: 200k posts in seconds."""
    found = {}
    for part in (
        _title_terms(title, occupation),
        _firm_terms(firm),
        _skill_terms(skills),
        _place_terms(district),
    ):
        for term in part:
            found.setdefault(term.term, term)
    return tuple(found.values())


async def _fill(conn: asyncpg.Connection, rng: random.Random, posts: int) -> None:
    firms = {}
    for n in range(1, 2001):
        district = DISTRICTS[n % len(DISTRICTS)]
        city = _short(codes.name_of("regions", district[:4]))
        firms[n] = (make_uscc(n), f"{city}{rng.choice(FIRM_WORDS)}{rng.choice(SUFFIXES)}", district)
    await conn.executemany(
        "INSERT INTO enterprises (uscc, name, city_code, district_code, industry_code, size)"
        " VALUES ($1, $2, $3, $4, 'C', 'small') ON CONFLICT DO NOTHING",
        [(u, name, d[:4], d) for u, name, d in firms.values()],
    )
    rows, vocabulary, counts = [], {}, Counter()
    now = datetime.now(UTC)
    for _ in range(posts):
        occupation = rng.choice(list(OCCUPATIONS))
        titles, skills_of = OCCUPATIONS[occupation]
        title = rng.choice(ADJECTIVES) + rng.choice(titles)
        skills = tuple(sorted(rng.sample(skills_of, rng.randint(1, len(skills_of)))))
        description = rng.choice(DESCRIPTIONS).format(s="、".join(skills))
        uscc, firm, district = firms[rng.randint(1, 2000)]
        opened_at = now - timedelta(seconds=rng.uniform(0, 60 * 86400))
        lexemes = search.by_weight(
            list(_a(title, occupation)),
            list(_b(firm, skills)),
            list(_c(district)),
            [*_d(description), search.day_lexeme(search_repo.china_date(opened_at))],
        )
        for term in _terms(title, firm, skills, occupation, district):
            vocabulary[term.term] = term
            counts[term.term] += 1
        kind = "internship" if title.startswith("见习") else "full_time"
        rows.append(
            (
                uuid.uuid4(),
                uscc,
                title,
                description,
                occupation,
                occupation.rsplit("-", 1)[0],
                district[:4],
                district,
                kind,
                list(skills),
                lexemes["A"],
                lexemes["B"],
                lexemes["C"],
                lexemes["D"],
                opened_at,
            )
        )
    await conn.execute(
        "CREATE TEMP TABLE bench_posts (id uuid, enterprise_uscc text, title text,"
        " description text, occupation_code text, occupation_minor text, city_code text,"
        " district_code text, kind text, skills text[], a text[], b text[], c text[], d text[],"
        " opened_at timestamptz)"
    )
    await conn.copy_records_to_table("bench_posts", records=rows)
    await conn.execute(
        "INSERT INTO job_posts (id, enterprise_uscc, title, description, occupation_code,"
        " occupation_minor, city_code, district_code, kind, status, headcount, wage_min_fen,"
        " wage_max_fen, required_skills, search_doc, opened_at) SELECT id, enterprise_uscc,"
        " title, description, occupation_code, occupation_minor, city_code, district_code,"
        " kind, 'open', 3, 500000, 900000, skills, setweight(array_to_tsvector(a), 'A')"
        " || setweight(array_to_tsvector(b), 'B') || setweight(array_to_tsvector(c), 'C')"
        " || setweight(array_to_tsvector(d), 'D'), opened_at"
        " FROM bench_posts"
    )
    await conn.execute("DROP TABLE bench_posts")
    await conn.executemany(
        "INSERT INTO search_terms (term, kind, pinyin, initials, posts)"
        " VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (term) DO UPDATE SET posts = search_terms.posts + EXCLUDED.posts",
        [(t.term, t.kind, t.pinyin, t.initials, counts[t.term]) for t in vocabulary.values()],
    )
    await conn.execute("ANALYZE")


def _stats(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(0.95 * (len(samples) - 1))], 2),
        "runs": len(samples),
    }


async def _time_searches(url: str, runs: int) -> dict:
    engine = create_async_engine(url)
    sessions = session_factory(engine)
    try:
        search.warm_up()
        results = {"search": [], "suggest": []}
        found = {}
        for i in range(runs + len(SEARCHES)):  # the first round warms the caches
            q, city = SEARCHES[i % len(SEARCHES)]
            t0 = time.perf_counter()
            async with sessions() as session:
                page = await search_repo.search_posts(
                    session,
                    text=q,
                    filters=match_repo.PostFilters(city_code=city),
                    near=None,
                    offset=0,
                    limit=20,
                )
                assert set(page.rows) == set(page.ids)  # the page's rows come with it
            if i >= len(SEARCHES):
                results["search"].append((time.perf_counter() - t0) * 1000)
            found[q] = len(page.ids)
        for i in range(runs + len(SUGGESTIONS)):
            q = SUGGESTIONS[i % len(SUGGESTIONS)]
            t0 = time.perf_counter()
            async with sessions() as session:
                await search_repo.suggest(session, q, 10)
            if i >= len(SUGGESTIONS):
                results["suggest"].append((time.perf_counter() - t0) * 1000)
        return {
            "search": _stats(results["search"]),
            "suggest": _stats(results["suggest"]),
            "found": found,
        }
    finally:
        await engine.dispose()


async def measure(url: str, *, steps: tuple[int, ...], runs: int) -> list[dict]:
    await upgrade_async("job_matching", url)
    rng = random.Random(26)
    out, filled = [], 0
    for posts in steps:
        conn = await asyncpg.connect(asyncpg_dsn(url))
        try:
            t0 = time.perf_counter()
            await _fill(conn, rng, posts - filled)
            load_s = time.perf_counter() - t0
            filled = posts
        finally:
            await conn.close()
        figures = await _time_searches(url, runs)
        out.append({"open_posts": posts, "load_s": round(load_s, 1), **figures})
        print(f"search at {posts:,} posts: {figures}", flush=True)
    return out


async def run(infra, *, quick: bool = False) -> list[dict]:
    url = await infra.create_database("bench_search")
    steps = (2_000, 20_000) if quick else (20_000, 200_000)
    result = await measure(url, steps=steps, runs=100 if quick else 240)
    floor = await _pk_lookup_p95(url)
    entries = []
    for step in result:
        size = f"{step['open_posts'] // 1000}k"
        for key, label, target in (("search", "search", 20), ("suggest", "autocomplete", 10)):
            p95 = step[key]["p95_ms"]
            entries.append(
                {
                    "name": f"job_{label}_{size}",
                    "what": f"{key} p95 at {step['open_posts']:,} open posts"
                    + (" (top 20, with the page's rows)" if key == "search" else " (top 10)"),
                    "value": p95,
                    "unit": "ms",
                    "p50_ms": step[key]["p50_ms"],
                    "p95_ms": p95,
                    "baseline": {"label": "primary-key lookup p95", "value": floor, "unit": "ms"},
                    "ratio": p95 / floor if floor else None,
                    **(
                        {"target": {"value": target, "unit": "ms", "met": p95 <= target}}
                        if step["open_posts"] >= 200_000
                        else {}
                    ),
                }
            )
    return entries
