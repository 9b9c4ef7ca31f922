"""Initial employment-monitor schema: hire facts and platform tables.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from suxin_common.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "hire_facts",
        sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.Column("industry_code", sa.String(1), nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("specialized_sme", sa.Boolean, nullable=False),
        sa.Column("key_monitored", sa.Boolean, nullable=False),
        sa.Column("key_groups", ARRAY(sa.Text), nullable=False),
        sa.Column("education", sa.Text, nullable=False),
        sa.Column("gender", sa.Text, nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_hire_facts_city_month", "hire_facts", ["city_code", "month"])
    op.create_index("ix_hire_facts_industry_month", "hire_facts", ["industry_code", "month"])


def downgrade() -> None:
    op.drop_table("hire_facts")
    drop_platform_tables(op)
