"""Injury-insurance tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

metadata = sa.MetaData()

coverages = sa.Table(
    "coverages",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    # One cover per hire: a redelivered or re-published HireRecorded cannot start a second one.
    sa.Column("hire_id", UUID(as_uuid=True), nullable=False, unique=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("masked_resident_id", sa.Text, nullable=False),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("scheme", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "scheme IN ('work_injury_insurance', 'occupational_injury_protection')",
        name="ck_coverages_scheme",
    ),
    sa.CheckConstraint("status IN ('active')", name="ck_coverages_status"),
)
sa.Index("ix_coverages_started", coverages.c.started_at, coverages.c.id)
sa.Index(
    "ix_coverages_enterprise",
    coverages.c.enterprise_uscc,
    coverages.c.started_at,
    coverages.c.id,
)
sa.Index("ix_coverages_person", coverages.c.person_key)
