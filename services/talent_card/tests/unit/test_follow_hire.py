"""How a card holder's hire moves the card and records a talent flow (人才流动), without I/O."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from talent_card.domain.model import (
    Card,
    CardLevel,
    CardStatus,
    Hire,
    Position,
    TalentFlow,
    follow_hire,
)

NANJING_CO = "91320100711234567E"
YANGZHOU_CO = "91321000MA1XY0123R"
WUXI_CO = "91320200MA1AB2345M"
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def a_card(employer: str | None = NANJING_CO, city: str = "3201") -> Card:
    position = Position(employer, city)
    return Card(
        id=uuid.uuid4(),
        person_key="pk_" + "d" * 32,
        masked_resident_id="3210**********123X",
        level=CardLevel.B,
        status=CardStatus.ACTIVE,
        issued_position=position,
        position=position,
        position_since=None,
        issued_at=NOW - timedelta(days=400),
    )


def a_hire(card: Card, uscc: str, city: str, start: date) -> Hire:
    return Hire(
        hire_id=uuid.uuid4(),
        person_key=card.person_key,
        enterprise_uscc=uscc,
        city_code=city,
        start_date=start,
    )


def recorded(card: Card, history: list[TalentFlow], hire: Hire, minutes: int = 0):
    """Follow a hire and, like the handler, add its flow to the history."""
    outcome = follow_hire(
        card, history, hire, flow_id=uuid.uuid4(), recorded_at=NOW + timedelta(minutes=minutes)
    )
    return outcome, history + ([outcome.flow] if outcome.flow else [])


def test_a_hire_moves_the_card_and_records_the_flow_from_the_old_job() -> None:
    card = a_card()
    hire = a_hire(card, YANGZHOU_CO, "3210", date(2026, 12, 1))

    outcome = follow_hire(card, [], hire, flow_id=uuid.uuid4(), recorded_at=NOW)

    assert outcome.flow is not None
    assert outcome.flow.card_id == card.id
    assert outcome.flow.person_key == card.person_key
    assert outcome.flow.hire_id == hire.hire_id
    assert outcome.flow.origin == Position(NANJING_CO, "3201")
    assert outcome.flow.destination == Position(YANGZHOU_CO, "3210")
    assert outcome.flow.flowed_on == date(2026, 12, 1)
    assert outcome.flow.recorded_at == NOW
    assert outcome.card.position == Position(YANGZHOU_CO, "3210")
    assert outcome.card.position_since == date(2026, 12, 1)
    assert outcome.card.issued_position == card.issued_position


def test_a_holder_registered_without_employer_flows_from_none() -> None:
    card = a_card(employer=None, city="3205")

    outcome = follow_hire(
        card,
        [],
        a_hire(card, WUXI_CO, "3202", date(2026, 12, 1)),
        flow_id=uuid.uuid4(),
        recorded_at=NOW,
    )

    assert outcome.flow is not None
    assert outcome.flow.origin == Position(None, "3205")


def test_a_new_job_with_the_same_employer_in_another_city_is_a_flow() -> None:
    card = a_card()

    outcome = follow_hire(
        card,
        [],
        a_hire(card, NANJING_CO, "3210", date(2026, 12, 1)),
        flow_id=uuid.uuid4(),
        recorded_at=NOW,
    )

    assert outcome.flow is not None
    assert outcome.card.position == Position(NANJING_CO, "3210")


def test_a_new_job_with_the_same_employer_and_city_is_no_flow() -> None:
    card = a_card()

    outcome = follow_hire(
        card,
        [],
        a_hire(card, NANJING_CO, "3201", date(2026, 12, 1)),
        flow_id=uuid.uuid4(),
        recorded_at=NOW,
    )

    assert outcome.flow is None
    assert outcome.card == card


def test_a_hire_already_recorded_records_nothing_more() -> None:
    card = a_card()
    hire = a_hire(card, YANGZHOU_CO, "3210", date(2026, 12, 1))
    first, history = recorded(card, [], hire)

    again = follow_hire(first.card, history, hire, flow_id=uuid.uuid4(), recorded_at=NOW)

    assert again.flow is None
    assert again.card == first.card


def test_successive_hires_chain_each_flow_from_the_previous_job() -> None:
    card = a_card()
    first, history = recorded(card, [], a_hire(card, YANGZHOU_CO, "3210", date(2026, 3, 1)))
    second, history = recorded(
        first.card, history, a_hire(card, WUXI_CO, "3202", date(2026, 9, 1)), minutes=1
    )

    assert second.flow is not None
    assert second.flow.origin == Position(YANGZHOU_CO, "3210")
    assert second.card.position == Position(WUXI_CO, "3202")
    assert second.card.position_since == date(2026, 9, 1)


def test_an_older_hire_arriving_late_is_recorded_but_does_not_move_the_card_back() -> None:
    card = a_card()
    later, history = recorded(card, [], a_hire(card, WUXI_CO, "3202", date(2026, 9, 1)))

    earlier, _ = recorded(
        later.card, history, a_hire(card, YANGZHOU_CO, "3210", date(2026, 3, 1)), minutes=1
    )

    assert earlier.flow is not None
    assert earlier.flow.flowed_on == date(2026, 3, 1)
    # It started from where the holder stood in March: the job at issue, not the later one.
    assert earlier.flow.origin == Position(NANJING_CO, "3201")
    assert earlier.flow.destination == Position(YANGZHOU_CO, "3210")
    assert earlier.card == later.card
    assert earlier.card.position == Position(WUXI_CO, "3202")
    assert earlier.card.position_since == date(2026, 9, 1)


def test_a_late_hire_between_two_recorded_ones_starts_from_the_earlier_one() -> None:
    card = a_card()
    jan, history = recorded(card, [], a_hire(card, YANGZHOU_CO, "3210", date(2026, 1, 5)))
    sep, history = recorded(
        jan.card, history, a_hire(card, NANJING_CO, "3201", date(2026, 9, 1)), minutes=1
    )

    may, _ = recorded(sep.card, history, a_hire(card, WUXI_CO, "3202", date(2026, 5, 1)), minutes=2)

    assert may.flow is not None
    assert may.flow.origin == Position(YANGZHOU_CO, "3210")
    assert may.card.position == Position(NANJING_CO, "3201")


def test_a_hire_on_the_same_day_as_the_latest_flow_moves_the_card() -> None:
    card = a_card()
    first, history = recorded(card, [], a_hire(card, YANGZHOU_CO, "3210", date(2026, 9, 1)))

    same_day, _ = recorded(
        first.card, history, a_hire(card, WUXI_CO, "3202", date(2026, 9, 1)), minutes=1
    )

    assert same_day.flow is not None
    assert same_day.flow.origin == Position(YANGZHOU_CO, "3210")
    assert same_day.card.position == Position(WUXI_CO, "3202")
