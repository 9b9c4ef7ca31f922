"""更正请求: a person's requests to correct their profile, and staff's decisions.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile_corrections",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("district_code", sa.String(6)),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("requested_value", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("decision_note", sa.Text),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_profile_corrections_person", "profile_corrections", ["person_key", "id"])
    op.create_index("ix_profile_corrections_status", "profile_corrections", ["status", "id"])


def downgrade() -> None:
    op.drop_table("profile_corrections")
