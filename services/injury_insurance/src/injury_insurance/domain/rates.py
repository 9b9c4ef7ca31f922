"""Contribution rates (按单缴费费率): versioned, per industry, with effective dates.

A rate book lists versions; each applies to orders accepted from its effective date (00:00
China Standard Time) until the next version's. Which version prices an order is decided by the
order's ``accepted_at`` alone, so a re-reported or late-reported order is priced as it was when
the worker took it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from injury_insurance.domain.orders import CST, Industry


class RateError(ValueError):
    """A rate file is invalid."""


@dataclass(frozen=True)
class RateVersion:
    version: str
    effective_from: date  # first day (China Standard Time) of orders it prices
    defaults: bool  # True while the figures are the national defaults, not a Jiangsu notice
    rates_fen: Mapping[Industry, int]

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.effective_from, datetime.min.time(), tzinfo=CST)


@dataclass(frozen=True)
class Rate:
    version: str
    fen: int


@dataclass(frozen=True)
class RateBook:
    """Every rate version, oldest first, and the longest an open order stays covered."""

    versions: tuple[RateVersion, ...]
    max_order_cover: timedelta

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [v.starts_at for v in self.versions])

    def version_at(self, accepted_at: datetime) -> RateVersion | None:
        index = bisect.bisect_right(self._starts, accepted_at)  # type: ignore[attr-defined]
        return self.versions[index - 1] if index else None

    def rate_for(self, industry: Industry, accepted_at: datetime) -> Rate | None:
        """The rate of an order of ``industry`` accepted at ``accepted_at``; None if no version
        was in force then or it has no rate for the industry (the order is outside the scheme)."""
        version = self.version_at(accepted_at)
        if version is None:
            return None
        fen = version.rates_fen.get(industry)
        return Rate(version.version, fen) if fen is not None else None


class _Version(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")
    effective_from: date
    defaults: bool = False
    rates_fen: dict[Industry, int] = Field(min_length=1)


class _Book(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_order_cover_hours: int = Field(ge=1, le=72)
    versions: list[_Version] = Field(min_length=1)


def parse_rate_book(document: Mapping[str, Any]) -> RateBook:
    """Validate a rate document completely: a bad rate stops the service at start-up."""
    try:
        book = _Book.model_validate(document)
    except ValidationError as exc:
        raise RateError(f"invalid rate file: {exc}") from None
    versions = sorted(book.versions, key=lambda v: v.effective_from)
    dates = [v.effective_from for v in versions]
    if len(set(dates)) != len(dates):
        raise RateError("two rate versions take effect on the same day")
    if len({v.version for v in versions}) != len(versions):
        raise RateError("rate version names must be unique")
    for v in versions:
        for industry, fen in v.rates_fen.items():
            if fen < 0:
                raise RateError(f"{v.version}: negative rate for {industry}")
    return RateBook(
        versions=tuple(
            RateVersion(v.version, v.effective_from, v.defaults, dict(v.rates_fen))
            for v in versions
        ),
        max_order_cover=timedelta(hours=book.max_order_cover_hours),
    )


def with_versions(book: RateBook, extra: list[RateVersion]) -> RateBook:
    """``book`` plus versions approved in the service (a version of the file wins a clash of
    names or dates: files are reviewed changes of the code)."""
    names = {v.version for v in book.versions}
    dates = {v.effective_from for v in book.versions}
    added = [v for v in extra if v.version not in names and v.effective_from not in dates]
    versions = sorted([*book.versions, *added], key=lambda v: v.effective_from)
    return RateBook(versions=tuple(versions), max_order_cover=book.max_order_cover)
