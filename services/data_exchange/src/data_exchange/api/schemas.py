"""Request and response bodies of data-exchange's API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from suxin_common.reasons import Rendered
from suxin_common.web import InputModel


class BatchOut(BaseModel):
    id: uuid.UUID
    department: str
    feed: str
    period: str
    as_of: date
    mode: str
    format: str
    source: str
    status: str = Field(
        description="awaiting_file | received | processing | applied | partially_applied | "
        "rejected | duplicate"
    )
    reject_code: str | None = None
    reject_reason: Rendered | None = None
    duplicate_of: uuid.UUID | None = None
    declared_rows: int
    rows_read: int
    rows_applied: int
    rows_failed: int
    progress: float = Field(description="rows read / declared rows, 0..1")
    facts_new: int
    facts_changed: int
    facts_revoked: int
    facts_unchanged: int
    created_at: datetime
    finished_at: datetime | None = None
    upload: str | None = Field(None, description="where to PUT the file while awaiting it")
    errors: str = Field(description="the per-row error report")

    @classmethod
    def of(cls, row: dict[str, Any]) -> BatchOut:
        declared = row["declared_rows"]
        progress = (
            1.0
            if row["status"] in ("applied", "partially_applied")
            else (min(1.0, row["rows_read"] / declared) if declared else 0.0)
        )
        return cls(
            **{k: row[k] for k in cls.model_fields if k in row},
            progress=round(progress, 4),
            upload=f"/v1/batches/{row['id']}/file" if row["status"] == "awaiting_file" else None,
            errors=f"/v1/batches/{row['id']}/errors",
        )


class RowErrorOut(BaseModel):
    row: int = Field(description="row number (1 = first data row; 0 = the batch as a whole)")
    field: str
    code: str = Field(description="English error code")
    reason: Rendered = Field(description="原因（中文；Accept-Language: en 时为英文）")


class ManifestIn(InputModel):
    """The manifest of a batch (批次清单); its values are checked by the domain, so that the
    same rules apply to manifests from the inbox directory."""

    department: str = Field(description="数据来源部门, e.g. social_insurance")
    feed: str = Field(description="数据类别, e.g. si_contribution")
    period: str = Field(description="数据所属期 YYYY-MM or YYYY-MM-DD")
    as_of: str | None = Field(None, description="数据截止日期 (default: end of the period)")
    rows: int | None = Field(None, description="number of data rows (header not counted)")
    sha256: str = Field(description="SHA-256 of the file, 64 hex digits")
    mode: str = Field(description="all_or_nothing | row_by_row")
    format: str = Field(description="csv | jsonl")
    file: str | None = Field(None, description="file name (inbox only)")


RecordValue = str | int | float | bool | None


class RecordIn(InputModel):
    """One record of a feed, with the same fields as a row of its batch file."""

    record: dict[str, RecordValue]
    as_of: date | None = Field(None, description="数据截止日期; default today")


class RecordOut(BaseModel):
    batch_id: uuid.UUID
    fact_key: str
    change: Literal["new", "changed", "revoked", "unchanged", "nothing_to_revoke", "duplicate"]
    version: int


class FactOut(BaseModel):
    fact_key: str
    kind: str
    subject: str
    person_key: str | None
    uscc: str | None
    department: str
    version: int
    detail: dict[str, Any]
    valid_from: date | None
    valid_until: date | None
    revoked: bool
    as_of: date
    evidence_ref: str
    verified_at: datetime
