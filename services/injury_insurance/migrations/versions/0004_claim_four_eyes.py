"""Claims record who proposed and who confirmed a decision (maker-checker), the injury
category and the benefit-schedule version that bounded the amount.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("decided_by", "approved_by", "injury_category", "schedule_version")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("claims", sa.Column(name, sa.Text, nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("claims", name)
