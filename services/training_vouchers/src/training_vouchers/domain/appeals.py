"""Appeals (复核/申诉): a person or an enterprise asks for a review of a refused or reduced
subsidy, with grounds and attachments; a staff member who took no part in the decision
decides within a number of working days. Upheld reopens the case; dismissed confirms it.

Attachments are checked by the kit (suxin_common.attachments) before they are stored. Pure
code: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from suxin_common import errors
from suxin_common.privacy import mask_resident_ids
from training_vouchers.domain.review import TookPart


class AppealStatus(StrEnum):
    SUBMITTED = "submitted"  # 已提交: waits for a decision
    UPHELD = "upheld"  # 复核成立: the case is reopened
    DISMISSED = "dismissed"  # 维持原决定: the decision stands


class AppealProblem(errors.RuleViolation, ValueError):
    """An appeal or its decision that cannot be accepted (422); ``field`` names the culprit."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message, field=field)


class AppealDecided(errors.Conflict):
    """The appeal was decided already (409)."""


@dataclass(frozen=True)
class Appeal:
    id: uuid.UUID
    case_id: uuid.UUID
    appellant: str
    appellant_kind: str  # person | enterprise
    grounds: str
    case_status: str
    excluded: tuple[str, ...]
    status: AppealStatus
    submitted_at: datetime
    due_on: date
    due_provisional: bool
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


def decide(appeal: Appeal, *, upheld: bool, reason: str, by: str, at: datetime) -> Appeal:
    """The decision of a staff member who took no part in the case's decision."""
    if appeal.status is not AppealStatus.SUBMITTED:
        raise AppealDecided(f"the appeal is {appeal.status.value} already")
    if by in appeal.excluded:
        raise TookPart("a staff member who decided the case may not decide its appeal")
    if by == appeal.appellant:
        raise TookPart("the appellant may not decide the own appeal")
    if not reason.strip():
        raise AppealProblem("a decision on an appeal needs a reason", "reason")
    return Appeal(
        **{
            **appeal.__dict__,
            "status": AppealStatus.UPHELD if upheld else AppealStatus.DISMISSED,
            "decided_by": by,
            "decided_at": at,
            "decision_reason": mask_resident_ids(reason.strip()),
        }
    )
