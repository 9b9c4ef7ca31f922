"""Employment-monitor domain (就业运行监测): dimensions, measures, targets and warning rules.

Pure code: the policy parameters come from config/monitoring.yaml (MonitoringConfig) and the
counts from the read models; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field


class Dimension(StrEnum):
    """What statistics can be grouped by."""

    CITY = "city"
    DISTRICT = "district"
    INDUSTRY = "industry"
    MONTH = "month"
    GROUP = "group"  # key group (重点群体)


class KeyGroup(StrEnum):
    """重点群体 as the hiring contract names them."""

    COLLEGE_GRADUATE = "college_graduate"  # 高校毕业生
    EMPLOYMENT_DIFFICULTY = "employment_difficulty"  # 就业困难人员
    POVERTY_ALLEVIATED = "poverty_alleviated"  # 脱贫人口
    VETERAN = "veteran"  # 退役军人
    DISABLED = "disabled"  # 残疾人
    DISPLACED_BY_DIGITAL_TRANSFORMATION = "displaced_by_digital_transformation"
    MIGRANT_WORKER = "migrant_worker"  # 农民工


class Metric(StrEnum):
    """What a target counts (see adapters/queries.target_actuals)."""

    NEW_URBAN_JOBS = "new_urban_jobs"  # 城镇新增就业: hires that are not internships
    REEMPLOYMENT = "reemployment"  # 再就业: hires of people registered unemployed
    INTERNS = "interns"  # 就业见习: internship hires
    DIFFICULTY_REEMPLOYMENT = "difficulty_reemployment"  # 就业困难人员再就业
    PUBLIC_WELFARE_POSTS = "public_welfare_posts"  # 公益性岗位: places in public-welfare posts
    GRADUATE_EMPLOYMENT_RATE = "graduate_employment_rate"  # needs the graduate registry
    SPECIALIZED_INSURED = "specialized_insured"  # 专精特新 insured employees


# 技师 and above (seed 004 "高技能人才"); 副高级 and above.
HIGH_SKILL_MIN_LEVEL = 4  # SKILL_LEVEL_TECHNICIAN
SENIOR_TITLE_MIN = 3  # PROFESSIONAL_TITLE_ASSOCIATE_SENIOR


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WarningRule(_Strict):
    headcount_fall_share: float = Field(gt=0, lt=1)
    period_months: int = Field(ge=1, le=36)
    min_headcount: int = Field(ge=1)


class KeyEnterpriseLists(_Strict):
    key: list[str] = []
    monitored: list[str] = []


class SpecializedTargets(_Strict):
    year: int
    insured_employees: int = Field(ge=0)
    graduate_share: float = Field(ge=0, le=1)
    high_skill_share: float = Field(ge=0, le=1)
    senior_title_share: float = Field(ge=0, le=1)


class TargetItem(_Strict):
    metric: Metric
    label: str
    target: float = Field(ge=0)


class Target(_Strict):
    region: str = Field(pattern=r"^32(\d{2})?$")  # "32" province or a city code
    year: int
    source: str
    items: list[TargetItem]


class MonitoringConfig(_Strict):
    version: str
    warning: WarningRule
    key_enterprises: KeyEnterpriseLists
    specialized_sme: SpecializedTargets
    targets: list[Target]

    @classmethod
    def load(cls, path: str | Path | None = None) -> MonitoringConfig:
        path = Path(path) if path else Path(__file__).parent.parent / "config" / "monitoring.yaml"
        return cls.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def months_back(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's end)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    m += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(y, m, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class HeadcountChange:
    enterprise_uscc: str
    before: int
    after: int

    @property
    def fall_share(self) -> float:
        return (self.before - self.after) / self.before if self.before else 0.0


def is_warning(change: HeadcountChange, rule: WarningRule) -> bool:
    """预警: headcount fell by more than the configured share over the period."""
    return change.before >= rule.min_headcount and change.fall_share > rule.headcount_fall_share


def rate(numerator: int, denominator: int) -> float | None:
    """A share, or None when there is nothing to divide by (shown as "—", never as 0%)."""
    return round(numerator / denominator, 4) if denominator else None


def progress(actual: float | None, target: float) -> float | None:
    if actual is None or not target:
        return None
    return round(actual / target, 4)
