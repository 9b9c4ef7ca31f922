"""Subsidised training: the occupation catalogue, partner institutions and vouchers.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "occupations",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("subsidy_fen", JSONB, nullable=False),
        sa.Column("digital_skills", sa.Boolean, nullable=False),
        sa.Column("shortage", sa.Boolean, nullable=False),
        sa.Column("specialised_sme_oriented", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "institutions",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("uscc", sa.String(18), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("district_code", sa.String(6), nullable=True),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "vouchers",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("resident_id_ciphertext", sa.Text, nullable=False),
        sa.Column("masked_resident_id", sa.Text, nullable=False),
        sa.Column("occupation_code", sa.String(20), nullable=False),
        sa.Column("training_kind", sa.Text, nullable=False),
        sa.Column("target_level", sa.Text, nullable=False),
        sa.Column("eligibility", sa.Text, nullable=False),
        sa.Column("amount_fen", sa.BigInteger, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("institution_id", UUID(as_uuid=True), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_on", sa.Date, nullable=True),
        sa.Column("passed", sa.Boolean, nullable=True),
        sa.Column("certified_on", sa.Date, nullable=True),
        sa.Column("skill_level", sa.Text, nullable=True),
        sa.Column("subsidy_fen", sa.BigInteger, nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("outcome_hire_id", UUID(as_uuid=True), nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.UniqueConstraint("person_key", "occupation_code", name="uq_vouchers_person_occupation"),
        sa.CheckConstraint("amount_fen >= 0", name="ck_vouchers_amount"),
    )
    op.create_index("ix_vouchers_person", "vouchers", ["person_key"])
    op.create_index("ix_vouchers_institution_issued", "vouchers", ["institution_id", "issued_at"])
    op.create_index("ix_vouchers_issued", "vouchers", ["issued_at", "id"])


def downgrade() -> None:
    op.drop_table("vouchers")
    op.drop_table("institutions")
    op.drop_table("occupations")
