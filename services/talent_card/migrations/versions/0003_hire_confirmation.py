"""A hire moves a card (and may bring an offer) only once it is real (HireConfirmed), and then
on the person's verified title, skill level and education (FactVerified), not on the profile
the hire declared.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

from suxin_common.facts import create_facts_table, drop_facts_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hire_claims",
        sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("recorded", JSONB, nullable=True),
        sa.Column("confirmed_by", sa.Text, nullable=True),
        sa.Column("applied", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    create_facts_table(op)


def downgrade() -> None:
    drop_facts_table(op)
    op.drop_table("hire_claims")
