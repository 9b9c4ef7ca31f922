"""Gig-market tables (schema in migrations/)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

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

# --- the market: where and when, who takes the work, 零工驿站 (migration 0004) ----------------

# Where the work is (WGS-84 degrees; a map app's GCJ-02 point is converted by the app) and the
# daily hours; the skills the poster asks for. All optional: postings from before 0004 have none.
gig_postings.append_column(sa.Column("address", sa.Text))
gig_postings.append_column(sa.Column("latitude", sa.Float))
gig_postings.append_column(sa.Column("longitude", sa.Float))
gig_postings.append_column(sa.Column("daily_start", sa.Time))
gig_postings.append_column(sa.Column("daily_end", sa.Time))
gig_postings.append_column(
    sa.Column("skills", ARRAY(sa.Text), nullable=False, server_default=sa.text("'{}'"))
)
sa.Index(
    "ix_gig_postings_place",
    gig_postings.c.latitude,
    gig_postings.c.longitude,
    postgresql_where=gig_postings.c.status == "open",
)

# A person's gig profile (零工求职登记): what they offer and where. Keyed by the person key of
# their verified login; `id` is what posters see (never the person key).
gig_profiles = sa.Table(
    "gig_profiles",
    metadata,
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
sa.Index("ix_gig_profiles_place", gig_profiles.c.latitude, gig_profiles.c.longitude)

gig_applications = sa.Table(
    "gig_applications",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("posting_id", UUID(as_uuid=True), sa.ForeignKey("gig_postings.id"), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("profile_id", UUID(as_uuid=True), nullable=False),
    sa.Column("origin", sa.Text, nullable=False),  # applied | invited
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # One application per person and posting (applying twice, or being invited after applying,
    # is the same application).
    sa.UniqueConstraint("posting_id", "person_key", name="uq_gig_applications_person"),
)
sa.Index("ix_gig_applications_person", gig_applications.c.person_key, gig_applications.c.id)

# 零工驿站: service stations of a market (or on their own), found by distance.
gig_stations = sa.Table(
    "gig_stations",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("market_id", UUID(as_uuid=True), sa.ForeignKey("gig_markets.id")),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("latitude", sa.Float, nullable=False),
    sa.Column("longitude", sa.Float, nullable=False),
    # [{"days": [1..5], "opens": "08:30", "closes": "17:30"}, ...]
    sa.Column("opening_hours", JSONB, nullable=False),
    sa.Column("services", ARRAY(sa.Text), nullable=False),
    sa.Column("phone", sa.Text),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)
sa.Index("ix_gig_stations_place", gig_stations.c.latitude, gig_stations.c.longitude)
