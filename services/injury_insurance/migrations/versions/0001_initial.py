"""Initial injury-insurance schema: coverages and platform tables.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

from suxin_common.tables import create_platform_tables, drop_platform_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_platform_tables(op)
    op.create_table(
        "coverages",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("hire_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("masked_resident_id", sa.Text, nullable=False),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("scheme", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "scheme IN ('work_injury_insurance', 'occupational_injury_protection')",
            name="ck_coverages_scheme",
        ),
        sa.CheckConstraint("status IN ('active')", name="ck_coverages_status"),
    )
    op.create_index("ix_coverages_started", "coverages", ["started_at", "id"])
    op.create_index("ix_coverages_enterprise", "coverages", ["enterprise_uscc", "started_at", "id"])
    op.create_index("ix_coverages_person", "coverages", ["person_key"])


def downgrade() -> None:
    op.drop_table("coverages")
    drop_platform_tables(op)
