"""Cases a situation opens: one per family, waiting for data or under review with a deadline
of 20 working days on the Chinese holiday calendar."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from training_vouchers.domain.cases import Situation, open_cases, reevaluate
from training_vouchers.domain.facts import hire_facts, with_contributions
from training_vouchers.domain.model import CaseStatus, KeyGroup
from training_vouchers.domain.policy import Trigger
from training_vouchers.domain.working_days import review_deadline

from .conftest import graduate_hire, paid_months

# Friday 18 Sep 2026, 10:00 in Beijing.
FRIDAY_BEFORE_NATIONAL_DAY = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)


def situation(hire, contributions=()):
    return Situation(
        Trigger.HIRE,
        hire_facts(hire, contributions),
        hire.enterprise_uscc,
        hire.person_key,
        hire.hire_id,
        hire.city_code,
        hire.district_code,
    )


def test_twenty_working_days_across_national_day_and_its_make_up_weekend_days():
    # Sun 20 Sep and Sat 10 Oct 2026 are make-up working days (调休); 25 Sep (中秋) and
    # 1-7 Oct are holidays. Counting: 20,21,22,23,24 | 28,29,30 | 8,9,10,12,13,14,15,16 |
    # 19,20,21,22 -> the 20th working day is Thursday 22 Oct.
    assert review_deadline(FRIDAY_BEFORE_NATIONAL_DAY, 20) == date(2026, 10, 22)
    # Counted Monday to Friday it would have been 16 Oct: the calendar matters.
    assert review_deadline(
        FRIDAY_BEFORE_NATIONAL_DAY, 20, is_workday=lambda d: d.weekday() < 5
    ) == date(2026, 10, 16)


def test_a_met_rule_opens_a_case_under_review_with_its_deadline(policy):
    hire = graduate_hire(start_date=date(2026, 9, 1))
    [case] = open_cases(situation(hire, paid_months("2026-09")), policy, FRIDAY_BEFORE_NATIONAL_DAY)

    assert case.status is CaseStatus.UNDER_REVIEW
    assert case.rule_family == "hiring_absorption"
    assert (case.subject_key, case.occasion) == (hire.person_key, "once")
    assert case.rule_id == "job_expansion_youth"
    assert case.rule_version == "js-2026.1"
    assert case.review_deadline == date(2026, 10, 22)
    assert case.inputs["unemployment_insurance_months"] == 1


def test_a_rule_waiting_for_contributions_opens_a_case_awaiting_data_without_deadline(policy):
    hire = graduate_hire(
        start_date=date(2026, 9, 1),
        key_groups=frozenset({KeyGroup.COLLEGE_GRADUATE, KeyGroup.EMPLOYMENT_DIFFICULTY}),
    )
    [case] = open_cases(situation(hire), policy, FRIDAY_BEFORE_NATIONAL_DAY)

    assert case.status is CaseStatus.AWAITING_DATA
    assert case.review_deadline is None
    assert case.amount_fen == 150_000  # what it would grant


def test_the_data_arriving_starts_the_review_then(policy):
    hire = graduate_hire(start_date=date(2026, 9, 1))
    [case] = open_cases(situation(hire), policy, FRIDAY_BEFORE_NATIONAL_DAY)
    arrived = datetime(2026, 10, 9, 2, tzinfo=UTC)

    unchanged = reevaluate(case, policy, with_contributions(case.inputs, []), arrived)
    started = reevaluate(
        case, policy, with_contributions(case.inputs, paid_months("2026-09")), arrived
    )

    assert unchanged is None
    assert started.status is CaseStatus.UNDER_REVIEW
    assert started.review_started_at == arrived
    assert started.review_deadline == review_deadline(arrived, 20)
    assert started.version == case.version + 1
    assert reevaluate(started, policy, started.inputs, arrived) is None


def test_nothing_qualifies_nothing_opens(policy):
    hire = graduate_hire(graduation_date=date(2020, 6, 30), key_groups=frozenset())
    assert open_cases(situation(hire), policy, FRIDAY_BEFORE_NATIONAL_DAY, new_id=uuid.uuid4) == []
