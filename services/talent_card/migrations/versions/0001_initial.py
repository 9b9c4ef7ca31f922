"""Initial talent-card schema: cards, talent flows and platform tables.

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
        "cards",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("resident_id_encrypted", sa.Text, nullable=False),
        sa.Column("resident_id_masked", sa.Text, nullable=False),
        sa.Column("level", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("issued_employer_uscc", sa.String(18)),
        sa.Column("issued_city_code", sa.String(4), nullable=False),
        sa.Column("employer_uscc", sa.String(18)),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("position_since", sa.Date),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("level IN ('A', 'B', 'C')", name="ck_cards_level"),
        sa.CheckConstraint("status IN ('active', 'suspended', 'revoked')", name="ck_cards_status"),
    )
    op.create_index(
        "uq_cards_person_held",
        "cards",
        ["person_key"],
        unique=True,
        postgresql_where=sa.text("status <> 'revoked'"),
    )
    op.create_table(
        "talent_flows",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id"), nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("hire_id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("from_uscc", sa.String(18)),
        sa.Column("from_city_code", sa.String(4), nullable=False),
        sa.Column("to_uscc", sa.String(18), nullable=False),
        sa.Column("to_city_code", sa.String(4), nullable=False),
        sa.Column("flowed_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_talent_flows_card", "talent_flows", ["card_id", "flowed_on", "id"])
    op.create_index("ix_talent_flows_flowed_on", "talent_flows", ["flowed_on", "id"])


def downgrade() -> None:
    op.drop_table("talent_flows")
    op.drop_table("cards")
    drop_platform_tables(op)
