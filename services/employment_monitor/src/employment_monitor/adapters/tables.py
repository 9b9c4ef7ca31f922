"""Employment-monitor read models (schema in migrations/).

Every table holds *facts* keyed by the natural id of what they describe (hire, job post,
coverage, subsidy case, voucher, ...), never running counters: statistics are aggregates over
the facts at read time. So applying an event twice, or two events in either order, leaves the
same rows (see adapters/projection.py), and a replay from the streams gives the same tables.
"""

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = sa.MetaData()


def _region() -> list[sa.Column]:
    return [
        sa.Column("city_code", sa.String(4)),
        sa.Column("district_code", sa.String(6)),
    ]


# 录用: one row per hire, in its latest version.
hire_facts = sa.Table(
    "hire_facts",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("enterprise_name", sa.Text, nullable=False, server_default=""),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("industry_code", sa.String(1), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("start_date", sa.Date),
    sa.Column("specialized_sme", sa.Boolean, nullable=False),
    sa.Column("little_giant", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("key_monitored", sa.Boolean, nullable=False),
    sa.Column("key_groups", ARRAY(sa.Text), nullable=False),
    sa.Column("education", sa.Text, nullable=False),
    sa.Column("gender", sa.Text, nullable=False),
    sa.Column("job_kind", sa.Text, nullable=False, server_default="unspecified"),
    sa.Column("skill_level", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("professional_title", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("previously_unemployed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("monthly_wage_fen", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column(
        "recorded_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)
sa.Index("ix_hire_facts_city_month", hire_facts.c.city_code, hire_facts.c.month)
sa.Index("ix_hire_facts_industry_month", hire_facts.c.industry_code, hire_facts.c.month)
sa.Index("ix_hire_facts_enterprise", hire_facts.c.enterprise_uscc)

# 录用确认: a hire counts only once confirmed by the person or by 社保 (HireConfirmed); one
# row per confirmed hire, whichever of HireRecorded and HireConfirmed arrives first.
hire_confirmations = sa.Table(
    "hire_confirmations",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("confirmed_by", sa.Text, nullable=False),
    sa.Column("confirmed_on", sa.Date, nullable=False),
)

# 离职: one row per ended hire; it carries the hire's dimensions, so headcounts never need the
# hire to have arrived first.
separation_facts = sa.Table(
    "separation_facts",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=False),
    sa.Column("industry_code", sa.String(1), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
    sa.Column("end_date", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("job_kind", sa.Text, nullable=False),
    sa.Column("specialized_sme", sa.Boolean, nullable=False),
    sa.Column("little_giant", sa.Boolean, nullable=False),
    sa.Column("key_monitored", sa.Boolean, nullable=False),
    sa.Column("key_groups", ARRAY(sa.Text), nullable=False),
    sa.Column("skill_level", sa.SmallInteger, nullable=False),
    sa.Column("professional_title", sa.SmallInteger, nullable=False),
)
sa.Index("ix_separation_facts_enterprise", separation_facts.c.enterprise_uscc)

# 岗位 (labour demand): opened and closed facts of one post.
job_post_facts = sa.Table(
    "job_post_facts",
    metadata,
    sa.Column("job_post_id", sa.Text, primary_key=True),
    sa.Column("version", sa.BigInteger),
    sa.Column("enterprise_uscc", sa.String(18)),
    *_region(),
    sa.Column("industry_code", sa.String(1)),
    sa.Column("occupation_code", sa.Text),
    sa.Column("job_kind", sa.Text),
    sa.Column("headcount", sa.Integer),
    sa.Column("specialized_zone", sa.Boolean),
    sa.Column("opened_month", sa.Date),
    sa.Column("closed_version", sa.BigInteger),
    sa.Column("closed_on", sa.Date),
    sa.Column("close_reason", sa.Text),
    sa.Column("hires_made", sa.Integer),
)

# 求职申请 (labour supply).
application_facts = sa.Table(
    "application_facts",
    metadata,
    sa.Column("application_id", sa.Text, primary_key=True),
    sa.Column("job_post_id", sa.Text, nullable=False),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    *_region(),
    sa.Column("occupation_code", sa.Text, nullable=False),
    sa.Column("job_kind", sa.Text, nullable=False),
    sa.Column("key_groups", ARRAY(sa.Text), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
    # The applicant's pseudonymous person key: 求人倍率 counts seekers, not applications.
    sa.Column("person_key", sa.Text),
)

# 零工: platforms, registered workers, order status reports summed per chunk.
gig_platforms = sa.Table(
    "gig_platforms",
    metadata,
    sa.Column("platform_uscc", sa.String(18), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("pilot", sa.Boolean, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
)
gig_workers = sa.Table(
    "gig_workers",
    metadata,
    sa.Column("platform_uscc", sa.String(18), primary_key=True),
    sa.Column("worker_id", sa.Text, primary_key=True),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
)
gig_order_lines = sa.Table(
    "gig_order_lines",
    metadata,
    sa.Column("chunk_id", sa.Text, primary_key=True),
    sa.Column("city_code", sa.String(4), primary_key=True),
    sa.Column("industry", sa.Text, primary_key=True),
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("status", sa.Text, primary_key=True),
    sa.Column("platform_uscc", sa.String(18), nullable=False),
    sa.Column("orders", sa.BigInteger, nullable=False),
)

# 职业伤害保障 / 工伤保险.
coverage_facts = sa.Table(
    "coverage_facts",
    metadata,
    sa.Column("coverage_id", sa.Text, primary_key=True),
    sa.Column("hire_id", sa.Text),
    sa.Column("enterprise_uscc", sa.String(18)),
    sa.Column("scheme", sa.Text),
    sa.Column("city_code", sa.String(4)),
    sa.Column("start_date", sa.Date),
    sa.Column("end_date", sa.Date),
)
sa.Index("ix_coverage_facts_enterprise", coverage_facts.c.enterprise_uscc)
order_cover_lines = sa.Table(
    "order_cover_lines",
    metadata,
    sa.Column("chunk_id", sa.Text, primary_key=True),
    sa.Column("industry", sa.Text, primary_key=True),
    sa.Column("city_code", sa.String(4), primary_key=True),
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("platform_uscc", sa.String(18), nullable=False),
    sa.Column("orders", sa.BigInteger, nullable=False),
    sa.Column("contribution_fen", sa.BigInteger, nullable=False),
)
claim_facts = sa.Table(
    "claim_facts",
    metadata,
    sa.Column("claim_id", sa.Text, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
    sa.Column("platform_uscc", sa.String(18), nullable=False),
    sa.Column("industry", sa.Text, nullable=False),
    sa.Column("stage", sa.Text, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("month", sa.Date, nullable=False),
)

# 补贴案件: opened, decided (latest decision) and paid facts of one case.
subsidy_case_facts = sa.Table(
    "subsidy_case_facts",
    metadata,
    sa.Column("case_id", sa.Text, primary_key=True),
    sa.Column("hire_id", sa.Text),
    sa.Column("enterprise_uscc", sa.String(18)),
    sa.Column("rule_id", sa.Text),
    sa.Column("rule_family", sa.Text),
    sa.Column("delivery_mode", sa.Text),
    *_region(),
    sa.Column("amount_fen", sa.BigInteger),
    sa.Column("review_deadline", sa.Date),
    sa.Column("opened_on", sa.Date),
    sa.Column("decision", sa.Text),
    sa.Column("decided_on", sa.Date),
    sa.Column("decided_in_time", sa.Boolean),
    sa.Column("decided_at", sa.DateTime(timezone=True)),
    sa.Column("granted_fen", sa.BigInteger),
    sa.Column("paid_fen", sa.BigInteger),
    sa.Column("paid_on", sa.Date),
)
sa.Index("ix_subsidy_case_facts_deadline", subsidy_case_facts.c.review_deadline)

# 职业技能培训: one row per voucher, from issue to outcome.
training_facts = sa.Table(
    "training_facts",
    metadata,
    sa.Column("voucher_id", sa.Text, primary_key=True),
    sa.Column("training_kind", sa.Text),
    sa.Column("city_code", sa.String(4)),
    sa.Column("issued_on", sa.Date),
    sa.Column("amount_fen", sa.BigInteger),
    sa.Column("redeemed_on", sa.Date),
    sa.Column("completed_on", sa.Date),
    sa.Column("passed", sa.Boolean),
    sa.Column("certified_on", sa.Date),
    sa.Column("skill_level", sa.SmallInteger),
    sa.Column("subsidy_fen", sa.BigInteger),
    sa.Column("employed", sa.Boolean),
    sa.Column("retained", sa.Boolean),
)

# 苏畅卡 and 人才流动.
talent_flow_facts = sa.Table(
    "talent_flow_facts",
    metadata,
    sa.Column("flow_id", sa.Text, primary_key=True),
    sa.Column("hire_id", sa.Text, nullable=False),
    sa.Column("from_city_code", sa.String(4), nullable=False),
    sa.Column("to_city_code", sa.String(4), nullable=False),
    sa.Column("from_industry_code", sa.Text, nullable=False),
    sa.Column("to_industry_code", sa.Text, nullable=False),
    sa.Column("level", sa.Text, nullable=False),
    sa.Column("month", sa.Date, nullable=False),
)
card_facts = sa.Table(
    "card_facts",
    metadata,
    sa.Column("card_id", sa.Text, primary_key=True),
    sa.Column("level", sa.Text),
    sa.Column("city_code", sa.String(4)),
    sa.Column("issued_on", sa.Date),
    sa.Column("proactive", sa.Boolean),
    sa.Column("status", sa.Text),
    sa.Column("status_version", sa.BigInteger),
)

# 招聘会: one row per fair held (JobFairHeld), with what it gathered.
job_fair_facts = sa.Table(
    "job_fair_facts",
    metadata,
    sa.Column("job_fair_id", sa.Text, primary_key=True),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("theme", sa.Text, nullable=False),
    *_region(),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("booths", sa.Integer, nullable=False),
    sa.Column("job_posts", sa.Integer, nullable=False),
    sa.Column("positions", sa.Integer, nullable=False),
    sa.Column("registrations", sa.Integer, nullable=False),
    sa.Column("check_ins", sa.Integer, nullable=False),
)

READ_MODELS = (
    hire_facts,
    hire_confirmations,
    separation_facts,
    job_post_facts,
    application_facts,
    gig_platforms,
    gig_workers,
    gig_order_lines,
    coverage_facts,
    order_cover_lines,
    claim_facts,
    subsidy_case_facts,
    training_facts,
    talent_flow_facts,
    card_facts,
    job_fair_facts,
)
