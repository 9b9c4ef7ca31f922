"""Rules of the market for gig work: who may move an application where, distance, matching,
and the opening hours of 零工驿站."""

from datetime import date, datetime, time

import pytest

from gig_market.domain.gig_work import (
    Actor,
    ApplicationStatus,
    GigRuleBroken,
    Match,
    OpeningHours,
    Step,
    bounding_box,
    check_opening_hours,
    distance_m,
    is_open,
    matched_skills,
    next_status,
    rank,
)

S = ApplicationStatus


def test_a_worker_accepts_or_declines_an_invitation_and_withdraws_an_application():
    assert next_status(S.INVITED, Step.ACCEPT, Actor.WORKER) is S.APPLIED
    assert next_status(S.INVITED, Step.DECLINE, Actor.WORKER) is S.DECLINED
    assert next_status(S.CONFIRMED, Step.WITHDRAW, Actor.WORKER) is S.WITHDRAWN
    with pytest.raises(GigRuleBroken) as exc:
        next_status(S.COMPLETED, Step.WITHDRAW, Actor.WORKER)
    assert exc.value.code == "transition-not-allowed"


def test_only_the_poster_confirms_and_only_up_to_the_headcount():
    with pytest.raises(GigRuleBroken) as exc:
        next_status(S.APPLIED, Step.CONFIRM, Actor.WORKER)
    assert exc.value.code == "step-not-allowed"
    assert next_status(S.APPLIED, Step.CONFIRM, Actor.POSTER, confirmed=1, headcount=2) is (
        S.CONFIRMED
    )
    with pytest.raises(GigRuleBroken) as exc:
        next_status(S.APPLIED, Step.CONFIRM, Actor.POSTER, confirmed=2, headcount=2)
    assert exc.value.code == "headcount-filled"
    with pytest.raises(GigRuleBroken):
        next_status(S.INVITED, Step.CONFIRM, Actor.POSTER)  # the worker has not accepted


def test_work_is_completed_only_once_confirmed_and_started():
    start = date(2026, 12, 10)
    with pytest.raises(GigRuleBroken) as exc:
        next_status(
            S.CONFIRMED, Step.COMPLETE, Actor.POSTER, starts_on=start, today=date(2026, 12, 9)
        )
    assert exc.value.code == "not-started"
    assert next_status(S.CONFIRMED, Step.COMPLETE, Actor.POSTER, starts_on=start, today=start) is (
        S.COMPLETED
    )
    with pytest.raises(GigRuleBroken):
        next_status(S.APPLIED, Step.COMPLETE, Actor.POSTER)


def test_distance_and_the_bounding_box_that_narrows_the_search():
    # 扬州文昌阁 to 南京新街口: about 73 km as the crow flies.
    d = distance_m(32.3942, 119.4330, 32.0415, 118.7784)
    assert 72_000 < d < 74_000
    assert distance_m(32.0, 119.0, 32.0, 119.0) == 0
    min_lat, max_lat, min_lon, max_lon = bounding_box(32.0, 119.0, 10_000)
    for lat, lon in ((32.0898, 119.0), (32.0, 119.1058), (31.9102, 119.0), (32.0, 118.8942)):
        assert distance_m(32.0, 119.0, lat, lon) <= 10_000
        assert min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def test_matches_rank_skills_then_nearness():
    assert matched_skills(["叉车", "Welding"], ["welding", "装卸", "叉车"]) == ["welding", "叉车"]
    near_no_skill = Match(500, [], 2)
    far_all_skills = Match(20_000, ["a", "b"], 2)
    near_all_skills = Match(800, ["a", "b"], 2)
    ranked = rank([(near_no_skill, "x"), (far_all_skills, "y"), (near_all_skills, "z")])
    assert [r[1] for r in ranked] == ["z", "y", "x"]
    assert Match(0, [], 0).score == 1.0  # nothing asked for: every worker fits


def test_opening_hours():
    weekdays = OpeningHours((1, 2, 3, 4, 5), time(8, 30), time(17, 30))
    check_opening_hours([weekdays])
    assert is_open([weekdays], datetime(2026, 11, 30, 8, 30))  # Monday
    assert not is_open([weekdays], datetime(2026, 11, 30, 17, 30))
    assert not is_open([weekdays], datetime(2026, 12, 5, 10, 0))  # Saturday
    with pytest.raises(ValueError):
        check_opening_hours([OpeningHours((8,), time(8), time(9))])
    with pytest.raises(ValueError):
        check_opening_hours([OpeningHours((1,), time(9), time(9))])
