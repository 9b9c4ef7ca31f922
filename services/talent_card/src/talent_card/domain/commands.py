"""Commands talent-card accepts (imperative; one handler each)."""

from __future__ import annotations

from dataclasses import dataclass

from talent_card.domain.model import CardLevel


@dataclass(frozen=True)
class IssueCard:
    resident_id: str  # raw: validated, encrypted and keyed by the handler, never stored as is
    level: CardLevel
    city_code: str
    employer_uscc: str | None = None
