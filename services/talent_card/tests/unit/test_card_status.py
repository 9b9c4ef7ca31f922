"""A card's status moves (suspension is reversible, revocation final), its validity, and the
end of its holder's job."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from talent_card.domain.model import (
    Card,
    CardLevel,
    CardStatus,
    Position,
    add_years,
    change_status,
    end_employment,
)

CO = "91320100711234567E"


def a_card(status: CardStatus = CardStatus.ACTIVE, since: date | None = None) -> Card:
    return Card(
        id=uuid.uuid4(),
        person_key="pk_" + "a" * 32,
        masked_resident_id="3210**********123X",
        level=CardLevel.C,
        status=status,
        issued_position=Position(CO, "3201"),
        position=Position(CO, "3201"),
        position_since=since,
        issued_at=datetime(2026, 1, 5, tzinfo=UTC),
        valid_from=date(2026, 1, 5),
        valid_until=date(2029, 1, 4),
    )


@pytest.mark.parametrize(
    ("start", "to", "allowed"),
    [
        (CardStatus.ACTIVE, CardStatus.SUSPENDED, True),
        (CardStatus.SUSPENDED, CardStatus.ACTIVE, True),
        (CardStatus.ACTIVE, CardStatus.REVOKED, True),
        (CardStatus.SUSPENDED, CardStatus.REVOKED, True),
        (CardStatus.ACTIVE, CardStatus.ACTIVE, False),
        (CardStatus.SUSPENDED, CardStatus.SUSPENDED, False),
        (CardStatus.REVOKED, CardStatus.ACTIVE, False),
        (CardStatus.REVOKED, CardStatus.SUSPENDED, False),
    ],
)
def test_status_moves(start, to, allowed) -> None:
    changed = change_status(a_card(start), to)

    if allowed:
        assert changed is not None
        assert (changed.status, changed.version) == (to, 2)
    else:
        assert changed is None


def test_only_an_active_card_within_its_validity_is_usable() -> None:
    card = a_card()

    assert card.usable_on(date(2026, 1, 5)) and card.usable_on(date(2029, 1, 4))
    assert not card.usable_on(date(2029, 1, 5))
    assert not card.usable_on(date(2026, 1, 4))
    assert not a_card(CardStatus.SUSPENDED).usable_on(date(2027, 1, 1))


def test_validity_counts_whole_years_even_from_a_leap_day() -> None:
    assert add_years(date(2026, 3, 1), 3) == date(2029, 3, 1)
    assert add_years(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_leaving_the_current_employer_leaves_the_card_without_one() -> None:
    card = a_card(since=date(2026, 3, 1))

    after = end_employment(card, CO, date(2026, 8, 31))

    assert after.position == Position(None, "3201")
    assert after.position_since == date(2026, 8, 31)


def test_the_end_of_another_or_an_older_job_changes_nothing() -> None:
    card = a_card(since=date(2026, 3, 1))

    assert end_employment(card, "91321000MA1XY0123R", date(2026, 8, 31)) == card
    assert end_employment(card, CO, date(2026, 2, 28)) == card
