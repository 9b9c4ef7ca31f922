"""recommend: top-20 recommendations ("jobs for a seeker"), seekers for a post and full-text
search, at 20k and 200k open posts (``bench.perf.job_matching.measure``, which fills a scratch
database with generated posts and seekers and times each query over many runs).

Baselines in the same run on the same database: the 20k figures for the 200k ones (how latency
grows with tenfold data), and for the 20k ones a single-row primary-key lookup of a job post (one
round trip: the floor of any query).
"""

from __future__ import annotations

import time

import asyncpg

from suxin_common.db import asyncpg_dsn


async def _pk_lookup_p95(url: str, runs: int = 200) -> float:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        ids = [r[0] for r in await conn.fetch("SELECT id FROM job_posts LIMIT $1", runs)]
        samples = []
        for i in range(runs):
            t0 = time.perf_counter()
            await conn.fetchrow("SELECT * FROM job_posts WHERE id = $1", ids[i % len(ids)])
            samples.append((time.perf_counter() - t0) * 1000)
        samples.sort()
        return samples[int(0.95 * (len(samples) - 1))]
    finally:
        await conn.close()


async def run(infra, *, quick: bool = False) -> list[dict]:
    from bench.perf.job_matching import measure

    url = await infra.create_database("bench_recommend")
    steps = ((2_000, 1_000), (20_000, 10_000)) if quick else ((20_000, 10_000), (200_000, 100_000))
    result = await measure(url, steps=steps, runs=100 if quick else 200, trigram=False)
    floor = await _pk_lookup_p95(url)
    small, large = result["steps"][0], result["steps"][-1]
    entries = []
    for key, label in (
        ("jobs_for_seeker_top20", "recommend"),
        ("seekers_for_post_top20", "recommend_seekers_for_post"),
        ("search_jieba_tsvector_top20", "search"),
    ):
        entries.append(
            {
                "name": f"{label}_{small['open_posts'] // 1000}k",
                "what": f"{key} p95 at {small['open_posts']:,} open posts",
                "value": small[key]["p95_ms"],
                "unit": "ms",
                "p50_ms": small[key]["p50_ms"],
                "p95_ms": small[key]["p95_ms"],
                "baseline": {"label": "primary-key lookup p95", "value": floor, "unit": "ms"},
                "ratio": small[key]["p95_ms"] / floor if floor else None,
            }
        )
        entries.append(
            {
                "name": f"{label}_{large['open_posts'] // 1000}k",
                "what": f"{key} p95 at {large['open_posts']:,} open posts",
                "value": large[key]["p95_ms"],
                "unit": "ms",
                "p50_ms": large[key]["p50_ms"],
                "p95_ms": large[key]["p95_ms"],
                "baseline": {
                    "label": f"same query at {small['open_posts']:,} posts",
                    "value": small[key]["p95_ms"],
                    "unit": "ms",
                },
                "ratio": large[key]["p95_ms"] / small[key]["p95_ms"],
                **(
                    {"target": {"value": 40, "unit": "ms", "met": large[key]["p95_ms"] <= 40}}
                    if label == "recommend" and large["open_posts"] >= 200_000
                    else {}
                ),
            }
        )
    return entries
