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
    """What a target counts (see adapters/queries.target_actual and METRICS)."""

    # 城镇新增就业 = 城镇累计新就业 (hires that are not internships) - 自然减员 (retirements)
    NEW_URBAN_JOBS = "new_urban_jobs"
    REEMPLOYMENT = "reemployment"  # 再就业: hires of people registered unemployed
    INTERNS = "interns"  # 就业见习: internship hires
    INTERNSHIP_POSTS = "internship_posts"  # 就业见习岗位: places in internship posts opened
    DIFFICULTY_REEMPLOYMENT = "difficulty_reemployment"  # 就业困难人员再就业
    DIFFICULTY_HELPED_INTO_WORK = "difficulty_helped_into_work"  # 帮扶就业困难人员实现就业
    PUBLIC_WELFARE_POSTS = "public_welfare_posts"  # 公益性岗位: places in public-welfare posts
    GRADUATE_EMPLOYMENT_RATE = "graduate_employment_rate"  # needs the graduate registry
    TRAINING_PERSON_TIMES = "training_person_times"  # 职业技能培训人次: trainings completed
    CERTIFICATIONS = "certifications"  # 认定发证人次: trainings certified
    SOCIAL_TRAINING = "social_training"  # 技工院校社会性培训人次
    SELF_EMPLOYMENT_SUPPORTED = "self_employment_supported"  # 扶持成功创业人数
    STARTUP_LOANS_FEN = "startup_loans_fen"  # 创业担保贷款发放额
    STARTUP_BASES_SUBSIDISED = "startup_bases_subsidised"  # 市级创业示范基地运营补贴家数
    SPECIALIZED_INSURED = "specialized_insured"  # 专精特新 insured employees
    SPECIALIZED_GRADUATE_SHARE = "specialized_graduate_share"
    SPECIALIZED_HIGH_SKILL_SHARE = "specialized_high_skill_share"
    SPECIALIZED_SENIOR_TITLE_SHARE = "specialized_senior_title_share"
    SPECIALIZED_TRAINING = "specialized_training"  # 面向专精特新企业的补贴性培训人次
    SPECIALIZED_MANUFACTURING_TRAINING = "specialized_manufacturing_training"
    SPECIALIZED_DIGITAL_TRAINING = "specialized_digital_training"
    SPECIALIZED_JOB_FAIRS = "specialized_job_fairs"  # 专精特新专场招聘会场次
    SPECIALIZED_POSTS = "specialized_posts"  # 专精特新招聘专区发布岗位数
    INTERNSHIP_DEMONSTRATION_BASES = "internship_demonstration_bases"  # 省级就业见习示范基地


# How each metric is measured from the read models, or why it cannot be (需要数据: the data the
# platform lacks). The target endpoint shows it beside every item.
METRICS: dict[Metric, tuple[bool, str]] = {
    Metric.NEW_URBAN_JOBS: (True, "招用记录（不含见习）减去自然减员（退休）"),
    Metric.REEMPLOYMENT: (True, "招用记录中此前登记失业的人员"),
    Metric.INTERNS: (True, "见习岗位的招用记录"),
    Metric.INTERNSHIP_POSTS: (True, "当年发布的见习岗位的岗位数（人数）"),
    Metric.DIFFICULTY_REEMPLOYMENT: (True, "招用记录中的就业困难人员"),
    Metric.DIFFICULTY_HELPED_INTO_WORK: (
        True,
        "招用记录中的就业困难人员（与“就业困难人员再就业”同一口径：平台无法区分援助月帮扶）",
    ),
    Metric.PUBLIC_WELFARE_POSTS: (True, "当年发布的公益性岗位的岗位数（人数）"),
    Metric.GRADUATE_EMPLOYMENT_RATE: (
        False,
        "需要数据：离校未就业高校毕业生实名名单（教育部门/人社实名制调查）",
    ),
    Metric.TRAINING_PERSON_TIMES: (True, "当年完成的补贴性职业技能培训人次"),
    Metric.CERTIFICATIONS: (True, "当年取得职业技能等级证书的培训人次"),
    Metric.SOCIAL_TRAINING: (False, "需要数据：技工院校社会性培训台账（培训机构类型）"),
    Metric.SELF_EMPLOYMENT_SUPPORTED: (
        False,
        "需要数据：市场监管新设市场主体与创业扶持（创业补贴、担保贷款）名单",
    ),
    Metric.STARTUP_LOANS_FEN: (False, "需要数据：经办银行创业担保贷款发放台账"),
    Metric.STARTUP_BASES_SUBSIDISED: (True, "当年立案的创业示范基地运营补贴案件数"),
    Metric.SPECIALIZED_INSURED: (True, "专精特新企业在职且参加工伤保险的职工"),
    Metric.SPECIALIZED_GRADUATE_SHARE: (True, "专精特新企业在职职工中高校毕业生占比"),
    Metric.SPECIALIZED_HIGH_SKILL_SHARE: (
        True,
        "专精特新企业在职职工中高技能人才（高级工及以上）占比",
    ),
    Metric.SPECIALIZED_SENIOR_TITLE_SHARE: (
        True,
        "专精特新企业在职职工中副高级及以上专业技术人才占比",
    ),
    Metric.SPECIALIZED_TRAINING: (False, "需要数据：培训券未记录学员所在企业（是否专精特新）"),
    Metric.SPECIALIZED_MANUFACTURING_TRAINING: (
        False,
        "需要数据：培训券未记录学员所在企业及制造业职业（工种）分类",
    ),
    Metric.SPECIALIZED_DIGITAL_TRAINING: (
        False,
        "需要数据：培训券未记录学员所在企业（数字类职业由目录标记）",
    ),
    Metric.SPECIALIZED_JOB_FAIRS: (True, "当年举办的专精特新企业专场招聘会场次（招聘会结束登记）"),
    Metric.SPECIALIZED_POSTS: (True, "当年在专精特新招聘专区发布的岗位数"),
    Metric.INTERNSHIP_DEMONSTRATION_BASES: (False, "需要数据：省级就业见习示范基地认定名单"),
}


# 高技能人才 (seed 004): 取得高级工及以上职业资格或职业技能等级 (高级工、技师、高级技师; 中办国办
# 《关于加强新时代高技能人才队伍建设的意见》); 副高级 and above for titles.
HIGH_SKILL_MIN_LEVEL = 3  # SKILL_LEVEL_SENIOR_WORKER
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
    # Where the figure is in the seed (sentence quoted in docs/policy-coverage.md).
    id: str | None = Field(default=None, pattern=r"^[a-z0-9_.-]+$")


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


def year_elapsed_share(today: date, year: int) -> float:
    """The share of ``year`` elapsed by the end of ``today`` (the pace a target's actual is
    compared with): 0 before the year, 1 from its last day on; a leap year has 366 days, so
    31 December 2024 is 1.0, not 366/365."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if today < first:
        return 0.0
    if today >= last:
        return 1.0
    return round(((today - first).days + 1) / ((last - first).days + 1), 4)


def progress(actual: float | None, target: float) -> float | None:
    if actual is None or not target:
        return None
    return round(actual / target, 4)
