"""Read models of every event: separations, supply and demand, gig, cover, claims, subsidy
cases, training, talent flows and cards; richer hire facts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 07:00:28.371293
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "application_facts",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("job_post_id", sa.Text(), nullable=False),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("occupation_code", sa.Text(), nullable=False),
        sa.Column("job_kind", sa.Text(), nullable=False),
        sa.Column("key_groups", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("application_id"),
    )
    op.create_table(
        "card_facts",
        sa.Column("card_id", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=True),
        sa.Column("city_code", sa.String(length=4), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("proactive", sa.Boolean(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("status_version", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("card_id"),
    )
    op.create_table(
        "claim_facts",
        sa.Column("claim_id", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("platform_uscc", sa.String(length=18), nullable=False),
        sa.Column("industry", sa.Text(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("claim_id"),
    )
    op.create_table(
        "coverage_facts",
        sa.Column("coverage_id", sa.Text(), nullable=False),
        sa.Column("hire_id", sa.Text(), nullable=True),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("scheme", sa.Text(), nullable=True),
        sa.Column("city_code", sa.String(length=4), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("coverage_id"),
    )
    op.create_index(
        "ix_coverage_facts_enterprise", "coverage_facts", ["enterprise_uscc"], unique=False
    )
    op.create_table(
        "gig_order_lines",
        sa.Column("chunk_id", sa.Text(), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.Column("industry", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("platform_uscc", sa.String(length=18), nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("chunk_id", "city_code", "industry", "month", "status"),
    )
    op.create_table(
        "gig_platforms",
        sa.Column("platform_uscc", sa.String(length=18), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("pilot", sa.Boolean(), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("platform_uscc"),
    )
    op.create_table(
        "gig_workers",
        sa.Column("platform_uscc", sa.String(length=18), nullable=False),
        sa.Column("worker_id", sa.Text(), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("platform_uscc", "worker_id"),
    )
    op.create_table(
        "job_post_facts",
        sa.Column("job_post_id", sa.Text(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=True),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("city_code", sa.String(length=4), nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("industry_code", sa.String(length=1), nullable=True),
        sa.Column("occupation_code", sa.Text(), nullable=True),
        sa.Column("job_kind", sa.Text(), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=True),
        sa.Column("specialized_zone", sa.Boolean(), nullable=True),
        sa.Column("opened_month", sa.Date(), nullable=True),
        sa.Column("closed_version", sa.BigInteger(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("close_reason", sa.Text(), nullable=True),
        sa.Column("hires_made", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("job_post_id"),
    )
    op.create_table(
        "order_cover_lines",
        sa.Column("chunk_id", sa.Text(), nullable=False),
        sa.Column("industry", sa.Text(), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("platform_uscc", sa.String(length=18), nullable=False),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.Column("contribution_fen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("chunk_id", "industry", "city_code", "month"),
    )
    op.create_table(
        "separation_facts",
        sa.Column("hire_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=False),
        sa.Column("city_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=False),
        sa.Column("industry_code", sa.String(length=1), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("job_kind", sa.Text(), nullable=False),
        sa.Column("specialized_sme", sa.Boolean(), nullable=False),
        sa.Column("little_giant", sa.Boolean(), nullable=False),
        sa.Column("key_monitored", sa.Boolean(), nullable=False),
        sa.Column("key_groups", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("skill_level", sa.SmallInteger(), nullable=False),
        sa.Column("professional_title", sa.SmallInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hire_id"),
    )
    op.create_index(
        "ix_separation_facts_enterprise", "separation_facts", ["enterprise_uscc"], unique=False
    )
    op.create_table(
        "subsidy_case_facts",
        sa.Column("case_id", sa.Text(), nullable=False),
        sa.Column("hire_id", sa.Text(), nullable=True),
        sa.Column("enterprise_uscc", sa.String(length=18), nullable=True),
        sa.Column("rule_id", sa.Text(), nullable=True),
        sa.Column("rule_family", sa.Text(), nullable=True),
        sa.Column("delivery_mode", sa.Text(), nullable=True),
        sa.Column("city_code", sa.String(length=4), nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("review_deadline", sa.Date(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_in_time", sa.Boolean(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("granted_fen", sa.BigInteger(), nullable=True),
        sa.Column("paid_fen", sa.BigInteger(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_index(
        "ix_subsidy_case_facts_deadline", "subsidy_case_facts", ["review_deadline"], unique=False
    )
    op.create_table(
        "talent_flow_facts",
        sa.Column("flow_id", sa.Text(), nullable=False),
        sa.Column("hire_id", sa.Text(), nullable=False),
        sa.Column("from_city_code", sa.String(length=4), nullable=False),
        sa.Column("to_city_code", sa.String(length=4), nullable=False),
        sa.Column("from_industry_code", sa.Text(), nullable=False),
        sa.Column("to_industry_code", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("flow_id"),
    )
    op.create_table(
        "training_facts",
        sa.Column("voucher_id", sa.Text(), nullable=False),
        sa.Column("training_kind", sa.Text(), nullable=True),
        sa.Column("city_code", sa.String(length=4), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("redeemed_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("certified_on", sa.Date(), nullable=True),
        sa.Column("skill_level", sa.SmallInteger(), nullable=True),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=True),
        sa.Column("employed", sa.Boolean(), nullable=True),
        sa.Column("retained", sa.Boolean(), nullable=True),
        sa.PrimaryKeyConstraint("voucher_id"),
    )
    op.add_column(
        "hire_facts", sa.Column("version", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.add_column(
        "hire_facts", sa.Column("enterprise_name", sa.Text(), server_default="", nullable=False)
    )
    op.add_column("hire_facts", sa.Column("start_date", sa.Date(), nullable=True))
    op.add_column(
        "hire_facts",
        sa.Column("little_giant", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column(
        "hire_facts", sa.Column("job_kind", sa.Text(), server_default="unspecified", nullable=False)
    )
    op.add_column(
        "hire_facts",
        sa.Column("skill_level", sa.SmallInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "hire_facts",
        sa.Column("professional_title", sa.SmallInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "hire_facts",
        sa.Column(
            "previously_unemployed", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
    )
    op.add_column(
        "hire_facts",
        sa.Column("monthly_wage_fen", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.create_index("ix_hire_facts_enterprise", "hire_facts", ["enterprise_uscc"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hire_facts_enterprise", table_name="hire_facts")
    op.drop_column("hire_facts", "monthly_wage_fen")
    op.drop_column("hire_facts", "previously_unemployed")
    op.drop_column("hire_facts", "professional_title")
    op.drop_column("hire_facts", "skill_level")
    op.drop_column("hire_facts", "job_kind")
    op.drop_column("hire_facts", "little_giant")
    op.drop_column("hire_facts", "start_date")
    op.drop_column("hire_facts", "enterprise_name")
    op.drop_column("hire_facts", "version")
    op.drop_table("training_facts")
    op.drop_table("talent_flow_facts")
    op.drop_index("ix_subsidy_case_facts_deadline", table_name="subsidy_case_facts")
    op.drop_table("subsidy_case_facts")
    op.drop_index("ix_separation_facts_enterprise", table_name="separation_facts")
    op.drop_table("separation_facts")
    op.drop_table("order_cover_lines")
    op.drop_table("job_post_facts")
    op.drop_table("gig_workers")
    op.drop_table("gig_platforms")
    op.drop_table("gig_order_lines")
    op.drop_index("ix_coverage_facts_enterprise", table_name="coverage_facts")
    op.drop_table("coverage_facts")
    op.drop_table("claim_facts")
    op.drop_table("card_facts")
    op.drop_table("application_facts")
