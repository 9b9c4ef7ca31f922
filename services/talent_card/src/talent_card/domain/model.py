"""Talent card (苏畅卡): the credential of high-level talent, and the talent flow (人才流动) of
its holders between employers and cities, which feeds the talent-flow monitoring map.

A card follows its holder: when the holder is hired, the card's current employer and city
move to the new job and the move is recorded as a flow. Hires can arrive out of order, so a
flow is placed on the holder's timeline by the day it took effect, and the card never moves
back to a job older than one already recorded.

Pure code: no I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum


class CardLevel(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class CardStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


# A suspended card is still its holder's: it blocks a second card and follows the holder's
# moves. Only a revoked card is out of the registry's way.
HELD_STATUSES = frozenset({CardStatus.ACTIVE, CardStatus.SUSPENDED})


@dataclass(frozen=True)
class Position:
    """Where a holder works: the employer (if known) and the city (four-digit code).

    The industry section rides along for the flow map but is not part of where someone is.
    """

    employer_uscc: str | None
    city_code: str
    industry_code: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Card:
    id: uuid.UUID
    person_key: str
    masked_resident_id: str
    level: CardLevel
    status: CardStatus
    issued_position: Position  # as registered when the card was issued
    position: Position  # current employer and city
    position_since: date | None  # the day of the flow that set `position`; None: since issue
    issued_at: datetime
    valid_from: date | None = None
    valid_until: date | None = None  # last day of validity
    status_index: int | None = None  # position in the status lists
    holder_subject: str | None = None  # the credential's pseudonymous `sub`
    owner_subject: str | None = None  # the account (token `sub`) of the holder, if known
    version: int = 1
    criteria_version: str | None = None
    proactive: bool = False  # issued from an offer (政策找人), not an application

    def expired_on(self, day: date) -> bool:
        """Past its last day: it no longer stands in the way of a renewed card."""
        return self.valid_until is not None and day > self.valid_until

    def usable_on(self, day: date) -> bool:
        """Entitlements and verification need an active card within its validity; a suspended
        card is still held (one card per person) but grants nothing until reinstated."""
        return (
            self.status is CardStatus.ACTIVE
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class Hire:
    """What talent-card needs to know about a hire (录用)."""

    hire_id: uuid.UUID
    person_key: str
    enterprise_uscc: str
    city_code: str
    start_date: date
    industry_code: str | None = None
    moves_holder: bool = True  # a gig, part-time or internship job does not change the employer


@dataclass(frozen=True)
class TalentFlow:
    """A holder's move from one employer or city to another (人才流动), caused by a hire."""

    id: uuid.UUID
    card_id: uuid.UUID
    person_key: str
    hire_id: uuid.UUID
    origin: Position
    destination: Position
    flowed_on: date
    recorded_at: datetime


@dataclass(frozen=True)
class FlowOutcome:
    flow: TalentFlow | None  # None: the hire moved the holder nowhere new, or is already recorded
    card: Card  # the card afterwards


def follow_hire(
    card: Card,
    history: Sequence[TalentFlow],
    hire: Hire,
    *,
    flow_id: uuid.UUID,
    recorded_at: datetime,
) -> FlowOutcome:
    """The flow a hire of the card's holder records, and where the card stands afterwards.

    ``history`` is every flow already recorded for the card. The flow starts from where the
    holder stood on the hire's start date (the latest earlier flow, else the position at
    issue); it moves the card unless a flow that took effect later is already recorded. A hire
    into the employer and city the holder already had is no flow.
    """
    if not hire.moves_holder or any(f.hire_id == hire.hire_id for f in history):
        return FlowOutcome(None, card)
    destination = Position(hire.enterprise_uscc, hire.city_code, hire.industry_code)
    earlier = [f for f in history if f.flowed_on <= hire.start_date]
    origin = (
        max(earlier, key=lambda f: (f.flowed_on, f.recorded_at)).destination
        if earlier
        else card.issued_position
    )
    if origin == destination:
        return FlowOutcome(None, card)
    flow = TalentFlow(
        id=flow_id,
        card_id=card.id,
        person_key=card.person_key,
        hire_id=hire.hire_id,
        origin=origin,
        destination=destination,
        flowed_on=hire.start_date,
        recorded_at=recorded_at,
    )
    if any(f.flowed_on > hire.start_date for f in history):
        return FlowOutcome(flow, card)
    return FlowOutcome(flow, replace(card, position=destination, position_since=hire.start_date))


def end_employment(card: Card, employer_uscc: str, end_date: date) -> Card:
    """The card after its holder left ``employer_uscc``: between jobs, in the same city.

    Only the current job ends the card's employer; the end of an older job (or of one the
    card never followed, such as a gig) changes nothing.
    """
    if card.position.employer_uscc != employer_uscc:
        return card
    if card.position_since is not None and end_date < card.position_since:
        return card
    return replace(card, position=Position(None, card.position.city_code), position_since=end_date)


# Which status a card may move to from which: suspension is reversible, revocation is final.
TRANSITIONS: dict[CardStatus, frozenset[CardStatus]] = {
    CardStatus.ACTIVE: frozenset({CardStatus.SUSPENDED, CardStatus.REVOKED}),
    CardStatus.SUSPENDED: frozenset({CardStatus.ACTIVE, CardStatus.REVOKED}),
    CardStatus.REVOKED: frozenset(),
}


def change_status(card: Card, status: CardStatus) -> Card | None:
    """The card in ``status`` with its version bumped, or None if the move is not allowed."""
    if status not in TRANSITIONS[card.status]:
        return None
    return replace(card, status=status, version=card.version + 1)


def add_years(day: date, years: int) -> date:
    """The same calendar day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
