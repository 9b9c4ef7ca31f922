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
from dataclasses import dataclass, replace
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
    """Where a holder works: the employer (if known) and the city (four-digit code)."""

    employer_uscc: str | None
    city_code: str


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


@dataclass(frozen=True)
class Hire:
    """What talent-card needs to know about a hire (录用)."""

    hire_id: uuid.UUID
    person_key: str
    enterprise_uscc: str
    city_code: str
    start_date: date


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
    if any(f.hire_id == hire.hire_id for f in history):
        return FlowOutcome(None, card)
    destination = Position(hire.enterprise_uscc, hire.city_code)
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
