"""更正请求 (PIPL art. 46, the right to correction): a person asks that a field of their
profile be corrected; HRSS staff decide, and an accepted request changes the field. The fields
a person cannot edit themselves come from their resident ID (gender, year of birth) or from
authority feeds (education and graduation date from 学历, skill level and title from the
registries), so a person asks instead of editing. Pure code: no I/O."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any

from job_matching.domain.model import Education, ProfessionalTitle, SkillLevel


class CorrectionStatus(StrEnum):
    PENDING = "pending"  # 待处理
    ACCEPTED = "accepted"  # 已更正
    REJECTED = "rejected"  # 不予更正


def _gender(value: str) -> str:
    if value not in ("male", "female"):
        raise ValueError("gender is male or female")
    return value


def _birth_year(value: str) -> int:
    year = int(value)
    if not 1900 <= year <= date.today().year:
        raise ValueError("not a plausible year of birth")
    return year


# field -> parse the requested value into what the profile stores (ValueError if it cannot).
CORRECTABLE: dict[str, Callable[[str], Any]] = {
    "gender": _gender,
    "birth_year": _birth_year,
    "education": lambda v: Education(v).value,
    "graduation_date": date.fromisoformat,
    "skill_level": lambda v: SkillLevel(v).value,
    "professional_title": lambda v: ProfessionalTitle(v).value,
}


def parse_requested(field: str, value: str) -> Any:
    """The stored form of ``value`` for ``field``; ValueError names what is wrong."""
    parse = CORRECTABLE.get(field)
    if parse is None:
        raise ValueError(f"{field} cannot be corrected here; correctable: {sorted(CORRECTABLE)}")
    try:
        return parse(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid {field}: {exc}") from None


def check_decidable(status: CorrectionStatus) -> None:
    if status is not CorrectionStatus.PENDING:
        raise ValueError(f"the request is already {status.value}")
