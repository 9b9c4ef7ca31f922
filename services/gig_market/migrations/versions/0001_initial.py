"""Initial gig-market schema: gig markets and platform tables.

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
        "gig_markets",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("level", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("district_code", sa.String(6)),
        sa.Column("standardised", sa.Boolean, nullable=False),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )


def downgrade() -> None:
    op.drop_table("gig_markets")
    drop_platform_tables(op)
