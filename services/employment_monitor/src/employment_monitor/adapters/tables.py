"""Employment-monitor tables (schema in migrations/)."""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = sa.MetaData()

hire_facts = sa.Table(
    "hire_facts",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("industry_code", sa.String(1), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("specialized_sme", sa.Boolean, nullable=False),
    sa.Column("key_monitored", sa.Boolean, nullable=False),
    sa.Column("key_groups", ARRAY(sa.Text), nullable=False),
    sa.Column("education", sa.Text, nullable=False),
    sa.Column("gender", sa.Text, nullable=False),
    sa.Column(
        "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)
sa.Index("ix_hire_facts_city_month", hire_facts.c.city_code, hire_facts.c.month)
sa.Index("ix_hire_facts_industry_month", hire_facts.c.industry_code, hire_facts.c.month)
