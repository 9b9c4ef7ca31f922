"""A hire counts in the statistics (城镇新增就业 and the rest) only once it is real: the person
confirmed it or 社保 shows the enrolment (HireConfirmed).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hire_confirmations",
        sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("confirmed_by", sa.Text, nullable=False),
        sa.Column("confirmed_on", sa.Date, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hire_confirmations")
