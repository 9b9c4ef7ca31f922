"""The match score: each part as documented, and the breakdown adds up to the total."""

from __future__ import annotations

import uuid

import pytest

from job_matching.domain.matching import (
    PostProfile,
    SeekerProfile,
    occupation_fraction,
    rank_posts,
    region_tier,
    score,
    skills_fraction,
    wage_fraction,
)
from job_matching.domain.model import Education


def seeker(**kw) -> SeekerProfile:
    base = dict(
        id=uuid.uuid4(),
        education=Education.BACHELOR,
        skills=frozenset({"plc", "python"}),
        desired_occupations=("6-18-01-01",),
        desired_regions=("321002",),
        desired_wage_fen=700000,
    )
    return SeekerProfile(**(base | kw))


def post(**kw) -> PostProfile:
    base = dict(
        id=uuid.uuid4(),
        occupation_code="6-18-01-01",
        city_code="3210",
        district_code="321002",
        wage_min_fen=600000,
        wage_max_fen=900000,
        min_education=Education.JUNIOR_COLLEGE,
        required_skills=frozenset({"plc", "python"}),
    )
    return PostProfile(**(base | kw))


def test_a_perfect_fit_scores_100_and_the_parts_add_up():
    m = score(seeker(desired_wage_fen=500000), post())
    assert m.score == 100
    assert sum(p.points for p in m.parts) == pytest.approx(m.score)
    assert m.matched_skills == ("plc", "python") and m.missing_skills == ()


def test_skills_coverage_is_the_share_of_required_skills():
    assert skills_fraction(frozenset({"a"}), frozenset({"a", "b", "c", "d"}))[0] == 0.25
    assert skills_fraction(frozenset({"a"}), frozenset())[0] == 0.5  # nothing required


@pytest.mark.parametrize(
    ("desired", "fraction"),
    [
        ("6-18-01-01", 1.0),
        ("6-18-01-02", 0.6),
        ("6-18-02-01", 0.3),
        ("6-20-01-01", 0.1),
        ("2-02-10-03", 0.0),
    ],
)
def test_occupation_similarity_follows_the_classification_tree(desired, fraction):
    assert occupation_fraction([desired], "6-18-01-01")[0] == fraction


def test_occupation_takes_the_best_of_several_wishes_and_is_neutral_without_one():
    assert occupation_fraction(["2-02-10-03", "6-18-01-09"], "6-18-01-01")[0] == 0.6
    assert occupation_fraction([], "6-18-01-01")[0] == 0.5


@pytest.mark.parametrize(
    ("desired", "tier"),
    [
        (["321002"], "same_district"),
        (["321003"], "same_city"),
        (["3210"], "same_city"),
        (["3212"], "same_area"),  # 泰州 and 扬州 are both 苏中
        (["3201"], "elsewhere"),
        (["3201", "321002"], "same_district"),
    ],
)
def test_region_distance_tiers(desired, tier):
    assert region_tier(desired, "321002") == tier


def test_wage_fit():
    assert wage_fraction(None, 600000, 900000)[0] == 1.0
    assert wage_fraction(500000, 600000, 900000)[0] == 1.0
    assert wage_fraction(750000, 600000, 900000)[0] == 0.75
    assert wage_fraction(900000, 600000, 900000)[0] == 0.5
    assert wage_fraction(1200000, 600000, 900000)[0] == 0.25
    assert wage_fraction(2000000, 600000, 900000)[0] == 0.0
    assert wage_fraction(700000, 700000, 700000)[0] == 1.0


def test_education_below_the_minimum_costs_points():
    parts = lambda e: {p.name: p.fraction for p in score(seeker(education=e), post()).parts}  # noqa: E731
    assert parts(Education.BACHELOR)["education"] == 1.0
    assert parts(Education.VOCATIONAL)["education"] == 0.4
    assert parts(Education.SENIOR_SECONDARY)["education"] == 0.0


def test_ranking_orders_by_score_then_id_and_pages_without_repeats():
    s = seeker()
    posts = [post(), post(district_code="321003"), post(city_code="3201", district_code="320114")]
    posts += [post(occupation_code="4-02-06-03", required_skills=frozenset({"叉车"}))]
    ranked = rank_posts(s, posts, limit=10)
    assert [m.post_id for m in ranked][:3] == [p.id for p in posts[:3]]
    first = rank_posts(s, posts, limit=2)
    rest = rank_posts(s, posts, limit=10, after=(first[-1].score, str(first[-1].post_id)))
    assert [m.post_id for m in first + rest] == [m.post_id for m in ranked]
