"""招聘会 (job fairs): fairs, enterprises' booths with their posts, seekers' registrations and
check-ins.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_fairs",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        sa.Column("theme", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("district_code", sa.String(6)),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("venue", sa.Text),
        sa.Column("link", sa.Text),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_job_fairs_starts", "job_fairs", ["starts_on", "id"])
    op.create_table(
        "job_fair_booths",
        sa.Column("fair_id", UUID(as_uuid=True), sa.ForeignKey("job_fairs.id"), primary_key=True),
        sa.Column(
            "enterprise_uscc",
            sa.String(18),
            sa.ForeignKey("enterprises.uscc"),
            primary_key=True,
        ),
        sa.Column("booth_no", sa.Integer, nullable=False),
        sa.Column("job_post_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("fair_id", "booth_no", name="uq_job_fair_booths_no"),
    )
    op.create_table(
        "job_fair_registrations",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("fair_id", UUID(as_uuid=True), sa.ForeignKey("job_fairs.id"), nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("fair_id", "person_key", name="uq_job_fair_registrations_person"),
        sa.UniqueConstraint("fair_id", "code", name="uq_job_fair_registrations_code"),
    )
    op.create_index(
        "ix_job_fair_registrations_person", "job_fair_registrations", ["person_key", "id"]
    )


def downgrade() -> None:
    op.drop_table("job_fair_registrations")
    op.drop_table("job_fair_booths")
    op.drop_table("job_fairs")
