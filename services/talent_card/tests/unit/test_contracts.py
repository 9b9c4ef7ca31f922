"""Mapping HireRecorded into talent-card's domain, and TalentFlow out to TalentFlowRecorded."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.talent.v1 import events_pb2 as talent
from suxin_common.messaging.catalog import event_type_of
from suxin_common.messaging.runner import PoisonMessage
from talent_card import contracts
from talent_card.domain.model import CardLevel, Position, TalentFlow


def hire_recorded(**changes) -> hiring.HireRecorded:
    values = dict(
        hire_id=str(uuid.uuid4()),
        version=1,
        enterprise_uscc="91321000MA1XY0123R",
        city_code="3210",
        district_code="321002",
        person_key="pk_" + "e" * 32,
        masked_resident_id="3210**********123X",
        job_kind=hiring.JOB_KIND_FULL_TIME,
        start_date=Date(year=2026, month=12, day=1),
    )
    return hiring.HireRecorded(**(values | changes))


class TestHire:
    def test_maps_the_fields_a_flow_needs(self) -> None:
        event = hire_recorded()

        hire = contracts.hire(event)

        assert hire.hire_id == uuid.UUID(event.hire_id)
        assert hire.person_key == event.person_key
        assert hire.enterprise_uscc == "91321000MA1XY0123R"
        assert hire.city_code == "3210"
        assert hire.start_date == date(2026, 12, 1)

    def test_a_hire_id_that_is_not_a_uuid_is_poison(self) -> None:
        with pytest.raises(PoisonMessage, match="hire_id"):
            contracts.hire(hire_recorded(hire_id=""))

    def test_a_hire_without_person_or_start_date_is_poison(self) -> None:
        event = hire_recorded(person_key="")
        event.ClearField("start_date")
        with pytest.raises(PoisonMessage, match="person_key, start_date"):
            contracts.hire(event)


class TestTalentFlowRecorded:
    def flow(self, origin: Position) -> TalentFlow:
        return TalentFlow(
            id=uuid.uuid4(),
            card_id=uuid.uuid4(),
            person_key="pk_" + "f" * 32,
            hire_id=uuid.uuid4(),
            origin=origin,
            destination=Position("91321000MA1XY0123R", "3210"),
            flowed_on=date(2026, 12, 1),
            recorded_at=datetime(2026, 11, 20, 9, 15, tzinfo=UTC),
        )

    def test_maps_a_flow(self) -> None:
        f = self.flow(Position("91320100711234567E", "3201"))

        event = contracts.talent_flow_recorded(f, CardLevel.B)

        assert event_type_of(event).subject == "suxin.talent.talent_flow_recorded.v1"
        assert event.flow_id == str(f.id)
        assert event.card_id == str(f.card_id)
        assert event.person_key == f.person_key
        assert event.hire_id == str(f.hire_id)
        assert (event.from_uscc, event.from_city_code) == ("91320100711234567E", "3201")
        assert (event.to_uscc, event.to_city_code) == ("91321000MA1XY0123R", "3210")
        assert event.flowed_on == Date(year=2026, month=12, day=1)
        assert event.recorded_at.ToDatetime(tzinfo=UTC) == f.recorded_at
        assert event.level == talent.CARD_LEVEL_B

    def test_an_unknown_former_employer_is_empty(self) -> None:
        event = contracts.talent_flow_recorded(self.flow(Position(None, "3205")), CardLevel.C)

        assert event.from_uscc == ""
        assert event.from_city_code == "3205"
