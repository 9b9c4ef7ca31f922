"""Injury-insurance tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB, UUID

metadata = sa.MetaData()

coverages = sa.Table(
    "coverages",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    # One cover per hire: a redelivered or re-published HireRecorded cannot start a second one.
    # Empty for platform work, which is enrolled per (platform, worker) instead.
    sa.Column("hire_id", UUID(as_uuid=True), nullable=True, unique=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("masked_resident_id", sa.Text, nullable=False),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("scheme", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("worker_id", sa.Text, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint(
        "scheme IN ('work_injury_insurance', 'occupational_injury_protection')",
        name="ck_coverages_scheme",
    ),
    sa.CheckConstraint("status IN ('active', 'ended')", name="ck_coverages_status"),
)
sa.Index("ix_coverages_started", coverages.c.started_at, coverages.c.id)
sa.Index(
    "ix_coverages_enterprise",
    coverages.c.enterprise_uscc,
    coverages.c.started_at,
    coverages.c.id,
)
sa.Index("ix_coverages_person", coverages.c.person_key)
# A platform enrols each of its workers once (first order), however often orders arrive.
sa.Index(
    "uq_coverages_platform_worker",
    coverages.c.enterprise_uscc,
    coverages.c.worker_id,
    unique=True,
    postgresql_where=coverages.c.worker_id.isnot(None),
)

# Platform enterprises as gig-market registered them (PlatformRegistered).
platforms = sa.Table(
    "platforms",
    metadata,
    sa.Column("platform_uscc", sa.String(18), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("pilot", sa.Boolean, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
)

# Workers registered by real name with a platform (GigWorkerRegistered).
gig_workers = sa.Table(
    "gig_workers",
    metadata,
    sa.Column("platform_uscc", sa.String(18), primary_key=True),
    sa.Column("worker_id", sa.Text, primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("masked_resident_id", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_gig_workers_person", gig_workers.c.person_key)

# One row per covered order: its cover window and the contribution booked for it.
order_covers = sa.Table(
    "order_covers",
    metadata,
    sa.Column("platform_uscc", sa.String(18), primary_key=True),
    sa.Column("order_id", sa.Text, primary_key=True),
    sa.Column("worker_id", sa.Text, nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("industry", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("end_status", sa.Text, nullable=True),
    sa.Column("contribution_fen", sa.BigInteger, nullable=False),
    sa.Column("rate_version", sa.Text, nullable=False),
    sa.Column("month", sa.String(7), nullable=False),
    sa.Column("chunk_id", UUID(as_uuid=True), nullable=False),
    sa.Column(
        "covered_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.CheckConstraint("contribution_fen >= 0", name="ck_order_covers_contribution"),
    sa.CheckConstraint(
        "end_status IS NULL OR end_status IN ('completed', 'cancelled')",
        name="ck_order_covers_end_status",
    ),
)
# Cover at an instant: a person's orders accepted in [instant - max cover, instant].
sa.Index("ix_order_covers_person", order_covers.c.person_key, order_covers.c.accepted_at)
# Reconciliation of a platform's month.
sa.Index("ix_order_covers_month", order_covers.c.platform_uscc, order_covers.c.month)

# Contributions owed (缴费台账): per platform, month of acceptance and industry.
contribution_ledger = sa.Table(
    "contribution_ledger",
    metadata,
    sa.Column("platform_uscc", sa.String(18), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),
    sa.Column("industry", sa.Text, primary_key=True),
    sa.Column("orders", sa.BigInteger, nullable=False),
    sa.Column("contribution_fen", sa.BigInteger, nullable=False),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("platform_uscc", sa.String(18), nullable=False),
    sa.Column("worker_id", sa.Text, nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("injured_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("place", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("order_id", sa.Text, nullable=True),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("reported_by", sa.Text, nullable=False),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("covering_order_id", sa.Text, nullable=True),
    sa.Column("industry", sa.Text, nullable=True),
    sa.Column("payment_reference", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "stage IN ('reported', 'under_review', 'approved', 'rejected', 'paid')",
        name="ck_claims_stage",
    ),
    sa.CheckConstraint("amount_fen >= 0", name="ck_claims_amount"),
    # Where the injury happened, when the reporter knows the district (HRSS district scope).
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.CheckConstraint(
        "district_code IS NULL OR left(district_code, 4) = city_code",
        name="ck_claims_district_in_city",
    ),
    # Maker-checker and the schedule version that bounded the amount (migration 0004).
    sa.Column("decided_by", sa.Text, nullable=True),
    sa.Column("approved_by", sa.Text, nullable=True),
    sa.Column("injury_category", sa.Text, nullable=True),
    sa.Column("schedule_version", sa.Text, nullable=True),
)
sa.Index("ix_claims_created", claims.c.created_at, claims.c.id)
sa.Index("ix_claims_platform", claims.c.platform_uscc, claims.c.created_at, claims.c.id)

# The audit trail of a claim: one row per stage it reached.
claim_history = sa.Table(
    "claim_history",
    metadata,
    sa.Column("claim_id", UUID(as_uuid=True), sa.ForeignKey("claims.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


# Contribution-rate versions proposed and approved in the service (four eyes); an approved one
# joins the versions of rates/contribution-rates.yaml from its effective date (migration 0005).
rate_versions = sa.Table(
    "rate_versions",
    metadata,
    sa.Column("version", sa.Text, primary_key=True),
    sa.Column("effective_from", sa.Date, nullable=False),
    sa.Column("rates_fen", JSONB, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # proposed | approved | refused
    sa.Column("proposed_by", sa.Text, nullable=False),
    sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("approval_id", UUID(as_uuid=True), nullable=True),
    sa.Column("approved_by", sa.Text, nullable=True),
    sa.CheckConstraint(
        "status IN ('proposed', 'approved', 'refused')", name="ck_rate_versions_status"
    ),
)


# Appeals (认定复核) against claim decisions, and their attachments (migration 0006).
claim_appeals = sa.Table(
    "claim_appeals",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("claim_id", UUID(as_uuid=True), sa.ForeignKey("claims.id"), nullable=False),
    sa.Column("appellant", sa.Text, nullable=False),  # token subject
    sa.Column("appellant_kind", sa.Text, nullable=False),  # worker | platform
    sa.Column("grounds", sa.Text, nullable=False),
    sa.Column("claim_stage", sa.Text, nullable=False),  # when appealed
    # Staff who decided the claim; none of them may decide the appeal.
    sa.Column("excluded", JSONB, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # submitted | upheld | dismissed
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("due_provisional", sa.Boolean, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decision_reason", sa.Text, nullable=True),
)
sa.Index(
    "uq_claim_appeals_open",
    claim_appeals.c.claim_id,
    unique=True,
    postgresql_where=claim_appeals.c.status == "submitted",
)

claim_appeal_attachments = sa.Table(
    "claim_appeal_attachments",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("appeal_id", UUID(as_uuid=True), sa.ForeignKey("claim_appeals.id"), nullable=False),
    sa.Column("file_name", sa.Text, nullable=False),  # resident IDs masked
    sa.Column("content_type", sa.Text, nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)
sa.Index("ix_claim_appeal_attachments_appeal", claim_appeal_attachments.c.appeal_id)
