"""The words for "why this job": score parts and their reasons in Chinese and English.

The domain gives each part of the match score a machine code (`skills_covered`,
`same_city` …) and the numbers behind it; the shared reason catalogue
(suxin_common/messages/reasons.yaml, `match.<code>`) turns them into text, Chinese by
default and English with `Accept-Language: en` (suxin_common.i18n). Apps
show `reason`; they may key on `code`, which never changes with the language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from suxin_common import reasons as why
from suxin_common.i18n import current_language

PART_NAMES: Final[dict[str, tuple[str, str]]] = {
    "skills": ("技能匹配", "skills"),
    "occupation": ("职业匹配", "occupation"),
    "region": ("工作地点", "region"),
    "wage": ("薪酬", "wage"),
    "education": ("学历", "education"),
}

# The reasons themselves are in the shared catalogue (suxin_common/messages/reasons.yaml,
# codes `match.<code>`): one vocabulary with the other services' rule reasons.
REASON_PREFIX = "match."


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if current_language.get() == "en" else pair[0]


def part_name(part: str) -> str:
    return _pick(PART_NAMES.get(part, (part, part)))


def reason_text(code: str, facts: Mapping[str, int] | None = None) -> str:
    """The reason in the request's language; an unknown code is shown as itself."""
    if REASON_PREFIX + code not in why.catalogue()["codes"]:
        return code
    return why.render(why.Reason(REASON_PREFIX + code, dict(facts or {})))
