"""The rules a hire must satisfy (pure domain, no I/O)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from job_matching.domain.model import (
    ContractType,
    Education,
    Enterprise,
    EnterpriseSize,
    HireRejected,
    HireTerms,
    JobKind,
    JobPost,
    PostStatus,
    Seeker,
    check_hire,
)

TODAY = date(2026, 11, 24)
ACME = Enterprise("91321002000000007X", "扬州智造", "3210", "321002", "C", EnterpriseSize.SMALL)
POST = JobPost(
    uuid.uuid4(),
    ACME.uscc,
    "运维工程师",
    "6-18-01-01",
    "3210",
    "321002",
    JobKind.FULL_TIME,
    PostStatus.OPEN,
    headcount=2,
)
TERMS = HireTerms(TODAY, ContractType.FIXED_TERM, 36, 750000)


def rejected_field(**changes) -> str | None:
    post = replace(POST, **{k: v for k, v in changes.items() if k in POST.__dict__})
    terms = replace(TERMS, **{k: v for k, v in changes.items() if k in TERMS.__dict__})
    with pytest.raises(HireRejected) as exc:
        check_hire(ACME, post, terms, TODAY)
    return exc.value.field


def test_a_regular_hire_passes():
    check_hire(ACME, POST, TERMS, TODAY)


def test_the_post_must_belong_to_the_hiring_enterprise():
    assert rejected_field(enterprise_uscc="91320100000000001X") == "job_post_id"


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.FILLED, PostStatus.CLOSED])
def test_only_open_posts_take_hires(status):
    assert rejected_field(status=status) == "job_post_id"


def test_headcount_is_not_exceeded():
    assert rejected_field(hired=2) == "job_post_id"


def test_contract_type_must_fit_the_kind_of_post():
    assert rejected_field(kind=JobKind.INTERNSHIP) == "contract_type"
    check_hire(
        ACME,
        replace(POST, kind=JobKind.INTERNSHIP),
        replace(TERMS, contract_type=ContractType.INTERNSHIP_AGREEMENT, contract_months=6),
        TODAY,
    )


def test_open_ended_contracts_have_no_term_and_fixed_ones_do():
    assert (
        rejected_field(contract_type=ContractType.OPEN_ENDED, contract_months=12)
        == "contract_months"
    )
    assert rejected_field(contract_months=0) == "contract_months"
    check_hire(
        ACME, POST, replace(TERMS, contract_type=ContractType.OPEN_ENDED, contract_months=0), TODAY
    )


def test_start_date_within_a_year_either_way():
    assert rejected_field(start_date=date(2028, 1, 1)) == "start_date"
    assert rejected_field(start_date=date(2025, 1, 1)) == "start_date"


@pytest.mark.parametrize(
    ("born", "birth_year", "day", "age"),
    [
        (date(2001, 12, 31), 2001, date(2026, 12, 30), 24),  # the day before the birthday
        (date(2001, 12, 31), 2001, date(2026, 12, 31), 25),  # on it
        (date(2001, 12, 31), 2001, date(2027, 1, 1), 25),  # after it
        (date(2004, 2, 29), 2004, date(2026, 2, 28), 21),  # 29 February: not yet in 2026
        (date(2004, 2, 29), 2004, date(2026, 3, 1), 22),
        (date(2004, 2, 29), 2004, date(2028, 2, 29), 24),  # a leap year: on the day
        (None, 2001, date(2026, 1, 1), 25),  # registered before dates were kept: by year
        (date(2001, 12, 31), 2002, date(2026, 6, 1), 24),  # the year corrected since: by year
    ],
)
def test_a_seekers_age_counts_to_the_day(born, birth_year, day, age):
    person = Seeker(
        uuid.uuid4(), "pk", "3210**********123X", "male", birth_year, Education.BACHELOR, None,
        birth_date=born,
    )  # fmt: skip
    assert person.age_on(day) == age
