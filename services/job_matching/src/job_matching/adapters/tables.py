"""Job-matching tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID

from suxin_common.facts import facts_table

metadata = sa.MetaData()

# Facts from authority this service reads (社保 enrolment; 工信 and staff enterprise lists).
verified_facts = facts_table(metadata)

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
    sa.Column("birth_date", sa.Date),  # from the resident ID; NULL before migration 0012
    sa.Column("education", sa.Text, nullable=False),
    sa.Column("graduation_date", sa.Date),
    sa.Column("key_groups", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("skills", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("desired_occupations", ARRAY(sa.Text), nullable=False, server_default="{}"),
    # 小类 of the desired occupations, for the indexed prefilter of "seekers for a post".
    sa.Column("desired_minor_groups", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("desired_regions", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("desired_cities", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("desired_wage_fen", sa.BigInteger),
    sa.Column("skill_level", sa.Text),
    sa.Column("professional_title", sa.Text),
    sa.Column("previously_unemployed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("open_to_offers", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    # Candidate keys (domain.matching.seeker_match_keys), GIN-indexed.
    sa.Column("match_keys", ARRAY(sa.Text), nullable=False, server_default="{}"),
    # The district whose employment office serves the person (HRSS staff district scope).
    sa.Column("district_code", sa.String(6)),
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
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("occupation_minor", sa.Text, nullable=False, server_default=""),
    sa.Column("required_skills", ARRAY(sa.Text), nullable=False, server_default="{}"),
    sa.Column("min_education", sa.Text),
    sa.Column("specialized_zone", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("search_vector", TSVECTOR, nullable=False, server_default=""),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("opened_at", sa.DateTime(timezone=True)),
    sa.Column("closed_at", sa.DateTime(timezone=True)),
    sa.Column("close_reason", sa.Text),
    # Candidate keys (domain.matching.post_match_keys), GIN-indexed while open.
    sa.Column("match_keys", ARRAY(sa.Text), nullable=False, server_default="{}"),
    # Weighted lexemes of title, occupation, enterprise, skills, place, description (search.py).
    sa.Column("search_doc", TSVECTOR, nullable=False, server_default=""),
)

# The search vocabulary (search.py): terms for autocomplete and for reading pinyin queries.
search_terms = sa.Table(
    "search_terms",
    metadata,
    sa.Column("term", sa.Text, primary_key=True),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("pinyin", sa.Text, nullable=False),
    sa.Column("initials", sa.Text, nullable=False),
    sa.Column("posts", sa.Integer, nullable=False, server_default="0"),
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
    sa.Column("application_id", UUID(as_uuid=True)),
    # What HireRecorded said, repeated by EmploymentEnded (see domain.model.HireSnapshot).
    sa.Column("snapshot", JSONB, nullable=False, server_default="{}"),
    sa.Column("end_date", sa.Date),
    sa.Column("end_reason", sa.Text),
    sa.Column("ended_at", sa.DateTime(timezone=True)),
    # A hire is what the enterprise declared until the person confirms it (or accepted its
    # offer) or 社保 shows the enrolment: HireConfirmation value, when, and the evidence.
    sa.Column("confirmed_by", sa.Text, nullable=True),
    sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("confirmation_ref", sa.Text, nullable=True),
    sa.Column("denied_at", sa.DateTime(timezone=True), nullable=True),
)

applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
    sa.Column("job_post_id", UUID(as_uuid=True), sa.ForeignKey("job_posts.id"), nullable=False),
    sa.Column("enterprise_uscc", sa.String(18), sa.ForeignKey("enterprises.uscc"), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("cover_letter", sa.Text, nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column(
        "submitted_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

services_delivered = sa.Table(
    "services_delivered",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
    sa.Column("programme", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("job_post_id", UUID(as_uuid=True), sa.ForeignKey("job_posts.id")),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("delivered_by", sa.Text, nullable=False),
    sa.Column(
        "delivered_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)

sa.Index("ix_job_posts_enterprise", job_posts.c.enterprise_uscc)
sa.Index("ix_hires_enterprise", hires.c.enterprise_uscc)
sa.Index("ix_hires_seeker", hires.c.seeker_id)
# HRSS staff district scope (district_clause: prefix LIKE, served by text_pattern_ops).
sa.Index(
    "ix_seekers_district_code",
    seekers.c.district_code,
    postgresql_ops={"district_code": "text_pattern_ops"},
)
# Matching prefilter (adapters/matching.py): exact occupation in a district, 小类 anywhere,
# and the candidate keys.
sa.Index(
    "ix_job_posts_open_occupation_district",
    job_posts.c.occupation_code,
    job_posts.c.district_code,
    postgresql_where=sa.text("status = 'open'"),
)
sa.Index(
    "ix_job_posts_open_minor_city",
    job_posts.c.occupation_minor,
    job_posts.c.city_code,
    postgresql_where=sa.text("status = 'open'"),
)
sa.Index(
    "ix_job_posts_open_match_keys",
    job_posts.c.match_keys,
    postgresql_using="gin",
    postgresql_where=sa.text("status = 'open'"),
)
# Search listing: newest open posts first, by city; full text by GIN on the jieba tsvector.
sa.Index(
    "ix_job_posts_open_city_opened",
    job_posts.c.city_code,
    job_posts.c.opened_at.desc(),
    job_posts.c.id.desc(),
    postgresql_where=sa.text("status = 'open'"),
)
sa.Index(
    "ix_job_posts_open_opened",
    job_posts.c.opened_at.desc(),
    job_posts.c.id.desc(),
    postgresql_where=sa.text("status = 'open'"),
)
sa.Index("ix_job_posts_search", job_posts.c.search_vector, postgresql_using="gin")
sa.Index(
    "ix_job_posts_open_search_doc",
    job_posts.c.search_doc,
    postgresql_using="gin",
    postgresql_where=sa.text("status = 'open'"),
    postgresql_with={"fastupdate": "off"},
)
# Autocomplete: prefix of the term, its pinyin or its initials (LIKE 'x%' in any locale).
for _column in ("term", "pinyin", "initials"):
    sa.Index(
        f"ix_search_terms_{_column}_prefix",
        search_terms.c[_column],
        postgresql_ops={_column: "text_pattern_ops"},
    )
sa.Index("ix_seekers_desired_minor", seekers.c.desired_minor_groups, postgresql_using="gin")
sa.Index("ix_seekers_match_keys", seekers.c.match_keys, postgresql_using="gin")
sa.Index("ix_seekers_account", seekers.c.account_subject)
sa.Index("ix_applications_post", applications.c.job_post_id, applications.c.submitted_at)
sa.Index("ix_applications_seeker", applications.c.seeker_id, applications.c.submitted_at)
# One live application per person and post; after withdrawal or rejection one may reapply.
sa.Index(
    "uq_applications_live",
    applications.c.seeker_id,
    applications.c.job_post_id,
    unique=True,
    postgresql_where=sa.text("status IN ('submitted', 'shortlisted', 'offered', 'hired')"),
)
sa.Index("ix_services_delivered_seeker", services_delivered.c.seeker_id)
# A job recommendation counts once per post.
sa.Index(
    "uq_services_recommendation",
    services_delivered.c.seeker_id,
    services_delivered.c.programme,
    services_delivered.c.job_post_id,
    unique=True,
    postgresql_where=sa.text("kind = 'job_recommendation'"),
)

# 站内消息: each person's inbox, one row per (person, domain event) (consumer: notifications).
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("service", sa.Text, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("person_key", "event_id", name="uq_notifications_person_event"),
)
sa.Index("ix_notifications_person", notifications.c.person_key, notifications.c.id)

# --- 招聘会 (job fairs; migration 0008) ------------------------------------------------------

job_fairs = sa.Table(
    "job_fairs",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("theme", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6)),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("venue", sa.Text),
    sa.Column("link", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("held_at", sa.DateTime(timezone=True)),
)
sa.Index("ix_job_fairs_starts", job_fairs.c.starts_on, job_fairs.c.id)

# An enterprise's booth (展位) at a fair, with the posts it shows there.
job_fair_booths = sa.Table(
    "job_fair_booths",
    metadata,
    sa.Column("fair_id", UUID(as_uuid=True), sa.ForeignKey("job_fairs.id"), primary_key=True),
    sa.Column(
        "enterprise_uscc", sa.String(18), sa.ForeignKey("enterprises.uscc"), primary_key=True
    ),
    sa.Column("booth_no", sa.Integer, nullable=False),
    sa.Column("job_post_ids", ARRAY(UUID(as_uuid=True)), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("fair_id", "booth_no", name="uq_job_fair_booths_no"),
)

job_fair_registrations = sa.Table(
    "job_fair_registrations",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("fair_id", UUID(as_uuid=True), sa.ForeignKey("job_fairs.id"), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("checked_in_at", sa.DateTime(timezone=True)),
    sa.UniqueConstraint("fair_id", "person_key", name="uq_job_fair_registrations_person"),
    sa.UniqueConstraint("fair_id", "code", name="uq_job_fair_registrations_code"),
)
sa.Index(
    "ix_job_fair_registrations_person",
    job_fair_registrations.c.person_key,
    job_fair_registrations.c.id,
)

# 单位消息: each enterprise's inbox, one row per (enterprise, domain event) (consumer:
# enterprise_notifications; migration 0009).
enterprise_notifications = sa.Table(
    "enterprise_notifications",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("service", sa.Text, nullable=False),
    sa.Column("link", sa.Text, nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
    sa.UniqueConstraint("enterprise_uscc", "event_id", name="uq_enterprise_notifications_event"),
)
sa.Index(
    "ix_enterprise_notifications_uscc",
    enterprise_notifications.c.enterprise_uscc,
    enterprise_notifications.c.id,
)

# 更正请求 (PIPL art. 46): a person asks for a correction of their profile; staff decide
# (migration 0010).
profile_corrections = sa.Table(
    "profile_corrections",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("seeker_id", UUID(as_uuid=True), sa.ForeignKey("seekers.id"), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("district_code", sa.String(6)),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("requested_value", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("decision_note", sa.Text),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index(
    "ix_profile_corrections_person", profile_corrections.c.person_key, profile_corrections.c.id
)
sa.Index("ix_profile_corrections_status", profile_corrections.c.status, profile_corrections.c.id)
