"""Search quality on a judged query set: precision@10 and MRR of the search against the
search it replaces (title and description words, every word, newest first), in the same run
over the same market.

Data (tests/search_data, made by make_market.py): 246 open posts of 26 enterprises in
Jiangsu's 13 cities, and 56 queries as people type them (Chinese, pinyin, initials, mixed,
misspelled), each with the posts judged relevant by what the person wants.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from job_matching.adapters import matching as match_repo
from job_matching.adapters.search import CHINA
from job_matching.app import create_app
from job_matching.search import day_lexeme
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.db import session_factory
from suxin_common.settings import ServiceSettings
from suxin_devkit.testing import lifespan_client, make_uscc

pytestmark = pytest.mark.integration

DATA = Path(__file__).parents[1] / "search_data"
STAFF = {"Authorization": "Bearer " + mint_dev_token(ServiceSettings(), "tester", ["hrss_staff"])}
K = 10


async def load_market(api) -> dict[str, str]:
    """Enterprises and posts through the API; post age set afterwards. Returns key -> id."""
    market = json.loads((DATA / "market.json").read_text("utf-8"))
    usccs = {}
    for e in market["enterprises"]:
        usccs[e["n"]] = make_uscc(700 + e["n"], region=e["district"])
        r = await api.post(
            "/v1/enterprises",
            headers=STAFF,
            json={
                "uscc": usccs[e["n"]],
                "name": e["name"],
                "city_code": e["district"][:4],
                "district_code": e["district"],
                "industry_code": e["industry"],
                "size": e["size"],
            },
        )
        assert r.status_code == 201, r.text

    async def publish(p: dict) -> tuple[str, str]:
        r = await api.post(
            "/v1/job-posts",
            headers=STAFF,
            json={
                "enterprise_uscc": usccs[p["enterprise"]],
                "title": p["title"],
                "occupation_code": p["occupation"],
                "district_code": p["district"],
                "kind": p["kind"],
                "headcount": 3,
                "wage_min_fen": p["wage"][0] * 100,
                "wage_max_fen": p["wage"][1] * 100,
                "required_skills": p["skills"],
                "min_education": p["education"],
                "description": p["description"],
            },
        )
        assert r.status_code == 201, r.text
        return p["key"], r.json()["id"]

    ids = {}
    posts = market["posts"]
    for start in range(0, len(posts), 8):  # a few at a time, as enterprises would
        ids.update(await asyncio.gather(*(publish(p) for p in posts[start : start + 8])))
    engine = create_async_engine(api.database_url)
    today = datetime.now(CHINA).date()
    try:
        async with engine.begin() as conn:
            for i, p in enumerate(market["posts"]):
                # Opened days ago: the time, and the day lexeme of its search document.
                await conn.execute(
                    text(
                        "UPDATE job_posts SET opened_at"
                        " = now() - make_interval(days => :d, mins => :i),"
                        " search_doc = ts_delete(search_doc, ARRAY[:today])"
                        " || setweight(array_to_tsvector(ARRAY[:day]), 'D')"
                        " WHERE id = CAST(:id AS uuid)"
                    ),
                    {
                        "d": p["days_ago"],
                        "i": i,  # no two posts opened at the same moment: no ties
                        "id": ids[p["key"]],
                        "today": day_lexeme(today),
                        "day": day_lexeme(today - timedelta(days=p["days_ago"])),
                    },
                )
    finally:
        await engine.dispose()
    return ids


def precision_and_rr(found: list[str], relevant: set[str]) -> tuple[float, float]:
    top = found[:K]
    hits = sum(1 for x in top if x in relevant)
    rank = next((i for i, x in enumerate(top, 1) if x in relevant), None)
    return hits / K, (1 / rank if rank else 0.0)


@pytest.fixture
async def api(infra):
    async with lifespan_client(
        infra, "job_matching", "job_matching_search_quality", Settings, create_app
    ) as client:
        yield client


async def test_new_search_beats_the_current_one_on_precision_and_mrr(api):
    ids = await load_market(api)
    queries = json.loads((DATA / "queries.json").read_text("utf-8"))["queries"]
    assert len(queries) >= 50
    engine = create_async_engine(api.database_url)
    sessions = session_factory(engine)
    scores: dict[str, dict[str, list[tuple[float, float]]]] = {
        "new": defaultdict(list),
        "current": defaultdict(list),
    }
    misses = []
    try:
        for q in queries:
            relevant = {ids[k] for k in q["relevant"]}
            r = await api.get(
                "/v1/search/job-posts", params={"q": q["query"], "limit": K}, headers=STAFF
            )
            assert r.status_code == 200, r.text
            new = [item["id"] for item in r.json()["items"]]
            async with sessions() as session:
                rows = await match_repo.search_posts(
                    session, text=q["query"], filters=match_repo.PostFilters(), limit=K
                )
            current = [str(row.id) for row in rows]
            for name, found in (("new", new), ("current", current)):
                score = precision_and_rr(found, relevant)
                scores[name][q["kind"]].append(score)
                scores[name]["all"].append(score)
            if precision_and_rr(new, relevant)[1] < 1:
                misses.append(q["query"])
    finally:
        await engine.dispose()

    def mean(values: list[tuple[float, float]], i: int) -> float:
        return sum(v[i] for v in values) / len(values)

    print(f"\nsearch quality over {len(queries)} judged queries (precision@{K}, MRR@{K}):")
    for kind in ("all", "chinese", "pinyin", "initials", "mixed", "misspelled"):
        n, c = scores["new"][kind], scores["current"][kind]
        print(
            f"  {kind:<10} n={len(n):>2}  new P@10 {mean(n, 0):.3f} MRR {mean(n, 1):.3f}"
            f"   current P@10 {mean(c, 0):.3f} MRR {mean(c, 1):.3f}"
        )
    print(f"  queries whose first result is not relevant (new): {misses}")
    new_all, current_all = scores["new"]["all"], scores["current"]["all"]
    assert mean(new_all, 0) > mean(current_all, 0)
    assert mean(new_all, 1) > mean(current_all, 1)
