"""Employment services owed to key groups, and what is still owed.

- "131" service (seed 003, 扬州 2023 就业工作要点) for unemployed college graduates who left school
  and want a job (离校未就业高校毕业生): 1 career guidance or policy briefing (职业指导/政策宣讲),
  3 job recommendations (岗位推荐) and 1 skills-training or internship offer (技能培训或就业见习).
- "1 guidance + 3 recommendations" (seed 001, 人社 digital-economy measures, item 7) for workers
  displaced by 智改数转: at least 1 career guidance and 3 job recommendations each.

The counts are policy parameters, versioned here in one table. A person is owed a programme
while they belong to its group and hold no active hire on the platform. Pure code: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from job_matching.domain.model import KeyGroup, is_recent_graduate


class ServiceKind(StrEnum):
    GUIDANCE = "guidance"  # 职业指导 / 政策宣讲
    JOB_RECOMMENDATION = "job_recommendation"  # 岗位推荐 (one distinct job post each)
    TRAINING_OR_INTERNSHIP = "training_or_internship"  # 技能培训或就业见习机会


class Programme(StrEnum):
    GRADUATE_131 = "graduate_131"
    DISPLACED_1_3 = "displaced_1_3"


PROGRAMME_VERSION: Final = "2023-1"
REQUIRED: Final[Mapping[Programme, Mapping[ServiceKind, int]]] = MappingProxyType(
    {
        Programme.GRADUATE_131: MappingProxyType(
            {
                ServiceKind.GUIDANCE: 1,
                ServiceKind.JOB_RECOMMENDATION: 3,
                ServiceKind.TRAINING_OR_INTERNSHIP: 1,
            }
        ),
        Programme.DISPLACED_1_3: MappingProxyType(
            {ServiceKind.GUIDANCE: 1, ServiceKind.JOB_RECOMMENDATION: 3}
        ),
    }
)


class NotEligible(Exception):
    """The person is not in the programme's group (answered as 409)."""


def programmes_for(
    key_groups: Iterable[KeyGroup],
    graduation_date: date | None,
    employed: bool,
    today: date,
) -> list[Programme]:
    """The programmes a person is owed now."""
    if employed:
        return []
    groups = set(key_groups)
    owed = []
    if KeyGroup.COLLEGE_GRADUATE in groups and is_recent_graduate(graduation_date, today):
        owed.append(Programme.GRADUATE_131)
    if KeyGroup.DISPLACED_BY_DIGITAL_TRANSFORMATION in groups:
        owed.append(Programme.DISPLACED_1_3)
    return owed


@dataclass(frozen=True)
class Balance:
    """Delivered and still owed, per kind of service, for one person and programme."""

    programme: Programme
    delivered: dict[ServiceKind, int]
    owed: dict[ServiceKind, int]

    @property
    def complete(self) -> bool:
        return not any(self.owed.values())


def balance(programme: Programme, delivered: Mapping[ServiceKind, int]) -> Balance:
    required = REQUIRED[programme]
    done = {kind: delivered.get(kind, 0) for kind in required}
    return Balance(
        programme=programme,
        delivered=done,
        owed={kind: max(0, n - done[kind]) for kind, n in required.items()},
    )


def check_deliverable(programme: Programme, kind: ServiceKind, eligible: list[Programme]) -> None:
    if programme not in eligible:
        raise NotEligible(f"this person is not owed the {programme.value} service now")
    if kind not in REQUIRED[programme]:
        raise NotEligible(f"the {programme.value} service has no {kind.value}")
