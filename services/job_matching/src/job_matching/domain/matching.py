"""The match score (人岗匹配度) between a job seeker and a job post, with its breakdown.

One score serves both directions (jobs for a seeker, seekers for a post), so an enterprise and
a seeker see the same number for the same pair. It is the weighted sum of five parts, each a
fraction in [0, 1] times its weight (points out of 100):

- skills (35): share of the post's required skills the seeker has; 0.5 if the post lists none.
- occupation (25): best of the seeker's desired occupations against the post's code
  (职业分类大典 大类-中类-小类-细类): same 细类 1.0, same 小类 0.6, same 中类 0.3, same 大类 0.1,
  else 0; 0.5 if the seeker names none.
- region (20): distance tier between the post's district and the seeker's desired regions:
  same district 1.0, same city 0.7, same part of Jiangsu (苏南/苏中/苏北) 0.3, elsewhere 0.1.
- wage (10): a wish at or below the range's floor 1.0; inside the range 1.0 falling to 0.5 at
  its ceiling; above it 0.5 minus the excess as a share of the wish (0 at double); 1.0 if none.
- education (10): meets the post's minimum 1.0, one level short 0.4, more 0; 1.0 if none set.

Pure code: no I/O. Callers bring a bounded candidate set (see adapters/matching.py).
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from job_matching.domain.model import EDUCATION_RANK, Education

WEIGHTS: Final[dict[str, int]] = {
    "skills": 35,
    "occupation": 25,
    "region": 20,
    "wage": 10,
    "education": 10,
}

# 苏南 / 苏中 / 苏北: the three parts of Jiangsu the province plans by.
JIANGSU_AREAS: Final[dict[str, str]] = {
    **dict.fromkeys(("3201", "3202", "3204", "3205", "3211"), "south"),
    **dict.fromkeys(("3206", "3210", "3212"), "central"),
    **dict.fromkeys(("3203", "3207", "3208", "3209", "3213"), "north"),
}
REGION_TIERS: Final[dict[str, float]] = {
    "same_district": 1.0,
    "same_city": 0.7,
    "same_area": 0.3,
    "elsewhere": 0.1,
}
# Occupation codes read 大类-中类-小类-细类, e.g. 2-02-10-03: a shared prefix of n parts.
OCCUPATION_LEVELS: Final[tuple[tuple[int, float, str], ...]] = (
    (4, 1.0, "same_occupation"),
    (3, 0.6, "same_minor_group"),
    (2, 0.3, "same_middle_group"),
    (1, 0.1, "same_major_group"),
)
NEUTRAL = 0.5


def normalize_skill(skill: str) -> str:
    return " ".join(skill.split()).casefold()


def occupation_minor_group(code: str) -> str:
    """The 小类 of an occupation code: `2-02-10-03` -> `2-02-10`."""
    return code.rsplit("-", 1)[0]


# Candidate keys (indexed with GIN) let one index probe find the posts (or seekers) that share
# an occupation group, a place and a skill, without scanning a whole city: for a post
# "小类|city", "小类|city|skill", "小类|area|skill" and "city|skill"; for a seeker "小类|city",
# "小类|area" and "city|skill" over the desired occupations, regions and skills. The area is
# 苏南/苏中/苏北, the region part's third tier.


def area_of(city_code: str) -> str:
    return JIANGSU_AREAS.get(city_code, "none")


def post_match_keys(occupation_code: str, city_code: str, skills: Iterable[str]) -> list[str]:
    minor = occupation_minor_group(occupation_code)
    area = area_of(city_code)
    keys = {f"{minor}|{city_code}"}
    for skill in skills:
        keys.add(f"{minor}|{city_code}|{skill}")
        keys.add(f"{minor}|{area}|{skill}")
        keys.add(f"{city_code}|{skill}")
    return sorted(keys)


def seeker_match_keys(
    desired_occupations: Iterable[str], desired_regions: Iterable[str], skills: Iterable[str]
) -> list[str]:
    cities = {region[:4] for region in desired_regions}
    areas = {area_of(city) for city in cities}
    minors = {occupation_minor_group(code) for code in desired_occupations}
    keys = {f"{minor}|{city}" for minor in minors for city in cities}
    keys |= {f"{minor}|{area}" for minor in minors for area in areas}
    keys |= {f"{city}|{skill}" for city in cities for skill in skills}
    return sorted(keys)


@dataclass(frozen=True, slots=True)
class SeekerProfile:
    """What matching needs of a seeker."""

    id: uuid.UUID
    education: Education
    skills: frozenset[str]
    desired_occupations: tuple[str, ...]
    desired_regions: tuple[str, ...]  # city (4 digits) or district (6 digits) codes
    desired_wage_fen: int | None


@dataclass(frozen=True, slots=True)
class PostProfile:
    """What matching needs of a job post."""

    id: uuid.UUID
    occupation_code: str
    city_code: str
    district_code: str
    wage_min_fen: int
    wage_max_fen: int
    min_education: Education | None
    required_skills: frozenset[str]


@dataclass(frozen=True, slots=True)
class Part:
    """One part of the score. `reason` is a machine code (see job_matching.reasons for its
    Chinese and English text); `facts` are the numbers the text needs."""

    name: str
    weight: int
    fraction: float
    reason: str
    facts: tuple[tuple[str, int], ...] = ()

    @property
    def points(self) -> float:
        return round(self.weight * self.fraction, 2)


@dataclass(frozen=True, slots=True)
class Match:
    """A scored pair: total points out of 100 and the parts that make it up ("why")."""

    seeker_id: uuid.UUID
    post_id: uuid.UUID
    score: float
    parts: tuple[Part, ...]
    matched_skills: tuple[str, ...]
    missing_skills: tuple[str, ...]


def skills_fraction(have: frozenset[str], required: frozenset[str]) -> tuple[float, str]:
    if not required:
        return NEUTRAL, "no_required_skills"
    covered = len(have & required)
    return covered / len(required), "skills_covered"


def occupation_fraction(desired: Iterable[str], code: str) -> tuple[float, str]:
    desired = list(desired)
    if not desired:
        return NEUTRAL, "no_desired_occupation"
    post_parts = code.split("-")
    best, why = 0.0, "occupation_differs"
    for wanted in desired:
        wanted_parts = wanted.split("-")
        for depth, fraction, label in OCCUPATION_LEVELS:
            if wanted_parts[:depth] == post_parts[:depth]:
                if fraction > best:
                    best, why = fraction, label
                break
    return best, why


def region_tier(desired: Iterable[str], district_code: str) -> str:
    best = "elsewhere"
    city = district_code[:4]
    for region in desired:
        if len(region) == 6 and region == district_code:
            return "same_district"
        if region[:4] == city:
            # A whole desired city counts as "same city"; a different district in it too.
            best = "same_city"
        elif best == "elsewhere" and JIANGSU_AREAS.get(region[:4]) == JIANGSU_AREAS.get(city):
            best = "same_area"
    return best


def wage_fraction(desired: int | None, low: int, high: int) -> tuple[float, str]:
    if desired is None:
        return 1.0, "no_wage_wish"
    if desired <= low:
        return 1.0, "wage_range_meets_wish"
    if desired <= high:
        return 1.0 - 0.5 * (desired - low) / (high - low), "wish_inside_wage_range"
    return max(0.0, 0.5 - (desired - high) / desired), "wish_above_wage_range"


def education_fraction(have: Education, minimum: Education | None) -> tuple[float, str]:
    if minimum is None:
        return 1.0, "no_minimum_education"
    gap = EDUCATION_RANK[minimum] - EDUCATION_RANK[have]
    if gap <= 0:
        return 1.0, "meets_minimum_education"
    if gap == 1:
        return 0.4, "one_level_below_minimum_education"
    return 0.0, "below_minimum_education"


def score(seeker: SeekerProfile, post: PostProfile) -> Match:
    skills, skills_why = skills_fraction(seeker.skills, post.required_skills)
    occupation, occupation_why = occupation_fraction(
        seeker.desired_occupations, post.occupation_code
    )
    tier = region_tier(seeker.desired_regions, post.district_code)
    wage, wage_why = wage_fraction(seeker.desired_wage_fen, post.wage_min_fen, post.wage_max_fen)
    education, education_why = education_fraction(seeker.education, post.min_education)
    parts = (
        Part(
            "skills",
            WEIGHTS["skills"],
            skills,
            skills_why,
            (
                ("covered", len(seeker.skills & post.required_skills)),
                ("required", len(post.required_skills)),
            ),
        ),
        Part("occupation", WEIGHTS["occupation"], occupation, occupation_why),
        Part("region", WEIGHTS["region"], REGION_TIERS[tier], tier),
        Part("wage", WEIGHTS["wage"], wage, wage_why),
        Part("education", WEIGHTS["education"], education, education_why),
    )
    return Match(
        seeker_id=seeker.id,
        post_id=post.id,
        score=total(seeker, post),
        parts=parts,
        matched_skills=tuple(sorted(seeker.skills & post.required_skills)),
        missing_skills=tuple(sorted(post.required_skills - seeker.skills)),
    )


def total(seeker: SeekerProfile, post: PostProfile) -> float:
    """The score alone (what :func:`score` adds up), for ranking many candidates cheaply."""
    return round(
        WEIGHTS["skills"] * skills_fraction(seeker.skills, post.required_skills)[0]
        + WEIGHTS["occupation"]
        * occupation_fraction(seeker.desired_occupations, post.occupation_code)[0]
        + WEIGHTS["region"] * REGION_TIERS[region_tier(seeker.desired_regions, post.district_code)]
        + WEIGHTS["wage"]
        * wage_fraction(seeker.desired_wage_fen, post.wage_min_fen, post.wage_max_fen)[0]
        + WEIGHTS["education"] * education_fraction(seeker.education, post.min_education)[0],
        2,
    )


def _top(keyed: list[tuple[float, str, object]], limit: int, after) -> list:
    """Order by score descending then id; keep those after the cursor; the first `limit`."""
    if after is not None:
        score_after, id_after = after
        keyed = [k for k in keyed if (-k[0], k[1]) > (-score_after, id_after)]
    return heapq.nsmallest(limit, keyed, key=lambda k: (-k[0], k[1]))


def rank_posts(
    seeker: SeekerProfile,
    posts: Sequence[PostProfile],
    *,
    limit: int,
    after: tuple[float, str] | None = None,
) -> list[Match]:
    """The best `limit` posts for a seeker, by score then id; `after` continues a page."""
    keyed = [(total(seeker, p), str(p.id), p) for p in posts]
    return [score(seeker, p) for _, _, p in _top(keyed, limit, after)]


def rank_seekers(
    post: PostProfile,
    seekers: Sequence[SeekerProfile],
    *,
    limit: int,
    after: tuple[float, str] | None = None,
) -> list[Match]:
    """The best `limit` seekers for a post, by score then id; `after` continues a page."""
    keyed = [(total(s, post), str(s.id), s) for s in seekers]
    return [score(s, post) for _, _, s in _top(keyed, limit, after)]
