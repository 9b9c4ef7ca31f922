"""Appeals against claim decisions (认定复核) and their attachments.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_appeals",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("claim_id", UUID(as_uuid=True), sa.ForeignKey("claims.id"), nullable=False),
        sa.Column("appellant", sa.Text, nullable=False),
        sa.Column("appellant_kind", sa.Text, nullable=False),
        sa.Column("grounds", sa.Text, nullable=False),
        sa.Column("claim_stage", sa.Text, nullable=False),
        sa.Column("excluded", JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("due_provisional", sa.Boolean, nullable=False),
        sa.Column("decided_by", sa.Text, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
    )
    op.create_index(
        "uq_claim_appeals_open",
        "claim_appeals",
        ["claim_id"],
        unique=True,
        postgresql_where=sa.text("status = 'submitted'"),
    )
    op.create_table(
        "claim_appeal_attachments",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "appeal_id", UUID(as_uuid=True), sa.ForeignKey("claim_appeals.id"), nullable=False
        ),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_claim_appeal_attachments_appeal", "claim_appeal_attachments", ["appeal_id"])


def downgrade() -> None:
    op.drop_table("claim_appeal_attachments")
    op.drop_table("claim_appeals")
