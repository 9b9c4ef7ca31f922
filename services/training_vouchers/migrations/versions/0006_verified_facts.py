"""Facts from authority (部门数据比对): the verified facts this service decides on, the hires
as their enterprises declared them (and whether the person or 社保 confirmed them), and each
case's sources and what it waits to see verified.

Revision ID: 0006
Revises: 0005_holidays
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from suxin_common.facts import create_facts_table, drop_facts_table

revision = "0006"
down_revision = "0005_holidays"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_facts_table(op)
    op.create_table(
        "hire_claims",
        sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("declared", JSONB, nullable=False),
        sa.Column("confirmed_by", sa.Text, nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_hire_claims_person", "hire_claims", ["person_key", "enterprise_uscc"])
    op.add_column(
        "subsidy_cases",
        sa.Column("sources", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.add_column(
        "subsidy_cases",
        sa.Column("waiting_for", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    )
    op.create_index(
        "ix_subsidy_cases_awaiting_person",
        "subsidy_cases",
        ["person_key"],
        postgresql_where=sa.text("status = 'awaiting_data'"),
    )


def downgrade() -> None:
    op.drop_index("ix_subsidy_cases_awaiting_person", table_name="subsidy_cases")
    op.drop_column("subsidy_cases", "waiting_for")
    op.drop_column("subsidy_cases", "sources")
    op.drop_index("ix_hire_claims_person", table_name="hire_claims")
    op.drop_table("hire_claims")
    drop_facts_table(op)
