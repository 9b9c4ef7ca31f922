"""Entitlements (权益) of a talent card: the catalogue by level and the per-period limits.

Pure code: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from talent_card.domain.model import CardLevel


class Period(StrEnum):
    MONTH = "month"
    YEAR = "year"
    VALIDITY = "validity"


@dataclass(frozen=True)
class Entitlement:
    code: str
    name: str
    levels: frozenset[CardLevel]
    limit: int | None  # uses per period; None: unlimited
    period: Period

    def period_start(self, day: date, card_valid_from: date | None) -> date:
        """First day of the period ``day`` falls in (Chinese calendar days)."""
        if self.period is Period.MONTH:
            return day.replace(day=1)
        if self.period is Period.YEAR:
            return day.replace(month=1, day=1)
        return card_valid_from or date.min


class Refusal(StrEnum):
    NOT_COVERED = "not-covered"  # the card's level does not include it
    LIMIT_REACHED = "limit-reached"


def check_use(entitlement: Entitlement, level: CardLevel, uses_in_period: int) -> Refusal | None:
    """Why one more use is refused, or None if it is allowed."""
    if level not in entitlement.levels:
        return Refusal.NOT_COVERED
    if entitlement.limit is not None and uses_in_period >= entitlement.limit:
        return Refusal.LIMIT_REACHED
    return None


def parse_catalogue(document: Mapping[str, Any]) -> dict[str, Entitlement]:
    entries: Sequence[Mapping[str, Any]] = document["entitlements"]
    catalogue: dict[str, Entitlement] = {}
    for raw in entries:
        limit = raw.get("limit")
        if limit is not None and (not isinstance(limit, int) or limit <= 0):
            raise ValueError(f"entitlement {raw['code']!r}: limit must be a positive integer")
        entitlement = Entitlement(
            code=str(raw["code"]),
            name=str(raw["name"]),
            levels=frozenset(CardLevel(v) for v in raw["levels"]),
            limit=limit,
            period=Period(raw.get("period", Period.VALIDITY)),
        )
        if entitlement.code in catalogue:
            raise ValueError(f"entitlement {entitlement.code!r} appears twice")
        catalogue[entitlement.code] = entitlement
    return catalogue
