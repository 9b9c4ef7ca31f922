"""Which injury cover a hire starts (工伤保险 or 职业伤害保障), decided without I/O."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from injury_insurance.domain.model import (
    ContractType,
    CoverageStatus,
    CoverUndecidable,
    Hire,
    JobKind,
    NotAnEmployment,
    Scheme,
    scheme_for,
    start_coverage,
)

WII = Scheme.WORK_INJURY_INSURANCE
OIP = Scheme.OCCUPATIONAL_INJURY_PROTECTION


def a_hire(**changes) -> Hire:
    values = dict(
        hire_id=uuid.uuid4(),
        person_key="pk_" + "a" * 32,
        masked_resident_id="3210**********123X",
        enterprise_uscc="91320100711234567E",
        city_code="3210",
        district_code="321002",
        job_kind=JobKind.FULL_TIME,
        contract_type=ContractType.FIXED_TERM,
        start_date=date(2026, 11, 2),
    )
    return Hire(**(values | changes))


class TestSchemeFor:
    @pytest.mark.parametrize(
        ("kind", "contract"),
        [
            (JobKind.FULL_TIME, ContractType.FIXED_TERM),
            (JobKind.FULL_TIME, ContractType.OPEN_ENDED),
            (JobKind.PART_TIME, ContractType.PART_TIME),
            (JobKind.INTERNSHIP, ContractType.INTERNSHIP_AGREEMENT),
            (JobKind.PUBLIC_WELFARE, ContractType.FIXED_TERM),
        ],
    )
    def test_an_employee_is_insured_in_work_injury_insurance(self, kind, contract) -> None:
        assert scheme_for(kind, contract) is WII

    @pytest.mark.parametrize("contract", [ContractType.SERVICE_AGREEMENT, ContractType.PART_TIME])
    def test_gig_work_is_occupational_injury_protection(self, contract) -> None:
        assert scheme_for(JobKind.GIG, contract) is OIP

    def test_a_service_agreement_is_no_labour_relation_whatever_the_post(self) -> None:
        assert scheme_for(JobKind.FULL_TIME, ContractType.SERVICE_AGREEMENT) is OIP

    def test_an_unknown_job_kind_is_decided_by_the_contract(self) -> None:
        assert scheme_for(None, ContractType.OPEN_ENDED) is WII
        assert scheme_for(None, ContractType.SERVICE_AGREEMENT) is OIP

    def test_an_employee_kind_needs_no_contract_type(self) -> None:
        assert scheme_for(JobKind.PART_TIME, None) is WII
        assert scheme_for(JobKind.GIG, None) is OIP

    def test_with_neither_kind_nor_contract_there_is_no_decision(self) -> None:
        with pytest.raises(CoverUndecidable):
            scheme_for(None, None)


class TestStartCoverage:
    def test_an_employee_is_covered_through_the_employer_from_the_first_day(self) -> None:
        hire = a_hire()
        coverage_id, now = uuid.uuid4(), datetime(2026, 10, 20, 8, tzinfo=UTC)

        coverage = start_coverage(hire, coverage_id=coverage_id, started_at=now)

        assert coverage.id == coverage_id
        assert coverage.hire_id == hire.hire_id
        assert coverage.scheme is WII
        assert coverage.status is CoverageStatus.ACTIVE
        assert coverage.enterprise_uscc == hire.enterprise_uscc
        assert coverage.person_key == hire.person_key
        assert coverage.masked_resident_id == "3210**********123X"
        assert coverage.start_date == date(2026, 11, 2)
        assert (coverage.city_code, coverage.district_code) == ("3210", "321002")
        assert coverage.started_at == now

    def test_a_gig_hire_starts_no_cover_through_the_hiring_enterprise(self) -> None:
        # Platform work is covered per order, enrolled by the platform, not the hirer.
        hire = a_hire(job_kind=JobKind.GIG, contract_type=ContractType.SERVICE_AGREEMENT)

        with pytest.raises(NotAnEmployment):
            start_coverage(hire, coverage_id=uuid.uuid4(), started_at=datetime.now(UTC))

    def test_an_undecidable_hire_starts_no_cover(self) -> None:
        with pytest.raises(CoverUndecidable):
            start_coverage(
                a_hire(job_kind=None, contract_type=None),
                coverage_id=uuid.uuid4(),
                started_at=datetime.now(UTC),
            )
