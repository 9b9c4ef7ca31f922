"""Matching quality on a generated market with known relevant jobs.

Every seeker has a hidden truth (an occupation, a home district, a set of skills, a wage
floor); their profile shows it only partly (a sibling occupation sometimes, some skills left
out, the city instead of the district). A job is relevant when it is in the seeker's occupation
小类 and home city, asks for skills the seeker really has, and pays at least the floor; grade 2
if it is also the exact occupation in the home district. The score must beat a random ranking
and a "same city only" ranking on recall@20 and nDCG@20 by a clear margin.
"""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass

from job_matching.domain.matching import PostProfile, SeekerProfile, rank_posts
from job_matching.domain.model import Education

K = 20
CITIES = ["3201", "3202", "3205", "3210", "3212", "3203"]
DISTRICTS = {city: [f"{city}{n:02d}" for n in (2, 3, 4, 11)] for city in CITIES}
MINOR_GROUPS = [
    f"{major}-{middle:02d}-{minor:02d}"
    for major, middle, minor in [
        (2, 2, 10),
        (2, 2, 13),
        (2, 6, 1),
        (4, 1, 2),
        (4, 2, 6),
        (4, 3, 1),
        (6, 18, 1),
        (6, 18, 2),
        (6, 31, 3),
        (6, 24, 1),
    ]
]
OCCUPATIONS = {g: [f"{g}-{n:02d}" for n in range(1, 5)] for g in MINOR_GROUPS}
SKILLS = {g: [f"{g}/skill{n}" for n in range(10)] for g in MINOR_GROUPS}
EDUCATIONS = list(Education)


@dataclass(frozen=True)
class Truth:
    occupation: str
    district: str
    skills: frozenset[str]
    wage_floor: int


def minor(code: str) -> str:
    return code.rsplit("-", 1)[0]


def make_post(rng: random.Random, occupation: str, district: str, skills) -> PostProfile:
    low = rng.randrange(4000, 12000, 500) * 100
    return PostProfile(
        id=uuid.UUID(int=rng.getrandbits(128)),
        occupation_code=occupation,
        city_code=district[:4],
        district_code=district,
        wage_min_fen=low,
        wage_max_fen=low + rng.randrange(1000, 6000, 500) * 100,
        min_education=rng.choice(EDUCATIONS[1:5]),
        required_skills=frozenset(skills),
    )


def generate(seed: int = 7, seekers: int = 80, background: int = 1200):
    rng = random.Random(seed)
    posts = []
    for _ in range(background):
        group = rng.choice(MINOR_GROUPS)
        city = rng.choice(CITIES)
        posts.append(
            make_post(
                rng,
                rng.choice(OCCUPATIONS[group]),
                rng.choice(DISTRICTS[city]),
                rng.sample(SKILLS[group], rng.randint(1, 4)),
            )
        )
    people = []
    for _ in range(seekers):
        group = rng.choice(MINOR_GROUPS)
        truth = Truth(
            occupation=rng.choice(OCCUPATIONS[group]),
            district=rng.choice(DISTRICTS[rng.choice(CITIES)]),
            skills=frozenset(rng.sample(SKILLS[group], 5)),
            wage_floor=rng.randrange(4000, 12000, 500) * 100,
        )
        # Planted relevant jobs: the seeker's occupation 小类 in the home city.
        for _ in range(rng.randint(3, 8)):
            posts.append(
                make_post(
                    rng,
                    rng.choice([truth.occupation, rng.choice(OCCUPATIONS[group])]),
                    rng.choice([truth.district, rng.choice(DISTRICTS[truth.district[:4]])]),
                    rng.sample(sorted(truth.skills), rng.randint(1, 3)),
                )
            )
        shown = SeekerProfile(
            id=uuid.UUID(int=rng.getrandbits(128)),
            education=rng.choice(EDUCATIONS[3:]),
            skills=frozenset(rng.sample(sorted(truth.skills), 3)),
            desired_occupations=(
                truth.occupation if rng.random() < 0.7 else rng.choice(OCCUPATIONS[group]),
            ),
            desired_regions=(truth.district if rng.random() < 0.7 else truth.district[:4],),
            desired_wage_fen=truth.wage_floor,
        )
        people.append((shown, truth))
    return posts, people


def relevance(truth: Truth, post: PostProfile) -> int:
    if (
        minor(post.occupation_code) != minor(truth.occupation)
        or post.city_code != truth.district[:4]
        or not post.required_skills <= truth.skills
        or post.wage_max_fen < truth.wage_floor
    ):
        return 0
    exact = post.occupation_code == truth.occupation and post.district_code == truth.district
    return 2 if exact else 1


def recall_at_k(ranked: list[uuid.UUID], grades: dict[uuid.UUID, int]) -> float:
    relevant = {pid for pid, g in grades.items() if g}
    hits = sum(1 for pid in ranked[:K] if pid in relevant)
    return hits / min(len(relevant), K)


def ndcg_at_k(ranked: list[uuid.UUID], grades: dict[uuid.UUID, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:K]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(pid, 0) for pid in ranked]) / ideal


def test_the_score_beats_random_and_same_city_rankings():
    posts, people = generate()
    rng = random.Random(11)
    results = {"score": [], "same_city": [], "random": []}
    for shown, truth in people:
        grades = {p.id: relevance(truth, p) for p in posts}
        if not any(grades.values()):
            continue
        ours = [m.post_id for m in rank_posts(shown, posts, limit=K)]
        city = shown.desired_regions[0][:4]
        same_city = [p.id for p in posts if p.city_code == city]
        rng.shuffle(same_city)
        anywhere = [p.id for p in rng.sample(posts, K)]
        for name, ranked in (("score", ours), ("same_city", same_city), ("random", anywhere)):
            results[name].append((recall_at_k(ranked, grades), ndcg_at_k(ranked, grades)))
    summary = {
        name: tuple(sum(v[i] for v in values) / len(values) for i in (0, 1))
        for name, values in results.items()
    }
    print(f"\nmatching quality over {len(results['score'])} seekers, {len(posts)} posts")
    for name, (recall, ndcg) in summary.items():
        print(f"  {name:<10} recall@20 {recall:.3f}  nDCG@20 {ndcg:.3f}")
    ours_recall, ours_ndcg = summary["score"]
    for baseline in ("same_city", "random"):
        recall, ndcg = summary[baseline]
        assert ours_recall >= recall + 0.25, (baseline, summary)
        assert ours_ndcg >= ndcg + 0.25, (baseline, summary)
    assert ours_recall >= 0.5 and ours_ndcg >= 0.4, summary
