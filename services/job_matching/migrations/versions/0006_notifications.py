"""站内消息 (notifications): the inbox of each person, built by a consumer from domain events
that concern them, once per (person, event).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("service", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("person_key", "event_id", name="uq_notifications_person_event"),
    )
    op.create_index("ix_notifications_person", "notifications", ["person_key", "id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_person", table_name="notifications")
    op.drop_table("notifications")
