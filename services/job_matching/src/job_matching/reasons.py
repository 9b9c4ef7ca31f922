"""The words for "why this job": score parts and their reasons in Chinese and English.

The domain gives each part of the match score a machine code (`skills_covered`,
`same_city` …) and the numbers behind it; this is the one vocabulary that turns them into
text, Chinese by default and English with `Accept-Language: en` (suxin_common.i18n). Apps
show `reason`; they may key on `code`, which never changes with the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from suxin_common.i18n import current_language

PART_NAMES: Final[dict[str, tuple[str, str]]] = {
    "skills": ("技能匹配", "skills"),
    "occupation": ("职业匹配", "occupation"),
    "region": ("工作地点", "region"),
    "wage": ("薪酬", "wage"),
    "education": ("学历", "education"),
}

REASONS: Final[dict[str, tuple[str, str]]] = {
    "no_required_skills": ("岗位未列出技能要求", "the post lists no required skills"),
    "skills_covered": (
        "具备岗位要求的 {covered}/{required} 项技能",
        "{covered} of {required} required skills",
    ),
    "no_desired_occupation": ("未填写意向职业", "no desired occupation given"),
    "occupation_differs": ("与意向职业不同", "occupation differs from every desired one"),
    "same_occupation": ("正是意向职业", "the desired occupation"),
    "same_minor_group": ("与意向职业同属一个小类", "same minor group as a desired occupation"),
    "same_middle_group": ("与意向职业同属一个中类", "same middle group as a desired occupation"),
    "same_major_group": ("与意向职业同属一个大类", "same major group as a desired occupation"),
    "same_district": ("在意向区县", "in a desired district"),
    "same_city": ("在意向城市", "in a desired city"),
    "same_area": ("与意向城市同在苏南/苏中/苏北同一片区", "same part of Jiangsu as a desired city"),
    "elsewhere": ("不在意向地区", "outside the desired regions"),
    "no_wage_wish": ("未填写期望薪酬", "no wage wish given"),
    "wage_range_meets_wish": ("薪酬范围完全满足期望", "the whole range meets the wish"),
    "wish_inside_wage_range": ("期望薪酬在岗位薪酬范围内", "the wish lies inside the range"),
    "wish_above_wage_range": ("期望薪酬高于岗位薪酬上限", "the wish is above the range"),
    "no_minimum_education": ("岗位无学历要求", "no minimum education"),
    "meets_minimum_education": ("满足学历要求", "meets the minimum education"),
    "one_level_below_minimum_education": (
        "学历比要求低一级",
        "one level below the minimum education",
    ),
    "below_minimum_education": ("学历低于要求", "below the minimum education"),
}


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if current_language.get() == "en" else pair[0]


def part_name(part: str) -> str:
    return _pick(PART_NAMES.get(part, (part, part)))


def reason_text(code: str, facts: Mapping[str, int] | None = None) -> str:
    """The reason in the request's language; an unknown code is shown as itself."""
    return _pick(REASONS.get(code, (code, code))).format(**(facts or {}))
