"""Talent-card tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

from suxin_common.facts import facts_table

metadata = sa.MetaData()

# Facts from authority (titles, skill levels, education) the criteria decide on.
verified_facts = facts_table(metadata)

# Hires as recorded (HireRecorded) and whether they are confirmed (HireConfirmed); a hire
# moves a card or brings an offer once both are in ("applied").
hire_claims = sa.Table(
    "hire_claims",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("recorded", JSONB, nullable=True),
    sa.Column("confirmed_by", sa.Text, nullable=True),
    sa.Column("applied", sa.Boolean, nullable=False, server_default=sa.false()),
)

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
    sa.Column("valid_from", sa.Date),
    sa.Column("valid_until", sa.Date),
    # Position in the status lists (list number = index // list size); never reused.
    sa.Column("status_index", sa.BigInteger, unique=True),
    sa.Column("holder_subject", sa.Text, unique=True),
    sa.Column("owner_subject", sa.Text),
    sa.Column("signing_kid", sa.Text),
    sa.Column("credential", sa.Text),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="1"),
    sa.Column("criteria_version", sa.Text),
    sa.Column("evidence", JSONB),
    sa.Column("proactive", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("industry_code", sa.String(1)),
    sa.Column("status_reason", sa.Text),
    sa.CheckConstraint("level IN ('A', 'B', 'C')", name="ck_cards_level"),
    sa.CheckConstraint("status IN ('active', 'suspended', 'revoked')", name="ck_cards_status"),
)
# One card per person at a time: a revoked card does not stand in the way of a new one.
# A literal, not a bound parameter: ON CONFLICT must match the index's predicate even under
# a generic plan of a prepared statement.
NOT_REVOKED = sa.text("status <> 'revoked'")
sa.Index("uq_cards_person_held", cards.c.person_key, unique=True, postgresql_where=NOT_REVOKED)
sa.Index("ix_cards_owner_subject", cards.c.owner_subject)
STATUS_INDEX_SEQ = sa.Sequence("card_status_index_seq", metadata=metadata)

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
    sa.Column("from_industry_code", sa.String(1)),
    sa.Column("to_industry_code", sa.String(1)),
    sa.Column("level", sa.Text),
)
sa.Index(
    "ix_talent_flows_card", talent_flows.c.card_id, talent_flows.c.flowed_on, talent_flows.c.id
)
sa.Index("ix_talent_flows_flowed_on", talent_flows.c.flowed_on, talent_flows.c.id)

# A holder's jobs (employer and city history), from HireRecorded and EmploymentEnded, which
# may arrive in either order: whichever comes first creates the row.
card_employments = sa.Table(
    "card_employments",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id"), nullable=False),
    sa.Column("employer_uscc", sa.String(18), nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("industry_code", sa.String(1)),
    sa.Column("job_kind", sa.Text),
    sa.Column("started_on", sa.Date),
    sa.Column("ended_on", sa.Date),
)
sa.Index("ix_card_employments_card", card_employments.c.card_id)

# 政策找人: offers of a card the service made on its own, one per qualifying event.
card_offers = sa.Table(
    "card_offers",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    # The qualifying event's natural key, e.g. "training_certified:<voucher id>": backs up the
    # inbox, so the same event announced twice under new event ids still makes one offer.
    sa.Column("source_key", sa.Text, nullable=False, unique=True),
    sa.Column("source_event_id", sa.Text, nullable=False),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("criteria_version", sa.Text, nullable=False),
    sa.Column("evidence", JSONB, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("employer_uscc", sa.String(18)),
    sa.Column("industry_code", sa.String(1)),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id")),
    sa.CheckConstraint("level IN ('A', 'B', 'C')", name="ck_card_offers_level"),
    sa.CheckConstraint("status IN ('open', 'accepted', 'declined')", name="ck_card_offers_status"),
)
sa.Index("ix_card_offers_person", card_offers.c.person_key, card_offers.c.status)

# Applications (申请) with staff review.
card_applications = sa.Table(
    "card_applications",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("resident_id_encrypted", sa.Text, nullable=False),
    sa.Column("resident_id_masked", sa.Text, nullable=False),
    sa.Column("owner_subject", sa.Text),
    sa.Column("attributes", JSONB, nullable=False),
    sa.Column("documents", JSONB, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("employer_uscc", sa.String(18)),
    sa.Column("proposed_level", sa.Text),
    sa.Column("criteria_version", sa.Text, nullable=False),
    sa.Column("evidence", JSONB, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(timezone=True)),
    sa.Column("reviewer", sa.Text),
    sa.Column("review_note", sa.Text),
    sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id")),
    sa.CheckConstraint(
        "status IN ('pending', 'approved', 'rejected')", name="ck_card_applications_status"
    ),
)
sa.Index("ix_card_applications_status", card_applications.c.status, card_applications.c.id)

# Entitlement uses recorded by partners; the per-period limit is counted from these rows.
entitlement_uses = sa.Table(
    "entitlement_uses",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("card_id", UUID(as_uuid=True), sa.ForeignKey("cards.id"), nullable=False),
    sa.Column("entitlement_code", sa.Text, nullable=False),
    sa.Column("partner_uscc", sa.String(18), nullable=False),
    sa.Column("partner_subject", sa.Text, nullable=False),
    # The partner's own reference: a retried request with the same one records one use.
    sa.Column("reference", sa.Text, nullable=False),
    sa.Column("used_on", sa.Date, nullable=False),
    sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("partner_uscc", "reference", name="uq_entitlement_uses_reference"),
)
sa.Index(
    "ix_entitlement_uses_card",
    entitlement_uses.c.card_id,
    entitlement_uses.c.entitlement_code,
    entitlement_uses.c.used_on,
)
sa.Index("ix_entitlement_uses_partner", entitlement_uses.c.partner_uscc, entitlement_uses.c.id)
