"""Gig-market tables (schema in migrations/)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

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
)
