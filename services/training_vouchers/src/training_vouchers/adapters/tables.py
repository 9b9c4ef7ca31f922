"""Training-vouchers tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = sa.MetaData()

subsidy_cases = sa.Table(
    "subsidy_cases",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("hire_id", UUID(as_uuid=True), nullable=False),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("rule_id", sa.Text, nullable=False),
    sa.Column("rule_version", sa.Text, nullable=False),
    sa.Column("delivery_mode", sa.Text, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("inputs", JSONB, nullable=False),
    sa.Column("reasons", ARRAY(sa.Text), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("review_deadline", sa.Date, nullable=False),
    sa.Column("review_deadline_provisional", sa.Boolean, nullable=False, server_default=sa.false()),
    # One case per hire and rule: a redelivered or re-published hire cannot open a second one.
    sa.UniqueConstraint("hire_id", "rule_id", name="uq_subsidy_cases_hire_rule"),
    sa.CheckConstraint("amount_fen >= 0", name="ck_subsidy_cases_amount"),
)
sa.Index(
    "ix_subsidy_cases_enterprise_opened",
    subsidy_cases.c.enterprise_uscc,
    subsidy_cases.c.opened_at,
    subsidy_cases.c.id,
)
sa.Index("ix_subsidy_cases_opened", subsidy_cases.c.opened_at, subsidy_cases.c.id)
