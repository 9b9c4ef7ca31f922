"""Voucher life: redeem, complete, certify (subsidy released), outcome within the window."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from training_vouchers.domain import training
from training_vouchers.domain.training import (
    Eligibility,
    Institution,
    Occupation,
    SkillLevel,
    TrainingKind,
    Voucher,
    VoucherStatus,
)

AT = datetime(2026, 3, 2, 2, tzinfo=UTC)
WELDER = Occupation(
    "6-18-02-04",
    "焊工",
    {"junior_worker": 100_000, "intermediate_worker": 150_000, "senior_worker": 200_000},
    shortage=True,
)
SCHOOL = Institution(uuid.uuid4(), "52321000MJ1234567X", "扬州技师学院", "3210", "321002")


def voucher(**changes) -> Voucher:
    values = dict(
        id=uuid.uuid4(),
        person_key="pk_" + "2" * 32,
        masked_resident_id="3210**********0014",
        occupation_code=WELDER.code,
        training_kind=TrainingKind.EMPLOYMENT_SKILLS,
        target_level=SkillLevel.INTERMEDIATE_WORKER,
        eligibility=Eligibility.RURAL_LABOUR,
        amount_fen=training.voucher_amount(WELDER, SkillLevel.INTERMEDIATE_WORKER),
        valid_until=date(2026, 12, 31),
        city_code="3210",
        status=VoucherStatus.ISSUED,
        issued_at=AT,
    )
    return Voucher(**(values | changes))


def certified(level=SkillLevel.INTERMEDIATE_WORKER) -> Voucher:
    v = training.enrol(voucher(), SCHOOL, today=date(2026, 3, 2), at=AT)
    v = training.complete(v, completed_on=date(2026, 5, 29), passed=True)
    return training.certify(v, WELDER, certified_on=date(2026, 6, 15), level=level)


def test_the_face_value_comes_from_the_catalogue():
    assert voucher().amount_fen == 150_000
    with pytest.raises(training.NotIssuable):
        training.voucher_amount(WELDER, SkillLevel.SENIOR_TECHNICIAN)
    with pytest.raises(training.NotIssuable):
        training.voucher_amount(replace(WELDER, active=False), SkillLevel.JUNIOR_WORKER)


def test_certification_releases_the_subsidy_of_the_level_at_most_the_face_value():
    assert certified().subsidy_fen == 150_000
    assert certified(SkillLevel.JUNIOR_WORKER).subsidy_fen == 100_000
    assert certified(SkillLevel.SENIOR_WORKER).subsidy_fen == 150_000  # capped


def test_a_failed_trainee_cannot_be_certified():
    v = training.enrol(voucher(), SCHOOL, today=date(2026, 3, 2), at=AT)
    failed = training.complete(v, completed_on=date(2026, 5, 29), passed=False)
    assert failed.status is VoucherStatus.FAILED
    with pytest.raises(training.VoucherProblem):
        training.certify(
            failed, WELDER, certified_on=date(2026, 6, 1), level=SkillLevel.JUNIOR_WORKER
        )


def test_an_expired_or_used_voucher_cannot_be_redeemed():
    with pytest.raises(training.VoucherProblem, match="expired"):
        training.enrol(voucher(), SCHOOL, today=date(2027, 1, 1), at=AT)
    enrolled = training.enrol(voucher(), SCHOOL, today=date(2026, 3, 2), at=AT)
    with pytest.raises(training.VoucherProblem):
        training.enrol(enrolled, SCHOOL, today=date(2026, 3, 2), at=AT)


def test_a_hire_within_the_window_makes_the_outcome_employed_once():
    hire_id = uuid.uuid4()
    updated, days = training.employed_outcome(certified(), hire_id, date(2026, 7, 1), 180)

    assert (updated.outcome, updated.outcome_hire_id, days) == ("employed", hire_id, 16)
    assert training.employed_outcome(updated, uuid.uuid4(), date(2026, 7, 2), 180) is None
    assert training.employed_outcome(certified(), hire_id, date(2027, 1, 1), 180) is None
    assert training.employed_outcome(certified(), hire_id, date(2026, 6, 1), 180) is None
