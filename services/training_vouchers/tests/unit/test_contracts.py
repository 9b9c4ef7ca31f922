"""Mapping between the proto contracts and the domain."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from suxin.common.v1 import common_pb2 as common
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.messaging.catalog import event_type_of
from suxin_common.messaging.runner import PoisonMessage
from training_vouchers import contracts
from training_vouchers.domain.model import (
    CaseStatus,
    ContractType,
    DeliveryMode,
    Education,
    EnterpriseSize,
    JobKind,
    KeyGroup,
    SubsidyCase,
)

HIRE_ID = "0b7d8f3e-5c2a-4e61-9a0f-1d2c3b4a5e6f"


def hire_recorded(**changes) -> hiring.HireRecorded:
    values = {
        "hire_id": HIRE_ID,
        "version": 1,
        "enterprise_uscc": "91321000MA1XXXXX18",
        "enterprise_name": "扬州示例科技有限公司",
        "city_code": "3210",
        "district_code": "321002",
        "person_key": "pk-1",
        "masked_resident_id": "3210**********123X",
        "gender": hiring.GENDER_FEMALE,
        "birth_year": 2002,
        "education": hiring.EDUCATION_MASTER,
        "graduation_date": Date(year=2025, month=6, day=30),
        "key_groups": [hiring.KEY_GROUP_COLLEGE_GRADUATE, hiring.KEY_GROUP_POVERTY_ALLEVIATED],
        "job_kind": hiring.JOB_KIND_FULL_TIME,
        "contract_type": hiring.CONTRACT_TYPE_OPEN_ENDED,
        "contract_months": 0,
        "start_date": Date(year=2025, month=9, day=1),
        "monthly_wage_fen": 800_000,
        "previously_unemployed": True,
        "enterprise_size": common.ENTERPRISE_SIZE_SMALL,
    }
    return hiring.HireRecorded(**(values | changes))


class TestHireFacts:
    def test_maps_every_fact_the_rules_use(self):
        facts = contracts.hire_facts(hire_recorded())

        assert facts.hire_id == uuid.UUID(HIRE_ID)
        assert facts.enterprise_uscc == "91321000MA1XXXXX18"
        assert facts.person_key == "pk-1"
        assert facts.education is Education.MASTER
        assert facts.graduation_date == date(2025, 6, 30)
        assert facts.key_groups == {KeyGroup.COLLEGE_GRADUATE, KeyGroup.POVERTY_ALLEVIATED}
        assert facts.job_kind is JobKind.FULL_TIME
        assert facts.contract_type is ContractType.OPEN_ENDED
        assert facts.contract_months == 0
        assert facts.start_date == date(2025, 9, 1)
        assert (facts.city_code, facts.district_code) == ("3210", "321002")
        assert facts.enterprise_size is EnterpriseSize.SMALL
        assert (facts.birth_year, facts.previously_unemployed) == (2002, True)

    def test_unspecified_and_unknown_values_become_none(self):
        event = hire_recorded(
            education=hiring.EDUCATION_UNSPECIFIED,
            job_kind=99,  # a value added to the contract after this service was built
            key_groups=[hiring.KEY_GROUP_UNSPECIFIED, 42, hiring.KEY_GROUP_VETERAN],
        )
        event.ClearField("graduation_date")

        facts = contracts.hire_facts(event)

        assert facts.education is None
        assert facts.job_kind is None
        assert facts.key_groups == {KeyGroup.VETERAN}
        assert facts.graduation_date is None

    def test_a_hire_without_a_start_date_is_invalid(self):
        event = hire_recorded()
        event.ClearField("start_date")
        with pytest.raises(PoisonMessage, match="start_date"):
            contracts.hire_facts(event)

    @pytest.mark.parametrize(
        "changes",
        [
            {"hire_id": "not-a-uuid"},
            {"start_date": Date(year=2025, month=2, day=30)},
            {"person_key": ""},
        ],
    )
    def test_malformed_hires_are_invalid(self, changes):
        with pytest.raises(PoisonMessage):
            contracts.hire_facts(hire_recorded(**changes))


class TestSubsidyCaseOpened:
    def test_carries_the_case(self):
        opened_at = datetime(2025, 9, 26, 2, 0, 0, 123456, tzinfo=UTC)
        case = SubsidyCase(
            id=uuid.UUID("5a1e0000-0000-4000-8000-00000000000a"),
            rule_family="hiring_absorption",
            subject_key="pk-1",
            occasion="once",
            trigger="hire",
            hire_id=uuid.UUID(HIRE_ID),
            enterprise_uscc="91321000MA1XXXXX18",
            person_key="pk-1",
            city_code="3210",
            district_code="321002",
            rule_id="one_time_absorption_graduate",
            rule_version="js-2026.1",
            delivery_mode=DeliveryMode.NO_APPLICATION,
            amount_fen=150_000,
            inputs={"education": "master"},
            reasons=("met: education master is a college level",),
            status=CaseStatus.UNDER_REVIEW,
            opened_at=opened_at,
            review_deadline=date(2025, 10, 30),
        )

        event = contracts.subsidy_case_opened(case)

        expected_time = Timestamp()
        expected_time.FromDatetime(opened_at)
        assert event == subsidy.SubsidyCaseOpened(
            case_id="5a1e0000-0000-4000-8000-00000000000a",
            hire_id=HIRE_ID,
            enterprise_uscc="91321000MA1XXXXX18",
            person_key="pk-1",
            rule_id="one_time_absorption_graduate",
            rule_version="js-2026.1",
            amount_fen=150_000,
            delivery_mode=subsidy.DELIVERY_MODE_NO_APPLICATION,
            review_deadline=Date(year=2025, month=10, day=30),
            opened_at=expected_time,
            rule_family="hiring_absorption",
            city_code="3210",
            district_code="321002",
        )
        waiting = replace(case, status=CaseStatus.AWAITING_DATA, review_deadline=None)
        event = contracts.subsidy_case_opened(waiting)
        assert event.awaiting_data and not event.HasField("review_deadline")
        assert event.opened_at.ToDatetime(tzinfo=UTC) == opened_at
        assert event_type_of(event).subject == "suxin.subsidy.subsidy_case_opened.v1"

    @pytest.mark.parametrize("mode", list(DeliveryMode))
    def test_every_delivery_mode_has_a_proto_value(self, mode):
        assert subsidy.DeliveryMode.Value(f"DELIVERY_MODE_{mode.name}") != 0
