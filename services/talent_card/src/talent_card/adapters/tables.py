"""Talent-card tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

metadata = sa.MetaData()

cards = sa.Table(
    "cards",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("resident_id_encrypted", sa.Text, nullable=False),
    sa.Column("resident_id_masked", sa.Text, nullable=False),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("issued_employer_uscc", sa.String(18)),
    sa.Column("issued_city_code", sa.String(4), nullable=False),
    sa.Column("employer_uscc", sa.String(18)),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("position_since", sa.Date),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('A', 'B', 'C')", name="ck_cards_level"),
    sa.CheckConstraint("status IN ('active', 'suspended', 'revoked')", name="ck_cards_status"),
)
# One card per person at a time: a revoked card does not stand in the way of a new one.
# A literal, not a bound parameter: ON CONFLICT must match the index's predicate even under
# a generic plan of a prepared statement.
NOT_REVOKED = sa.text("status <> 'revoked'")
sa.Index("uq_cards_person_held", cards.c.person_key, unique=True, postgresql_where=NOT_REVOKED)

talent_flows = sa.Table(
    "talent_flows",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id"), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    # One flow per hire: a redelivered or re-published HireRecorded cannot record a second one.
    sa.Column("hire_id", UUID(as_uuid=True), nullable=False, unique=True),
    sa.Column("from_uscc", sa.String(18)),
    sa.Column("from_city_code", sa.String(4), nullable=False),
    sa.Column("to_uscc", sa.String(18), nullable=False),
    sa.Column("to_city_code", sa.String(4), nullable=False),
    sa.Column("flowed_on", sa.Date, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index(
    "ix_talent_flows_card", talent_flows.c.card_id, talent_flows.c.flowed_on, talent_flows.c.id
)
sa.Index("ix_talent_flows_flowed_on", talent_flows.c.flowed_on, talent_flows.c.id)
