"""Policy engine: cases per rule family (no stacking, once per person), review and payment,
and the social-insurance data the rules read (contributions, births, enterprise years).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEW_CASE_COLUMNS = [
    ("rule_family", sa.Text, "'hiring_absorption'"),
    ("subject_key", sa.Text, "person_key"),
    ("occasion", sa.Text, "'once'"),
    ("trigger", sa.Text, "'hire'"),
]


def upgrade() -> None:
    for name, type_, backfill in NEW_CASE_COLUMNS:
        op.add_column("subsidy_cases", sa.Column(name, type_, nullable=True))
        op.execute(f"UPDATE subsidy_cases SET {name} = {backfill}")
        op.alter_column("subsidy_cases", name, nullable=False)
    op.add_column("subsidy_cases", sa.Column("city_code", sa.String(4), nullable=True))
    op.add_column("subsidy_cases", sa.Column("district_code", sa.String(6), nullable=True))
    op.add_column(
        "subsidy_cases", sa.Column("review_started_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("subsidy_cases", sa.Column("decision_reason", sa.Text, nullable=True))
    op.add_column(
        "subsidy_cases", sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("subsidy_cases", sa.Column("decided_by", sa.Text, nullable=True))
    op.add_column("subsidy_cases", sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("subsidy_cases", sa.Column("payment_reference", sa.Text, nullable=True))
    op.add_column(
        "subsidy_cases", sa.Column("version", sa.Integer, nullable=False, server_default="1")
    )
    op.alter_column("subsidy_cases", "hire_id", nullable=True)
    op.alter_column("subsidy_cases", "person_key", nullable=True)
    op.alter_column("subsidy_cases", "review_deadline", nullable=True)
    op.drop_constraint("uq_subsidy_cases_hire_rule", "subsidy_cases", type_="unique")
    op.create_unique_constraint(
        "uq_subsidy_cases_once", "subsidy_cases", ["rule_family", "subject_key", "occasion"]
    )
    op.create_index("ix_subsidy_cases_hire", "subsidy_cases", ["hire_id"])
    op.create_index(
        "ix_subsidy_cases_status_deadline", "subsidy_cases", ["status", "review_deadline"]
    )
    op.create_index(
        "ix_subsidy_cases_awaiting",
        "subsidy_cases",
        ["enterprise_uscc", "person_key"],
        postgresql_where=sa.text("status = 'awaiting_data'"),
    )
    op.create_table(
        "contributions",
        sa.Column("enterprise_uscc", sa.String(18), primary_key=True),
        sa.Column("person_key", sa.Text, primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("pension_fen", sa.BigInteger, nullable=False),
        sa.Column("medical_fen", sa.BigInteger, nullable=False),
        sa.Column("unemployment_fen", sa.BigInteger, nullable=False),
        sa.Column("work_injury_fen", sa.BigInteger, nullable=False),
        sa.Column("maternity_fen", sa.BigInteger, nullable=False),
        sa.Column("employee_fen", sa.BigInteger, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "births",
        sa.Column("person_key", sa.Text, primary_key=True),
        sa.Column("child_order", sa.Integer, primary_key=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("employee_gender", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=True),
        sa.Column("district_code", sa.String(6), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "enterprise_years",
        sa.Column("enterprise_uscc", sa.String(18), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("enterprise_size", sa.Text, nullable=False),
        sa.Column("insured_headcount", sa.Integer, nullable=False),
        sa.Column("layoffs", sa.Integer, nullable=False),
        sa.Column("unemployment_insurance_paid_fen", sa.BigInteger, nullable=False),
        sa.Column("contributions_in_arrears", sa.Boolean, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=True),
        sa.Column("district_code", sa.String(6), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("enterprise_years")
    op.drop_table("births")
    op.drop_table("contributions")
    op.drop_index("ix_subsidy_cases_awaiting", "subsidy_cases")
    op.drop_index("ix_subsidy_cases_status_deadline", "subsidy_cases")
    op.drop_index("ix_subsidy_cases_hire", "subsidy_cases")
    op.drop_constraint("uq_subsidy_cases_once", "subsidy_cases", type_="unique")
    # Cases not about a hire cannot survive the old schema.
    op.execute("DELETE FROM subsidy_cases WHERE hire_id IS NULL OR review_deadline IS NULL")
    op.create_unique_constraint(
        "uq_subsidy_cases_hire_rule", "subsidy_cases", ["hire_id", "rule_id"]
    )
    op.alter_column("subsidy_cases", "review_deadline", nullable=False)
    op.alter_column("subsidy_cases", "person_key", nullable=False)
    op.alter_column("subsidy_cases", "hire_id", nullable=False)
    for column in (
        "version payment_reference paid_at decided_by decided_at decision_reason"
        " review_started_at district_code city_code trigger occasion subject_key rule_family"
    ).split():
        op.drop_column("subsidy_cases", column)
