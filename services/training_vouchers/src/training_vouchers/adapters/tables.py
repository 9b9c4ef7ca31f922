"""Training-vouchers tables (the schema itself lives in migrations/)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from suxin_common.facts import facts_table

metadata = sa.MetaData()

subsidy_cases = sa.Table(
    "subsidy_cases",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("rule_family", sa.Text, nullable=False),
    # The person (person key) or, for enterprise-level families, the enterprise (USCC).
    sa.Column("subject_key", sa.Text, nullable=False),
    sa.Column("occasion", sa.Text, nullable=False),
    sa.Column("trigger", sa.Text, nullable=False),
    sa.Column("hire_id", UUID(as_uuid=True), nullable=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("person_key", sa.Text, nullable=True),
    sa.Column("city_code", sa.String(4), nullable=True),
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.Column("rule_id", sa.Text, nullable=False),
    sa.Column("rule_version", sa.Text, nullable=False),
    sa.Column("delivery_mode", sa.Text, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("inputs", JSONB, nullable=False),
    sa.Column("reasons", ARRAY(sa.Text), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("review_deadline", sa.Date, nullable=True),
    sa.Column("review_deadline_provisional", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("review_started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decision_reason", sa.Text, nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decided_by", sa.Text, nullable=True),
    sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("payment_reference", sa.Text, nullable=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    # Each fact's source, as-of date and evidence; what the case waits to see verified.
    sa.Column("sources", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
    sa.Column("waiting_for", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
    # Maker-checker: who confirmed the approval (decided_by proposed it); the rule's amount and
    # the reason when staff granted less; the appeal that reopened the case, if any.
    sa.Column("approved_by", sa.Text, nullable=True),
    sa.Column("rule_amount_fen", sa.BigInteger, nullable=True),
    sa.Column("reduction_reason", sa.Text, nullable=True),
    sa.Column("reopened_by_appeal", UUID(as_uuid=True), nullable=True),
    # No double payment: one case per family, subject and occasion, whichever hire, rule or
    # redelivery tries to open another.
    sa.UniqueConstraint("rule_family", "subject_key", "occasion", name="uq_subsidy_cases_once"),
    sa.CheckConstraint("amount_fen >= 0", name="ck_subsidy_cases_amount"),
)
sa.Index(
    "ix_subsidy_cases_enterprise_opened",
    subsidy_cases.c.enterprise_uscc,
    subsidy_cases.c.opened_at,
    subsidy_cases.c.id,
)
sa.Index("ix_subsidy_cases_opened", subsidy_cases.c.opened_at, subsidy_cases.c.id)
sa.Index("ix_subsidy_cases_hire", subsidy_cases.c.hire_id)
sa.Index(
    "ix_subsidy_cases_status_deadline", subsidy_cases.c.status, subsidy_cases.c.review_deadline
)
sa.Index(
    "ix_subsidy_cases_awaiting",
    subsidy_cases.c.enterprise_uscc,
    subsidy_cases.c.person_key,
    postgresql_where=subsidy_cases.c.status == "awaiting_data",
)
sa.Index(
    "ix_subsidy_cases_awaiting_person",
    subsidy_cases.c.person_key,
    postgresql_where=sa.text("status = 'awaiting_data'"),
)

# Monthly contributions reported by the social-insurance system (社保缴费), in fen.
contributions = sa.Table(
    "contributions",
    metadata,
    sa.Column("enterprise_uscc", sa.String(18), primary_key=True),
    sa.Column("person_key", sa.Text, primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),  # YYYY-MM
    sa.Column("pension_fen", sa.BigInteger, nullable=False),
    sa.Column("medical_fen", sa.BigInteger, nullable=False),
    sa.Column("unemployment_fen", sa.BigInteger, nullable=False),
    sa.Column("work_injury_fen", sa.BigInteger, nullable=False),
    sa.Column("maternity_fen", sa.BigInteger, nullable=False),
    # The employee's own share: recorded, never subsidised.
    sa.Column("employee_fen", sa.BigInteger, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

# Births of women employees' children (for the maternity social-insurance subsidy).
births = sa.Table(
    "births",
    metadata,
    sa.Column("person_key", sa.Text, primary_key=True),
    sa.Column("child_order", sa.Integer, primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("birth_date", sa.Date, nullable=False),
    sa.Column("employee_gender", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=True),
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

# An enterprise's figures for a year (稳岗返还), from the social-insurance system.
enterprise_years = sa.Table(
    "enterprise_years",
    metadata,
    sa.Column("enterprise_uscc", sa.String(18), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("enterprise_size", sa.Text, nullable=False),
    sa.Column("insured_headcount", sa.Integer, nullable=False),
    sa.Column("layoffs", sa.Integer, nullable=False),
    sa.Column("unemployment_insurance_paid_fen", sa.BigInteger, nullable=False),
    sa.Column("contributions_in_arrears", sa.Boolean, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=True),
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

# --- subsidised training --------------------------------------------------------------------

# Every version of an occupation's subsidy table (补贴标准): proposed by one staff member,
# approved by another; the one in force on a day is the approved version with the latest
# effective date on or before it. Decisions record the version they used.
occupation_versions = sa.Table(
    "occupation_versions",
    metadata,
    sa.Column("code", sa.String(20), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("subsidy_fen", JSONB, nullable=False),
    sa.Column("digital_skills", sa.Boolean, nullable=False),
    sa.Column("shortage", sa.Boolean, nullable=False),
    sa.Column("specialised_sme_oriented", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("effective_from", sa.Date, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # proposed | approved | refused
    sa.Column("proposed_by", sa.Text, nullable=False),
    sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("approval_id", UUID(as_uuid=True), nullable=True),
    sa.Column("approved_by", sa.Text, nullable=True),
)
sa.Index(
    "ix_occupation_versions_in_force",
    occupation_versions.c.code,
    occupation_versions.c.effective_from,
    postgresql_where=occupation_versions.c.status == "approved",
)

institutions = sa.Table(
    "institutions",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("uscc", sa.String(18), nullable=False, unique=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
)

vouchers = sa.Table(
    "vouchers",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("person_key", sa.Text, nullable=False),
    # The resident ID, encrypted (FieldCipher); shown only masked.
    sa.Column("resident_id_ciphertext", sa.Text, nullable=False),
    sa.Column("masked_resident_id", sa.Text, nullable=False),
    sa.Column("occupation_code", sa.String(20), nullable=False),
    sa.Column("training_kind", sa.Text, nullable=False),
    sa.Column("target_level", sa.Text, nullable=False),
    sa.Column("eligibility", sa.Text, nullable=False),
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    sa.Column("valid_until", sa.Date, nullable=False),
    sa.Column("city_code", sa.String(4), nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("institution_id", UUID(as_uuid=True), nullable=True),
    sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("completed_on", sa.Date, nullable=True),
    sa.Column("passed", sa.Boolean, nullable=True),
    sa.Column("certified_on", sa.Date, nullable=True),
    sa.Column("skill_level", sa.Text, nullable=True),
    sa.Column("subsidy_fen", sa.BigInteger, nullable=True),
    sa.Column("outcome", sa.Text, nullable=True),
    sa.Column("outcome_hire_id", UUID(as_uuid=True), nullable=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    # The issuing district (6 digits), if known; HRSS staff are scoped by it (or the city).
    sa.Column("district_code", sa.String(6), nullable=True),
    # The occupation-table version that priced the voucher, and the one that priced the
    # subsidy released on certification.
    sa.Column("table_version", sa.Integer, nullable=True),
    sa.Column("subsidy_table_version", sa.Integer, nullable=True),
    # One voucher per person and occupation.
    sa.UniqueConstraint("person_key", "occupation_code", name="uq_vouchers_person_occupation"),
    sa.CheckConstraint("amount_fen >= 0", name="ck_vouchers_amount"),
)
sa.Index("ix_vouchers_person", vouchers.c.person_key)
sa.Index("ix_vouchers_institution_issued", vouchers.c.institution_id, vouchers.c.issued_at)
sa.Index("ix_vouchers_issued", vouchers.c.issued_at, vouchers.c.id)
sa.Index("ix_vouchers_division", vouchers.c.city_code, vouchers.c.district_code)


# --- payments (拨付): queue, batches, result files ------------------------------------------

# One payment attempt of an approved case. A returned attempt stays as it was and a new one is
# queued, so every state is kept; at most one live attempt (queued or batched) per case.
subsidy_payments = sa.Table(
    "subsidy_payments",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("case_id", UUID(as_uuid=True), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("payer_account", sa.Text, nullable=False),
    sa.Column("payee_type", sa.Text, nullable=False),  # enterprise | person
    sa.Column("payee_ref", sa.Text, nullable=False),  # USCC or person key
    sa.Column("amount_fen", sa.BigInteger, nullable=False),
    # queued | batched | paid | returned | retry | cancelled
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("batch_id", UUID(as_uuid=True), nullable=True),
    # Staff who approved the case (maker and checker): none of them may release the payment.
    sa.Column("approvers", JSONB, nullable=False),
    sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("bank_reference", sa.Text, nullable=True),
    sa.Column("return_code", sa.Text, nullable=True),
    sa.Column("return_reason", sa.Text, nullable=True),
    sa.CheckConstraint("amount_fen > 0", name="ck_subsidy_payments_amount"),
    sa.UniqueConstraint("case_id", "attempt", name="uq_subsidy_payments_attempt"),
)
sa.Index(
    "uq_subsidy_payments_live",
    subsidy_payments.c.case_id,
    unique=True,
    postgresql_where=subsidy_payments.c.status.in_(["queued", "batched"]),
)
sa.Index("ix_subsidy_payments_queue", subsidy_payments.c.payer_account, subsidy_payments.c.status)

# A batch for the paying bank or treasury: its file, kept byte for byte with its checksum.
payment_batches = sa.Table(
    "payment_batches",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),
    sa.Column("payer_account", sa.Text, nullable=False),
    sa.Column("batch_day", sa.Date, nullable=False),
    # prepared | released | refused | reconciled
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("item_count", sa.Integer, nullable=False),
    sa.Column("total_fen", sa.BigInteger, nullable=False),
    sa.Column("file_content", sa.LargeBinary, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("prepared_by", sa.Text, nullable=False),
    sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("approval_id", UUID(as_uuid=True), nullable=True),
    sa.Column("released_by", sa.Text, nullable=True),
    sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
)

# Every result file the bank sent back, byte for byte; the same file twice is one row.
payment_result_files = sa.Table(
    "payment_result_files",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("batch_id", UUID(as_uuid=True), nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("file_content", sa.LargeBinary, nullable=False),
    sa.Column("uploaded_by", sa.Text, nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("summary", JSONB, nullable=False),
    sa.UniqueConstraint("batch_id", "file_sha256", name="uq_payment_result_files_once"),
)

# --- appeals (复核/申诉) --------------------------------------------------------------------

appeals = sa.Table(
    "appeals",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("case_id", UUID(as_uuid=True), nullable=False),
    sa.Column("appellant", sa.Text, nullable=False),  # token subject
    sa.Column("appellant_kind", sa.Text, nullable=False),  # person | enterprise
    sa.Column("grounds", sa.Text, nullable=False),  # 理由, free text (may name people)
    sa.Column("case_status", sa.Text, nullable=False),  # when appealed
    # Staff who decided the case; none of them may decide the appeal.
    sa.Column("excluded", JSONB, nullable=False),
    sa.Column("status", sa.Text, nullable=False),  # submitted | upheld | dismissed
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("due_provisional", sa.Boolean, nullable=False),
    sa.Column("decided_by", sa.Text, nullable=True),
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("decision_reason", sa.Text, nullable=True),
)
# One open appeal per case.
sa.Index(
    "uq_appeals_open",
    appeals.c.case_id,
    unique=True,
    postgresql_where=appeals.c.status == "submitted",
)

appeal_attachments = sa.Table(
    "appeal_attachments",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("appeal_id", UUID(as_uuid=True), nullable=False),
    # The file name with any resident ID in it masked; the original name is not kept.
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("content_type", sa.Text, nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)
sa.Index("ix_appeal_attachments_appeal", appeal_attachments.c.appeal_id)

# The State Council's holiday schedule of a year (国务院办公厅关于…年部分节假日安排的通知), as staff
# loaded it: it makes the year's working days official (domain/working_days.py).
holiday_schedules = sa.Table(
    "holiday_schedules",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("days_off", ARRAY(sa.Date), nullable=False),
    sa.Column("make_up_workdays", ARRAY(sa.Date), nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("loaded_by", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
)

# Employments that ended (EmploymentEnded from job-matching): a maternity case stops waiting for
# months that will never be paid.
employment_ends = sa.Table(
    "employment_ends",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("ended_on", sa.Date, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index(
    "ix_employment_ends_person", employment_ends.c.enterprise_uscc, employment_ends.c.person_key
)

# 创业担保贷款 cases (domain/startup_loan.py): the case as JSON, with the columns to find it.
startup_loans = sa.Table(
    "startup_loans",
    metadata,
    sa.Column("id", UUID(as_uuid=True), primary_key=True),
    sa.Column("loan_id", sa.Text, nullable=False, unique=True),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("person_key", sa.Text, nullable=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=True),
    sa.Column("city_code", sa.String(4), nullable=True),
    sa.Column("district_code", sa.String(6), nullable=True),
    sa.Column("document", JSONB, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
)

# --- facts from authority (部门数据比对) -------------------------------------------------------

# The newest version of each verified fact (FactVerified), one row per fact_key.
verified_facts = facts_table(metadata)

# Hires as the enterprise declared them (HireRecorded), and whether the person or 社保
# confirmed them: their terms count for a subsidy only once confirmed.
hire_claims = sa.Table(
    "hire_claims",
    metadata,
    sa.Column("hire_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("enterprise_uscc", sa.String(18), nullable=False),
    sa.Column("person_key", sa.Text, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("declared", JSONB, nullable=False),
    # "person" (the person confirmed), "social_insurance" (社保 enrolment); None: declared.
    sa.Column("confirmed_by", sa.Text, nullable=True),
    sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("ix_hire_claims_person", hire_claims.c.person_key, hire_claims.c.enterprise_uscc)
