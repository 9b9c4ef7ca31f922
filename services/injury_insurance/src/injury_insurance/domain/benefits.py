"""Benefit schedule (待遇标准): the most a claim may pay, by injury category, in versions with
effective dates (``rates/benefit-schedule.yaml``). A claim is bounded by the version in force
at the instant of the injury and by the version's per-claim limit (the cover's limit); the
decision records which version bounded it. Pure code: no I/O.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from injury_insurance.domain.orders import CST


class InjuryCategory(StrEnum):
    """What the injury was recognised as (伤情类别)."""

    MEDICAL = "medical"  # 医疗费用
    TEMPORARY_INCAPACITY = "temporary_incapacity"  # 停工留薪期
    DISABILITY_GRADE_1 = "disability_grade_1"  # 一级伤残 … 十级伤残
    DISABILITY_GRADE_2 = "disability_grade_2"
    DISABILITY_GRADE_3 = "disability_grade_3"
    DISABILITY_GRADE_4 = "disability_grade_4"
    DISABILITY_GRADE_5 = "disability_grade_5"
    DISABILITY_GRADE_6 = "disability_grade_6"
    DISABILITY_GRADE_7 = "disability_grade_7"
    DISABILITY_GRADE_8 = "disability_grade_8"
    DISABILITY_GRADE_9 = "disability_grade_9"
    DISABILITY_GRADE_10 = "disability_grade_10"
    DEATH = "death"  # 因工死亡


class ScheduleError(ValueError):
    """A schedule file is invalid."""


class AboveLimit(ValueError):
    """An amount above what the schedule allows; names the limit and the version."""

    def __init__(self, amount_fen: int, limit_fen: int, version: str, what: str) -> None:
        super().__init__(
            f"amount_fen {amount_fen} exceeds {what} of {limit_fen} fen "
            f"(benefit schedule {version})"
        )
        self.amount_fen, self.limit_fen, self.version, self.what = (
            amount_fen,
            limit_fen,
            version,
            what,
        )


@dataclass(frozen=True)
class ScheduleVersion:
    version: str
    effective_from: date
    defaults: bool
    max_per_claim_fen: int
    limits_fen: Mapping[InjuryCategory, int]

    def bound(self, category: InjuryCategory, amount_fen: int) -> int:
        """``amount_fen`` if allowed, else AboveLimit naming the limit that refuses it."""
        limit = self.limits_fen.get(category)
        if limit is None:
            raise AboveLimit(amount_fen, 0, self.version, f"the schedule for {category.value}")
        if amount_fen > limit:
            raise AboveLimit(amount_fen, limit, self.version, f"the limit for {category.value}")
        if amount_fen > self.max_per_claim_fen:
            raise AboveLimit(
                amount_fen, self.max_per_claim_fen, self.version, "the cover's limit per claim"
            )
        return amount_fen


@dataclass(frozen=True)
class Schedule:
    versions: tuple[ScheduleVersion, ...]

    def at(self, injured_at: datetime) -> ScheduleVersion | None:
        day = injured_at.astimezone(CST).date()
        index = bisect.bisect_right([v.effective_from for v in self.versions], day)
        return self.versions[index - 1] if index else None


class _Version(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{0,63}$")
    effective_from: date
    defaults: bool = False
    max_per_claim_fen: int = Field(gt=0)
    limits_fen: dict[InjuryCategory, int] = Field(min_length=1)


class _Schedule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    versions: list[_Version] = Field(min_length=1)


def parse_schedule(document: Mapping[str, Any]) -> Schedule:
    """Validate a schedule document completely: a bad one stops the service at start-up."""
    try:
        parsed = _Schedule.model_validate(document)
    except ValidationError as exc:
        raise ScheduleError(f"invalid benefit schedule: {exc}") from None
    versions = sorted(parsed.versions, key=lambda v: v.effective_from)
    if len({v.effective_from for v in versions}) != len(versions):
        raise ScheduleError("two schedule versions take effect on the same day")
    if len({v.version for v in versions}) != len(versions):
        raise ScheduleError("schedule version names must be unique")
    for v in versions:
        if any(fen < 0 for fen in v.limits_fen.values()):
            raise ScheduleError(f"{v.version}: a negative limit")
    return Schedule(
        tuple(
            ScheduleVersion(
                v.version, v.effective_from, v.defaults, v.max_per_claim_fen, dict(v.limits_fen)
            )
            for v in versions
        )
    )
