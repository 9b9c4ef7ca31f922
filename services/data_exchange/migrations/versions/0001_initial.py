"""Initial data-exchange schema: batches, row errors, facts and their versions, staff records

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from suxin_common.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "batches",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("feed", sa.Text(), nullable=False),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("declared_rows", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("format", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("reject_code", sa.Text(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("duplicate_of", sa.UUID(), nullable=True),
        sa.Column("rows_read", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_applied", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rows_failed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("facts_new", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("facts_changed", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("facts_revoked", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("facts_unchanged", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("checkpoint_row", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("spool_path", sa.Text(), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_batches_pending",
        "batches",
        ["created_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('received', 'processing')"),
    )
    op.create_index("ix_batches_sender", "batches", ["sender", "created_at"], unique=False)
    op.create_index(
        "uq_batches_department_sha256",
        "batches",
        ["department", "sha256"],
        unique=True,
        postgresql_where=sa.text(
            "status IN ('received', 'processing', 'applied', 'partially_applied')"
        ),
    )
    op.create_table(
        "fact_versions",
        sa.Column("fact_key", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("value_hash", sa.String(length=64), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("evidence_ref", sa.Text(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fact_key", "version"),
    )
    op.create_table(
        "facts",
        sa.Column("fact_key", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("person_key", sa.Text(), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("value_hash", sa.String(length=64), nullable=False),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("evidence_ref", sa.Text(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("fact_key"),
    )
    op.create_index("ix_facts_person_key", "facts", ["person_key"], unique=False)
    op.create_index("ix_facts_uscc", "facts", ["uscc"], unique=False)
    op.create_table(
        "staff_records",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("person_key", sa.Text(), nullable=False),
        sa.Column("masked_resident_id", sa.String(length=18), nullable=False),
        sa.Column("residence_district", sa.String(length=6), nullable=False),
        sa.Column("service_point", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("handler", sa.Text(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=False),
        sa.Column("checked_by", sa.Text(), nullable=True),
        sa.Column("check_note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("exited_on", sa.Date(), nullable=True),
        sa.Column("exit_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_staff_records_district", "staff_records", ["residence_district", "status"], unique=False
    )
    op.create_index(
        "uq_staff_records_open",
        "staff_records",
        ["kind", "person_key"],
        unique=True,
        postgresql_where=sa.text("status IN ('applied', 'checked', 'approved')"),
    )
    op.create_table(
        "batch_errors",
        sa.Column("batch_id", sa.UUID(), nullable=False),
        sa.Column("row_no", sa.BigInteger(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["batches.id"],
        ),
        sa.PrimaryKeyConstraint("batch_id", "row_no", "field", "code"),
    )
    op.create_table(
        "staff_record_history",
        sa.Column("record_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("step", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["staff_records.id"],
        ),
        sa.PrimaryKeyConstraint("record_id", "version"),
    )


def downgrade() -> None:
    op.drop_table("staff_record_history")
    op.drop_table("batch_errors")
    op.drop_index(
        "uq_staff_records_open",
        table_name="staff_records",
        postgresql_where=sa.text("status IN ('applied', 'checked', 'approved')"),
    )
    op.drop_index("ix_staff_records_district", table_name="staff_records")
    op.drop_table("staff_records")
    op.drop_index("ix_facts_uscc", table_name="facts")
    op.drop_index("ix_facts_person_key", table_name="facts")
    op.drop_table("facts")
    op.drop_table("fact_versions")
    op.drop_index(
        "uq_batches_department_sha256",
        table_name="batches",
        postgresql_where=sa.text(
            "status IN ('received', 'processing', 'applied', 'partially_applied')"
        ),
    )
    op.drop_index("ix_batches_sender", table_name="batches")
    op.drop_index(
        "ix_batches_pending",
        table_name="batches",
        postgresql_where=sa.text("status IN ('received', 'processing')"),
    )
    op.drop_table("batches")
    drop_platform_tables(op)
