"""Job-matching tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = sa.MetaData()

enterprises = sa.Table(
    "enterprises",
    metadata,
    sa.Column("uscc", sa.String(18), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("industry_code", sa.String(1), nullable=False),
    sa.Column("size", sa.Text, nullable=False),
    sa.Column("specialized_sme", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("little_giant", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("key_monitored", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

seekers = sa.Table(
    "seekers",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False, unique=True),
    sa.Column("resident_id_encrypted", sa.Text, nullable=False),
    sa.Column("resident_id_masked", sa.Text, nullable=False),
    sa.Column("account_subject", sa.Text),
    sa.Column("gender", sa.Text, nullable=False),
    sa.Column("birth_year", sa.Integer, nullable=False),
    sa.Column("education", sa.Text, nullable=False),
    sa.Column("graduation_date", sa.Date),
    sa.Column("key_groups", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

job_posts = sa.Table(
    "job_posts",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), sa.ForeignKey("enterprises.uscc"), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("occupation_code", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("headcount", sa.Integer, nullable=False),
    sa.Column("hired", sa.Integer, nullable=False, server_default="0"),
    sa.Column("wage_min_fen", sa.BigInteger, nullable=False),
    sa.Column("wage_max_fen", sa.BigInteger, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

hires = sa.Table(
    "hires",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), sa.ForeignKey("enterprises.uscc"), nullable=False),
    sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
    sa.Column("job_post_id", UUID(as_uuid=True), sa.ForeignKey("job_posts.id"), nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("contract_type", sa.Text, nullable=False),
    sa.Column("contract_months", sa.Integer, nullable=False),
    sa.Column("monthly_wage_fen", sa.BigInteger, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column(
        "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    # One hire of a person into one post: a retried request cannot hire twice.
    sa.UniqueConstraint("seeker_id", "job_post_id", name="uq_hires_seeker_post"),
)
sa.Index("ix_job_posts_enterprise", job_posts.c.enterprise_uscc)
sa.Index("ix_hires_enterprise", hires.c.enterprise_uscc)
