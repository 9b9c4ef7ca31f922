"""单位消息 (the enterprise's inbox): notices built by a consumer from domain events that
concern an enterprise, once per (enterprise, event).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enterprise_notifications",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("enterprise_uscc", sa.String(18), nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("service", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint(
            "enterprise_uscc", "event_id", name="uq_enterprise_notifications_event"
        ),
    )
    op.create_index(
        "ix_enterprise_notifications_uscc",
        "enterprise_notifications",
        ["enterprise_uscc", "id"],
    )


def downgrade() -> None:
    op.drop_table("enterprise_notifications")
