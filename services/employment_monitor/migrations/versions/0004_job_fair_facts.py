"""招聘会: one row per job fair held (JobFairHeld), counted against the 专精特新 fair targets.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_fair_facts",
        sa.Column("job_fair_id", sa.Text, primary_key=True),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("theme", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4)),
        sa.Column("district_code", sa.String(6)),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("booths", sa.Integer, nullable=False),
        sa.Column("job_posts", sa.Integer, nullable=False),
        sa.Column("positions", sa.Integer, nullable=False),
        sa.Column("registrations", sa.Integer, nullable=False),
        sa.Column("check_ins", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("job_fair_facts")
