"""Gig-market tables (schema in migrations/)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = sa.MetaData()

gig_markets = sa.Table(
    "gig_markets",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6)),
    sa.Column("standardised", sa.Boolean, nullable=False),
    sa.Column("opened_on", sa.Date, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    # 省级零工市场: a status granted to a city or county market (seed 003).
    sa.Column("provincial_level", sa.Boolean, nullable=False, server_default=sa.false()),
)

platforms = sa.Table(
    "platforms",
    metadata,
    sa.Column("uscc", sa.String(18), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    # The `platform_id` tenant claim of the platform's machine tokens.
    sa.Column("client_id", sa.Text, nullable=False, unique=True),
    sa.Column("pilot", sa.Boolean, nullable=False),
    sa.Column("industries", ARRAY(sa.Text), nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

gig_workers = sa.Table(
    "gig_workers",
    metadata,
    sa.Column("platform_uscc", sa.String(18), sa.ForeignKey("platforms.uscc"), primary_key=True),
    sa.Column("worker_id", sa.Text, primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("resident_id_encrypted", sa.Text, nullable=False),
    sa.Column("resident_id_masked", sa.Text, nullable=False),
    sa.Column("name_encrypted", sa.Text, nullable=False),
    sa.Column("name_masked", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("birth_year", sa.Integer, nullable=False),
    sa.Column(
        "registered_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    # One registration per person and platform.
    sa.UniqueConstraint("platform_uscc", "person_key", name="uq_gig_workers_person"),
)

# No foreign key to gig_workers: rows are only inserted for workers just looked up in the
# same transaction, and a key check per row would slow bulk ingestion for nothing. The key
# compares bytes (collation "C"): ids are opaque, and locale-aware comparison of millions of
# keys a day is slower for no meaning.
orders = sa.Table(
    "orders",
    metadata,
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
    sa.Column(
        "reported_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

gig_postings = sa.Table(
    "gig_postings",
    metadata,
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
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)
sa.Index("ix_gig_postings_market", gig_postings.c.market_id, gig_postings.c.id)
