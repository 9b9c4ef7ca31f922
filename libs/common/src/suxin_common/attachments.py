"""Attachments to appeals and other submissions, checked before they are stored: a size limit,
an allowlist of content types whose magic bytes must match the declared type (``filetype``),
and file names with any resident ID masked (the original name is not kept)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import filetype

from suxin_common.privacy import mask_resident_ids

# The types a scanned document or a photo of one comes in; nothing executable or scriptable.
ALLOWED_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENTS = 5


class AttachmentProblem(ValueError):
    """An attachment that cannot be accepted; ``field`` names the culprit."""

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


def checked_attachment(file_name: str, content_type: str, content: bytes, index: int) -> Attachment:
    """An attachment fit to store, or AttachmentProblem naming ``attachments[index].<field>``."""
    where = f"attachments[{index}]"
    if not content:
        raise AttachmentProblem("the attachment is empty", f"{where}.content_base64")
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise AttachmentProblem(
            f"an attachment is at most {MAX_ATTACHMENT_BYTES} bytes", f"{where}.content_base64"
        )
    if content_type not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise AttachmentProblem(f"content_type must be one of {allowed}", f"{where}.content_type")
    detected = filetype.guess_mime(content)
    if detected != content_type:
        raise AttachmentProblem(
            f"the content is not {content_type} (its first bytes say {detected or 'unknown'})",
            f"{where}.content_base64",
        )
    name = mask_resident_ids(file_name.replace("/", "_").replace("\\", "_")).strip()
    if not name:
        raise AttachmentProblem("the file name is empty", f"{where}.file_name")
    return Attachment(
        id=uuid.uuid4(),
        file_name=name,
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
    )
