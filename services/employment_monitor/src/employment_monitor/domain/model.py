"""Employment-monitor read model (就业运行监测): facts about hires, counted by dimension.

A hire is counted once, in the month its job starts, under the city and industry of the post.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Dimension(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    INDUSTRY = "industry"
    MONTH = "month"


@dataclass(frozen=True)
class HireFact:
    hire_id: uuid.UUID
    enterprise_uscc: str
    city_code: str
    district_code: str
    industry_code: str
    month: date  # first day of the start month
    specialized_sme: bool
    key_monitored: bool
    key_groups: tuple[str, ...]
    education: str
    gender: str


def month_of(day: date) -> date:
    return day.replace(day=1)
