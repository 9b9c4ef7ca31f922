"""Contribution-rate versions proposed and approved by two staff members.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_versions",
        sa.Column("version", sa.Text, primary_key=True),
        sa.Column("effective_from", sa.Date, nullable=False),
        sa.Column("rates_fen", JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("proposed_by", sa.Text, nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approval_id", UUID(as_uuid=True), nullable=True),
        sa.Column("approved_by", sa.Text, nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'refused')", name="ck_rate_versions_status"
        ),
    )


def downgrade() -> None:
    op.drop_table("rate_versions")
