"""Commands talent-card accepts (imperative; one handler each)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from talent_card.domain.model import CardLevel, CardStatus


@dataclass(frozen=True)
class IssueCard:
    """Staff issue a card at a level they decided (e.g. cards carried over from paper)."""

    resident_id: str  # raw: validated, encrypted and keyed by the handler, never stored as is
    level: CardLevel
    city_code: str
    employer_uscc: str | None = None
    owner_subject: str | None = None


@dataclass(frozen=True)
class ChangeCardStatus:
    card_id: uuid.UUID
    status: CardStatus  # suspended, active (reinstate) or revoked
    reason: str


@dataclass(frozen=True)
class SubmitApplication:
    resident_id: str
    city_code: str
    attributes: Mapping[str, Any]
    documents: Sequence[Mapping[str, str]] = ()
    employer_uscc: str | None = None
    owner_subject: str | None = None
    on: date | None = None  # the day the criteria are taken from; None: today


@dataclass(frozen=True)
class ReviewApplication:
    application_id: uuid.UUID
    approve: bool
    reviewer: str
    note: str | None = None


@dataclass(frozen=True)
class AcceptOffer:
    offer_id: uuid.UUID
    resident_id: str  # proves the caller is the person the offer was made to
    owner_subject: str
    employer_uscc: str | None = field(default=None)


@dataclass(frozen=True)
class DeclineOffer:
    offer_id: uuid.UUID
    resident_id: str


@dataclass(frozen=True)
class RecordEntitlementUse:
    credential: str  # the card token the partner verified
    entitlement: str
    reference: str
    partner_uscc: str
    partner_subject: str
