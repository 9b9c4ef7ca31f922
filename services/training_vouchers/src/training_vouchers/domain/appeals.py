"""Appeals (复核/申诉): a person or an enterprise asks for a review of a refused or reduced
subsidy, with grounds and attachments; a staff member who took no part in the decision
decides within a number of working days. Upheld reopens the case; dismissed confirms it.

Attachments are checked before they are stored: size, an allowlist of content types whose
magic bytes must match the declared type, and file names with any resident ID masked. Pure
code: no I/O.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

import filetype

from suxin_common.privacy import mask_resident_ids

# The types a scanned document or a photo of one comes in; nothing executable or scriptable.
ALLOWED_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENTS = 5


class AppealStatus(StrEnum):
    SUBMITTED = "submitted"  # 已提交: waits for a decision
    UPHELD = "upheld"  # 复核成立: the case is reopened
    DISMISSED = "dismissed"  # 维持原决定: the decision stands


class AppealProblem(ValueError):
    """An appeal or attachment that cannot be accepted; ``field`` names the culprit."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Attachment:
    id: uuid.UUID
    file_name: str  # resident IDs masked
    content_type: str
    size_bytes: int
    sha256: str
    content: bytes


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


def checked_attachment(file_name: str, content_type: str, content: bytes, index: int) -> Attachment:
    """An attachment fit to store, or AppealProblem naming ``attachments[index].<field>``."""
    where = f"attachments[{index}]"
    if not content:
        raise AppealProblem("the attachment is empty", f"{where}.content_base64")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise AppealProblem(
            f"an attachment is at most {MAX_ATTACHMENT_BYTES} bytes", f"{where}.content_base64"
        )
    if content_type not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise AppealProblem(f"content_type must be one of {allowed}", f"{where}.content_type")
    detected = filetype.guess_mime(content)
    if detected != content_type:
        raise AppealProblem(
            f"the content is not {content_type} (its first bytes say {detected or 'unknown'})",
            f"{where}.content_base64",
        )
    name = mask_resident_ids(file_name.replace("/", "_").replace("\\", "_")).strip()
    if not name:
        raise AppealProblem("the file name is empty", f"{where}.file_name")
    return Attachment(
        id=uuid.uuid4(),
        file_name=name,
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )


def decide(appeal: Appeal, *, upheld: bool, reason: str, by: str, at: datetime) -> Appeal:
    """The decision of a staff member who took no part in the case's decision."""
    if appeal.status is not AppealStatus.SUBMITTED:
        raise AppealProblem(f"the appeal is {appeal.status.value} already", "status")
    if by in appeal.excluded:
        raise AppealProblem("a staff member who decided the case may not decide its appeal", "by")
    if by == appeal.appellant:
        raise AppealProblem("the appellant may not decide the own appeal", "by")
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
