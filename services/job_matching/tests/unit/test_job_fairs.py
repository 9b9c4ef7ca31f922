"""Rules of job fairs (招聘会): venue or link by mode, when booths, registrations and check-in
are taken, who may have a booth at a 专精特新 专场, and when a fair is recorded as held."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from job_matching.domain.job_fairs import (
    FairMode,
    FairRuleBroken,
    FairStatus,
    FairTheme,
    JobFair,
    check_booth,
    check_check_in,
    check_fair,
    check_held,
    check_taking_part,
    registration_code,
)

DAY = date(2026, 5, 20)
FAIR = JobFair(
    id=uuid.uuid4(),
    name="专精特新专场",
    mode=FairMode.ONSITE,
    theme=FairTheme.SPECIALIZED_SME,
    city_code="3210",
    district_code="321002",
    starts_on=DAY,
    ends_on=DAY,
    venue="扬州市人力资源市场",
    link=None,
    status=FairStatus.SCHEDULED,
    version=1,
    created_at=datetime(2026, 5, 1, tzinfo=UTC),
)


def test_an_onsite_fair_needs_a_venue_and_an_online_fair_a_link():
    with pytest.raises(FairRuleBroken) as exc:
        check_fair(FairMode.ONSITE, "3210", None, DAY, DAY, None, None, DAY)
    assert exc.value.field == "venue"
    with pytest.raises(FairRuleBroken) as exc:
        check_fair(FairMode.ONLINE, "3210", None, DAY, DAY, None, None, DAY)
    assert exc.value.field == "link"
    with pytest.raises(FairRuleBroken) as exc:
        check_fair(FairMode.ONSITE, "3210", "320102", DAY, DAY, "x", None, DAY)
    assert exc.value.field == "district_code"
    check_fair(FairMode.ONLINE, "3210", None, DAY, DAY, None, "https://x.cn", DAY)


def test_only_specialized_enterprises_have_a_booth_at_a_specialized_fair():
    with pytest.raises(FairRuleBroken) as exc:
        check_booth(FAIR, in_specialized_zone=False)
    assert exc.value.code == "not-specialized"
    check_booth(FAIR, in_specialized_zone=True)
    check_booth(replace(FAIR, theme=FairTheme.WOMEN), in_specialized_zone=False)


def test_taking_part_ends_with_the_fair():
    check_taking_part(FAIR, DAY)
    with pytest.raises(FairRuleBroken):
        check_taking_part(FAIR, date(2026, 5, 21))
    with pytest.raises(FairRuleBroken):
        check_taking_part(replace(FAIR, status=FairStatus.HELD), DAY)


def test_check_in_is_on_the_fair_days_and_self_service_only_online():
    check_check_in(FAIR, DAY, self_service=False)
    with pytest.raises(FairRuleBroken) as exc:
        check_check_in(FAIR, DAY, self_service=True)
    assert exc.value.code == "check-in-on-site"
    check_check_in(replace(FAIR, mode=FairMode.ONLINE), DAY, self_service=True)
    with pytest.raises(FairRuleBroken) as exc:
        check_check_in(FAIR, date(2026, 5, 19), self_service=False)
    assert exc.value.code == "not-fair-day"


def test_a_fair_is_held_from_its_last_day_and_once():
    with pytest.raises(FairRuleBroken) as exc:
        check_held(FAIR, date(2026, 5, 19))
    assert exc.value.code == "not-over"
    check_held(FAIR, DAY)
    with pytest.raises(FairRuleBroken):
        check_held(replace(FAIR, status=FairStatus.HELD), DAY)


def test_registration_codes_avoid_look_alike_characters():
    codes = {registration_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and not set(c) & set("01ILO") for c in codes)
