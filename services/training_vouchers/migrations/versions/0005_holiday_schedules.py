"""The State Council's holiday schedules staff load, one row per year; the employments that
ended (a maternity case stops waiting for months that will not be paid); 创业担保贷款 cases.

Revision ID: 0005_holidays
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "0005_holidays"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holiday_schedules",
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("days_off", ARRAY(sa.Date), nullable=False),
        sa.Column("make_up_workdays", ARRAY(sa.Date), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "employment_ends",
        sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("ended_on", sa.Date, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_employment_ends_person", "employment_ends", ["enterprise_uscc", "person_key"]
    )
    op.create_table(
        "startup_loans",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("loan_id", sa.Text, nullable=False, unique=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("person_key", sa.Text, nullable=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=True),
        sa.Column("city_code", sa.String(4), nullable=True),
        sa.Column("district_code", sa.String(6), nullable=True),
        sa.Column("document", JSONB, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("startup_loans")
    op.drop_index("ix_employment_ends_person", table_name="employment_ends")
    op.drop_table("employment_ends")
    op.drop_table("holiday_schedules")
