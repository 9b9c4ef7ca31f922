"""Departments (数据来源部门) and the feeds each one owns.

A department client may only send the feeds its department owns: 民政 cannot send 学历, and
nobody but 工信 can put an enterprise on the 专精特新 list.
"""

from __future__ import annotations

from enum import StrEnum


class Department(StrEnum):
    """The authority a fact comes from (proto Department, lower-case)."""

    SOCIAL_INSURANCE = "social_insurance"  # 人社·社保
    EDUCATION = "education"  # 教育·学籍学历
    SKILLS = "skills"  # 人社·职业技能等级认定/职业资格
    PROFESSIONAL_TITLES = "professional_titles"  # 人社·职称
    MARKET_REGULATION = "market_regulation"  # 市场监管
    INDUSTRY = "industry"  # 工信
    CIVIL_AFFAIRS = "civil_affairs"  # 民政
    RURAL_REVITALIZATION = "rural_revitalization"  # 乡村振兴
    DISABLED_FEDERATION = "disabled_federation"  # 残联
    HEALTH = "health"  # 卫健
    VETERANS_AFFAIRS = "veterans_affairs"  # 退役军人事务
    HRSS_RECORDS = "hrss_records"  # 人社经办 (district staff, not a feed)


DEPARTMENT_NAMES_ZH = {
    Department.SOCIAL_INSURANCE: "人社·社会保险",
    Department.EDUCATION: "教育·学籍学历",
    Department.SKILLS: "人社·职业技能等级认定",
    Department.PROFESSIONAL_TITLES: "人社·职称",
    Department.MARKET_REGULATION: "市场监管",
    Department.INDUSTRY: "工业和信息化",
    Department.CIVIL_AFFAIRS: "民政",
    Department.RURAL_REVITALIZATION: "乡村振兴",
    Department.DISABLED_FEDERATION: "残联",
    Department.HEALTH: "卫生健康",
    Department.VETERANS_AFFAIRS: "退役军人事务",
    Department.HRSS_RECORDS: "人社经办",
}


class FeedKind(StrEnum):
    """A kind of batch file a department delivers (one fact kind per feed)."""

    SI_ENROLMENT = "si_enrolment"  # 参保登记
    SI_CONTRIBUTION = "si_contribution"  # 月缴费明细
    EDUCATION = "education"  # 学历
    SKILL_CERTIFICATE = "skill_certificate"  # 职业技能等级证书/职业资格证书
    PROFESSIONAL_TITLE = "professional_title"  # 职称
    ENTERPRISE_REGISTRY = "enterprise_registry"  # 市场监管登记
    SPECIALIZED_SME = "specialized_sme"  # 专精特新
    LITTLE_GIANT = "little_giant"  # 专精特新"小巨人"
    LOW_INCOME = "low_income"  # 低保/低收入
    POVERTY_ALLEVIATED = "poverty_alleviated"  # 脱贫人口
    DISABILITY = "disability"  # 残疾人证
    BIRTH = "birth"  # 出生医学证明
    VETERAN = "veteran"  # 退役军人


FEED_OWNER: dict[FeedKind, Department] = {
    FeedKind.SI_ENROLMENT: Department.SOCIAL_INSURANCE,
    FeedKind.SI_CONTRIBUTION: Department.SOCIAL_INSURANCE,
    FeedKind.EDUCATION: Department.EDUCATION,
    FeedKind.SKILL_CERTIFICATE: Department.SKILLS,
    FeedKind.PROFESSIONAL_TITLE: Department.PROFESSIONAL_TITLES,
    FeedKind.ENTERPRISE_REGISTRY: Department.MARKET_REGULATION,
    FeedKind.SPECIALIZED_SME: Department.INDUSTRY,
    FeedKind.LITTLE_GIANT: Department.INDUSTRY,
    FeedKind.LOW_INCOME: Department.CIVIL_AFFAIRS,
    FeedKind.POVERTY_ALLEVIATED: Department.RURAL_REVITALIZATION,
    FeedKind.DISABILITY: Department.DISABLED_FEDERATION,
    FeedKind.BIRTH: Department.HEALTH,
    FeedKind.VETERAN: Department.VETERANS_AFFAIRS,
}


def feeds_of(department: Department) -> frozenset[FeedKind]:
    return frozenset(k for k, d in FEED_OWNER.items() if d is department)
