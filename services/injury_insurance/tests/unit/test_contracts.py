"""Mapping HireRecorded into injury-insurance's domain, and Coverage out to CoverageStarted."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from injury_insurance import contracts
from injury_insurance.domain.model import (
    ContractType,
    Coverage,
    CoverageStatus,
    JobKind,
    Scheme,
)
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin_common.messaging.catalog import event_type_of
from suxin_common.messaging.runner import PoisonMessage


def hire_recorded(**changes) -> hiring.HireRecorded:
    values = dict(
        hire_id=str(uuid.uuid4()),
        version=1,
        enterprise_uscc="91320100711234567E",
        city_code="3210",
        district_code="321002",
        person_key="pk_" + "b" * 32,
        masked_resident_id="3210**********123X",
        job_kind=hiring.JOB_KIND_FULL_TIME,
        contract_type=hiring.CONTRACT_TYPE_OPEN_ENDED,
        start_date=Date(year=2026, month=11, day=2),
    )
    return hiring.HireRecorded(**(values | changes))


class TestHire:
    def test_maps_the_fields_a_cover_needs(self) -> None:
        event = hire_recorded()

        hire = contracts.hire(event)

        assert hire.hire_id == uuid.UUID(event.hire_id)
        assert hire.person_key == event.person_key
        assert hire.masked_resident_id == "3210**********123X"
        assert hire.enterprise_uscc == "91320100711234567E"
        assert (hire.city_code, hire.district_code) == ("3210", "321002")
        assert hire.job_kind is JobKind.FULL_TIME
        assert hire.contract_type is ContractType.OPEN_ENDED
        assert hire.start_date == date(2026, 11, 2)

    def test_every_job_kind_and_contract_type_of_the_contract_is_understood(self) -> None:
        for name, number in hiring.JobKind.items():
            kind = contracts.hire(hire_recorded(job_kind=number)).job_kind
            if number == hiring.JOB_KIND_UNSPECIFIED:
                assert kind is None
            else:
                assert kind is JobKind(name.removeprefix("JOB_KIND_").lower())
        for name, number in hiring.ContractType.items():
            contract = contracts.hire(hire_recorded(contract_type=number)).contract_type
            if number == hiring.CONTRACT_TYPE_UNSPECIFIED:
                assert contract is None
            else:
                assert contract is ContractType(name.removeprefix("CONTRACT_TYPE_").lower())

    def test_a_job_kind_from_a_newer_contract_is_unknown_not_an_error(self) -> None:
        newer = hiring.HireRecorded.FromString(hire_recorded(job_kind=99).SerializeToString())
        assert contracts.hire(newer).job_kind is None

    def test_a_hire_id_that_is_not_a_uuid_is_poison(self) -> None:
        with pytest.raises(PoisonMessage, match="hire_id"):
            contracts.hire(hire_recorded(hire_id="hire-1"))

    def test_a_hire_without_start_date_or_enterprise_is_poison(self) -> None:
        event = hire_recorded(enterprise_uscc="")
        event.ClearField("start_date")
        with pytest.raises(PoisonMessage, match="enterprise_uscc, start_date"):
            contracts.hire(event)

    def test_an_impossible_start_date_is_poison(self) -> None:
        with pytest.raises(PoisonMessage, match="start_date"):
            contracts.hire(hire_recorded(start_date=Date(year=2026, month=2, day=30)))


class TestCoverageStarted:
    def coverage(self, scheme: Scheme) -> Coverage:
        return Coverage(
            id=uuid.uuid4(),
            hire_id=uuid.uuid4(),
            person_key="pk_" + "c" * 32,
            masked_resident_id="3210**********123X",
            enterprise_uscc="91320100711234567E",
            scheme=scheme,
            status=CoverageStatus.ACTIVE,
            start_date=date(2026, 11, 2),
            city_code="3210",
            district_code="321002",
            started_at=datetime(2026, 10, 20, 8, 30, tzinfo=UTC),
        )

    @pytest.mark.parametrize(
        ("scheme", "proto_scheme"),
        [
            (Scheme.WORK_INJURY_INSURANCE, insurance.SCHEME_WORK_INJURY_INSURANCE),
            (
                Scheme.OCCUPATIONAL_INJURY_PROTECTION,
                insurance.SCHEME_OCCUPATIONAL_INJURY_PROTECTION,
            ),
        ],
    )
    def test_maps_a_coverage(self, scheme: Scheme, proto_scheme: int) -> None:
        c = self.coverage(scheme)

        event = contracts.coverage_started(c)

        assert event_type_of(event).subject == "suxin.insurance.coverage_started.v1"
        assert event.coverage_id == str(c.id)
        assert event.hire_id == str(c.hire_id)
        assert event.person_key == c.person_key
        assert event.enterprise_uscc == c.enterprise_uscc
        assert event.scheme == proto_scheme
        assert event.start_date == Date(year=2026, month=11, day=2)
        assert event.started_at.ToDatetime(tzinfo=UTC) == c.started_at
