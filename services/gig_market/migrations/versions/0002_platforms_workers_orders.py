"""Platforms, gig workers, orders and gig postings; provincial-level status of markets.

A market's level is city or county; "provincial" was a status, not a level (seed 003), so such
markets become city markets with ``provincial_level``.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, UUID

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _now() -> sa.TextClause:
    return sa.text("now()")


def upgrade() -> None:
    op.add_column(
        "gig_markets",
        sa.Column("provincial_level", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.execute(
        "UPDATE gig_markets SET level = 'city', provincial_level = true WHERE level = 'provincial'"
    )
    op.create_table(
        "platforms",
        sa.Column("uscc", sa.String(18), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("client_id", sa.Text, nullable=False, unique=True),
        sa.Column("pilot", sa.Boolean, nullable=False),
        sa.Column("industries", ARRAY(sa.Text), nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "gig_workers",
        sa.Column(
            "platform_uscc", sa.String(18), sa.ForeignKey("platforms.uscc"), primary_key=True
        ),
        sa.Column("worker_id", sa.Text, primary_key=True),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("resident_id_encrypted", sa.Text, nullable=False),
        sa.Column("resident_id_masked", sa.Text, nullable=False),
        sa.Column("name_encrypted", sa.Text, nullable=False),
        sa.Column("name_masked", sa.Text, nullable=False),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("birth_year", sa.Integer, nullable=False),
        sa.Column(
            "registered_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()
        ),
        sa.UniqueConstraint("platform_uscc", "person_key", name="uq_gig_workers_person"),
    )
    op.create_table(
        "orders",
        sa.Column("platform_uscc", sa.String(18, collation="C"), primary_key=True),
        sa.Column("order_id", sa.Text(collation="C"), primary_key=True),
        sa.Column("worker_id", sa.Text, nullable=False),
        sa.Column("person_key", sa.Text, nullable=False),
        sa.Column("industry", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True)),
        sa.Column("cancelled_at", sa.DateTime(timezone=True)),
        sa.Column("city_code", sa.String(4), nullable=False),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
    )
    op.create_table(
        "gig_postings",
        sa.Column("id", UUID(as_uuid=True), primary_key=True),
        sa.Column("market_id", UUID(as_uuid=True), sa.ForeignKey("gig_markets.id"), nullable=False),
        sa.Column("poster_uscc", sa.String(18)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("occupation_code", sa.Text, nullable=False),
        sa.Column("district_code", sa.String(6), nullable=False),
        sa.Column("pay_unit", sa.Text, nullable=False),
        sa.Column("pay_fen", sa.BigInteger, nullable=False),
        sa.Column("headcount", sa.Integer, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_now()),
    )
    op.create_index("ix_gig_postings_market", "gig_postings", ["market_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_gig_postings_market", table_name="gig_postings")
    op.drop_table("gig_postings")
    op.drop_table("orders")
    op.drop_table("gig_workers")
    op.drop_table("platforms")
    op.execute("UPDATE gig_markets SET level = 'provincial' WHERE provincial_level")
    op.drop_column("gig_markets", "provincial_level")
