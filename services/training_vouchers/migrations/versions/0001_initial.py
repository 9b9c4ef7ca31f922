"""Initial training-vouchers schema: subsidy cases and platform tables.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from suxin_common.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "subsidy_cases",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("hire_id", UUID(as_uuid=True), nullable=False),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("rule_id", sa.Text, nullable=False),
        sa.Column("rule_version", sa.Text, nullable=False),
        sa.Column("delivery_mode", sa.Text, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("inputs", JSONB, nullable=False),
        sa.Column("reasons", ARRAY(sa.Text), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_deadline", sa.Date, nullable=False),
        sa.Column(
            "review_deadline_provisional", sa.Boolean, nullable=False, server_default=sa.false()
        ),
        sa.UniqueConstraint("hire_id", "rule_id", name="uq_subsidy_cases_hire_rule"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_subsidy_cases_amount"),
    )
    op.create_index(
        "ix_subsidy_cases_enterprise_opened",
        "subsidy_cases",
        ["enterprise_uscc", "opened_at", "id"],
    )
    op.create_index("ix_subsidy_cases_opened", "subsidy_cases", ["opened_at", "id"])


def downgrade() -> None:
    op.drop_table("subsidy_cases")
    drop_platform_tables(op)
