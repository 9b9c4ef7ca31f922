"""The gig market as a market: place, daily hours and skills of postings; workers' gig profiles;
applications and invitations; 零工驿站 (service stations).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("gig_postings", sa.Column("address", sa.Text))
    op.add_column("gig_postings", sa.Column("latitude", sa.Float))
    op.add_column("gig_postings", sa.Column("longitude", sa.Float))
    op.add_column("gig_postings", sa.Column("daily_start", sa.Time))
    op.add_column("gig_postings", sa.Column("daily_end", sa.Time))
    op.add_column(
        "gig_postings",
        sa.Column("skills", ARRAY(sa.Text), nullable=False, server_default=sa.text("'{}'")),
    )
    op.create_index(
        "ix_gig_postings_place",
        "gig_postings",
        ["latitude", "longitude"],
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "gig_profiles",
        sa.Column("person_key", sa.Text, primary_key=True),
        sa.Column("id", UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("display_name", sa.Text, nullable=False),
        sa.Column("skills", ARRAY(sa.Text), nullable=False),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("radius_km", sa.Integer, nullable=False),
        sa.Column("available", sa.Boolean, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_gig_profiles_place", "gig_profiles", ["latitude", "longitude"])
    op.create_table(
        "gig_applications",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column(
            "posting_id", UUID(as_uuid=True), sa.ForeignKey("gig_postings.id"), nullable=False
        ),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("profile_id", UUID(as_uuid=True), nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("posting_id", "person_key", name="uq_gig_applications_person"),
    )
    op.create_index("ix_gig_applications_person", "gig_applications", ["person_key", "id"])
    op.create_table(
        "gig_stations",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("market_id", UUID(as_uuid=True), sa.ForeignKey("gig_markets.id")),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("opening_hours", JSONB, nullable=False),
        sa.Column("services", ARRAY(sa.Text), nullable=False),
        sa.Column("phone", sa.Text),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("now()"),
        ),
    )
    op.create_index("ix_gig_stations_place", "gig_stations", ["latitude", "longitude"])


def downgrade() -> None:
    op.drop_table("gig_stations")
    op.drop_table("gig_applications")
    op.drop_table("gig_profiles")
    op.drop_index("ix_gig_postings_place", table_name="gig_postings")
    for column in ("skills", "daily_end", "daily_start", "longitude", "latitude", "address"):
        op.drop_column("gig_postings", column)
