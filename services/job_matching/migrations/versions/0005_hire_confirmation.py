"""A hire is real before it counts: who confirmed it (the person, the accepted offer, or 社保
enrolment) or that the person denied it; and the verified facts (部门数据比对) this service
reads: 社保 enrolment, and the 工信/staff lists that set enterprise flags.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from suxin_common.facts import create_facts_table, drop_facts_table

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hires", sa.Column("confirmed_by", sa.Text, nullable=True))
    op.add_column("hires", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("hires", sa.Column("confirmation_ref", sa.Text, nullable=True))
    op.add_column("hires", sa.Column("denied_at", sa.DateTime(timezone=True), nullable=True))
    create_facts_table(op)


def downgrade() -> None:
    drop_facts_table(op)
    for column in ("denied_at", "confirmation_ref", "confirmed_at", "confirmed_by"):
        op.drop_column("hires", column)
