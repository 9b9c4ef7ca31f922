"""A hire opens one subsidy case (免申即享) per rule it qualifies under."""

from __future__ import annotations

import copy
import itertools
import uuid
from datetime import date, datetime, timedelta, timezone

from training_vouchers.domain.cases import open_cases
from training_vouchers.domain.model import CaseStatus, DeliveryMode, JobKind, KeyGroup
from training_vouchers.domain.policy import parse_policy
from training_vouchers.policies import load_policy

OPENED_AT = datetime(2025, 9, 26, 10, 0, tzinfo=timezone(timedelta(hours=8)))


def sequential_ids():
    counter = itertools.count(1)
    return lambda: uuid.UUID(int=next(counter))


def never_asked(day: date) -> bool:
    raise AssertionError("the calendar should not be consulted")


def test_a_graduate_with_employment_difficulty_opens_two_cases(make_hire):
    hire = make_hire(
        key_groups=frozenset({KeyGroup.COLLEGE_GRADUATE, KeyGroup.EMPLOYMENT_DIFFICULTY})
    )

    cases = open_cases(hire, load_policy("js-2026.1"), OPENED_AT, new_id=sequential_ids())

    assert [(c.id.int, c.rule_id, c.amount_fen) for c in cases] == [
        (1, "one_time_absorption_graduate", 150_000),
        (2, "one_time_absorption_difficulty", 150_000),
    ]
    for case in cases:
        assert case.hire_id == hire.hire_id
        assert case.enterprise_uscc == hire.enterprise_uscc
        assert case.person_key == hire.person_key
        assert case.rule_version == "js-2026.1"
        assert case.delivery_mode is DeliveryMode.NO_APPLICATION
        assert case.status is CaseStatus.UNDER_REVIEW
        assert case.opened_at == OPENED_AT
        # 20 working days across National Day 2025.
        assert case.review_deadline == date(2025, 10, 30)
    assert cases[1].inputs["key_groups"] == ["employment_difficulty"]


def test_a_hire_that_qualifies_for_nothing_opens_nothing(make_hire):
    hire = make_hire(job_kind=JobKind.PART_TIME)
    assert open_cases(hire, load_policy("js-2026.1"), OPENED_AT, deadline_of=never_asked) == []


def test_rules_that_need_an_application_open_no_case(make_hire):
    doc = {
        "version": "test-1",
        "effective_from": date(2026, 1, 1),
        "review_working_days": 20,
        "amounts_confirmed": True,
        "rules": [
            {
                "id": "graduate_on_application",
                "type": "one_time_absorption_graduate",
                "name": {"zh": "一次性吸纳就业补贴", "en": "One-time absorption subsidy"},
                "delivery_mode": "instant_on_application",
                "parameters": {
                    "amount_fen": 1,
                    "max_months_since_graduation": 24,
                    "min_contract_months": 12,
                    "education_levels": ["bachelor"],
                    "job_kinds": ["full_time"],
                },
            }
        ],
    }
    policy = parse_policy(doc)
    assert policy.evaluate(make_hire())[0][1].eligible  # it qualifies, but must apply (即申即享)
    assert open_cases(make_hire(), policy, OPENED_AT, deadline_of=never_asked) == []

    doc = copy.deepcopy(doc)
    doc["rules"][0]["delivery_mode"] = "no_application"
    assert len(open_cases(make_hire(), parse_policy(doc), OPENED_AT)) == 1
