"""Tables of data-exchange: batches and their row errors, current facts and every version of
them, and the staff-handled records (就业失业登记, 就业困难人员认定).

No table holds a raw resident ID: feed rows are reduced to person keys while they are read,
and staff records keep the person key and the masked number only.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = sa.MetaData()

_now = sa.func.now()

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("feed", sa.Text, nullable=False),
    sa.Column("period", sa.Text, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("declared_rows", sa.BigInteger, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("format", sa.Text, nullable=False),
    # upload | inbox | single
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text),
    sa.Column("sender", sa.Text, nullable=False),
    # awaiting_file | received | processing | applied | partially_applied | rejected | duplicate
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("reject_code", sa.Text),
    sa.Column("reject_reason", sa.Text),
    sa.Column("duplicate_of", UUID(as_uuid=True)),
    sa.Column("rows_read", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("rows_applied", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("rows_failed", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("facts_new", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("facts_changed", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("facts_revoked", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("facts_unchanged", sa.BigInteger, nullable=False, server_default="0"),
    # Row-by-row batches commit in chunks: rows up to here are done (idempotent resume).
    sa.Column("checkpoint_row", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("spool_path", sa.Text),
    sa.Column("lease_until", sa.DateTime(timezone=True)),
    sa.Column("claimed_by", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("received_at", sa.DateTime(timezone=True)),
    sa.Column("started_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
)
# A batch (same department, same bytes) is applied once; rejected or duplicate ones may repeat.
sa.Index(
    "uq_batches_department_sha256",
    batches.c.department,
    batches.c.sha256,
    unique=True,
    postgresql_where=batches.c.status.in_(
        ["received", "processing", "applied", "partially_applied"]
    ),
)
sa.Index(
    "ix_batches_pending",
    batches.c.created_at,
    postgresql_where=batches.c.status.in_(["received", "processing"]),
)
sa.Index("ix_batches_sender", batches.c.sender, batches.c.created_at)

batch_errors = sa.Table(
    "batch_errors",
    metadata,
    sa.Column("batch_id", UUID(as_uuid=True), sa.ForeignKey("batches.id"), primary_key=True),
    # 0 for the batch as a whole (checksum, header, row count).
    sa.Column("row_no", sa.BigInteger, primary_key=True),
    sa.Column("field", sa.Text, primary_key=True),
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
)

facts = sa.Table(
    "facts",
    metadata,
    sa.Column("fact_key", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("person_key", sa.Text),
    sa.Column("uscc", sa.String(18)),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("value_hash", sa.String(64), nullable=False),
    sa.Column("detail", JSONB, nullable=False),
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_until", sa.Date),
    sa.Column("revoked", sa.Boolean, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("evidence_ref", sa.Text, nullable=False),
    sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_facts_person_key", facts.c.person_key)
sa.Index("ix_facts_uscc", facts.c.uscc)

fact_versions = sa.Table(
    "fact_versions",
    metadata,
    sa.Column("fact_key", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("change", sa.Text, nullable=False),
    sa.Column("value_hash", sa.String(64), nullable=False),
    sa.Column("detail", JSONB, nullable=False),
    sa.Column("revoked", sa.Boolean, nullable=False),
    sa.Column("department", sa.Text, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("evidence_ref", sa.Text, nullable=False),
    sa.Column("event_id", UUID(as_uuid=True), nullable=False),
    sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
)

staff_records = sa.Table(
    "staff_records",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    # unemployment_registration | employment_difficulty
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("masked_resident_id", sa.String(18), nullable=False),
    # 常住地: the district of usual residence handles the record (seed 003).
    sa.Column("residence_district", sa.String(6), nullable=False),
    sa.Column("service_point", sa.Text),
    sa.Column("category", sa.Text),
    sa.Column("statement", sa.Text),
    # applied | checked | approved | rejected | exited
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("handler", sa.Text, nullable=False),
    sa.Column("applied_on", sa.Date, nullable=False),
    sa.Column("checked_by", sa.Text),
    sa.Column("check_note", sa.Text),
    sa.Column("decided_by", sa.Text),
    sa.Column("decision_note", sa.Text),
    sa.Column("decided_on", sa.Date),
    sa.Column("reviewed_on", sa.Date),
    sa.Column("next_review_due", sa.Date),
    sa.Column("exited_on", sa.Date),
    sa.Column("exit_reason", sa.Text),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)
# One open record of each kind per person.
sa.Index(
    "uq_staff_records_open",
    staff_records.c.kind,
    staff_records.c.person_key,
    unique=True,
    postgresql_where=staff_records.c.status.in_(["applied", "checked", "approved"]),
)
sa.Index("ix_staff_records_district", staff_records.c.residence_district, staff_records.c.status)

staff_record_history = sa.Table(
    "staff_record_history",
    metadata,
    sa.Column("record_id", UUID(as_uuid=True), sa.ForeignKey("staff_records.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("step", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=_now),
)
