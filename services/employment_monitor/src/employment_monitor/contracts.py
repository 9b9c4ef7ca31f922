"""The one place that maps proto events to employment-monitor's facts (rows of its read models).

Every event of the catalogue that a statistic needs has a mapper here; ``facts_of`` turns one
event into the facts it contributes. Dates are China Standard Time (UTC+8, no daylight saving).
"""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from employment_monitor.adapters import tables as t
from employment_monitor.adapters.projection import Fact, Upsert
from suxin.common.v1 import common_pb2 as common
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import PoisonMessage

_CST_OFFSET_S = 8 * 3600
_EPOCH = date(1970, 1, 1)


def _names(enum, prefix: str) -> dict[int, str]:
    return {v.number: v.name.removeprefix(prefix).lower() for v in enum.DESCRIPTOR.values}


KEY_GROUPS = _names(hiring.KeyGroup, "KEY_GROUP_")
EDUCATION = _names(hiring.Education, "EDUCATION_")
GENDER = _names(hiring.Gender, "GENDER_")
JOB_KIND = _names(hiring.JobKind, "JOB_KIND_")
SEPARATION = _names(hiring.SeparationReason, "SEPARATION_REASON_")
CLOSE_REASON = _names(hiring.JobPostCloseReason, "JOB_POST_CLOSE_REASON_")
PLATFORM_INDUSTRY = _names(gig.PlatformIndustry, "PLATFORM_INDUSTRY_")
ORDER_STATUS = _names(gig.OrderStatus, "ORDER_STATUS_")
SCHEME = _names(insurance.Scheme, "SCHEME_")
CLAIM_STAGE = _names(insurance.ClaimStage, "CLAIM_STAGE_")
DECISION = _names(subsidy.Decision, "DECISION_")
DELIVERY = _names(subsidy.DeliveryMode, "DELIVERY_MODE_")
TRAINING_KIND = _names(training.TrainingKind, "TRAINING_KIND_")
CARD_LEVEL = _names(talent.CardLevel, "CARD_LEVEL_")
CARD_STATUS = _names(talent.CardStatus, "CARD_STATUS_")
FAIR_MODE = _names(hiring.JobFairMode, "JOB_FAIR_MODE_")
FAIR_THEME = _names(hiring.JobFairTheme, "JOB_FAIR_THEME_")
SKILL_LEVEL = _names(common.SkillLevel, "SKILL_LEVEL_")


def _uuid(value: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PoisonMessage(f"{field} is not a UUID") from None


def _required(value: str, field: str) -> str:
    if not value:
        raise PoisonMessage(f"{field} is empty")
    return value


def _date(d: common.Date, field: str, *, fallback: date | None = None) -> date:
    if not (d.year or d.month or d.day):
        if fallback is not None:
            return fallback
        raise PoisonMessage(f"{field} is missing")
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise PoisonMessage(f"{field} is not a calendar date") from None


def _optional_date(d: common.Date) -> date | None:
    if not (d.year or d.month or d.day):
        return None
    try:
        return date(d.year, d.month, d.day)
    except ValueError:
        raise PoisonMessage("a date field is not a calendar date") from None


def cst_date(ts: Timestamp, fallback: datetime) -> date:
    """The China Standard Time calendar day of a timestamp (``fallback`` when unset)."""
    if not ts.seconds and not ts.nanos:
        return _day_of(fallback)
    return _day((ts.seconds + _CST_OFFSET_S) // 86_400)


@functools.lru_cache(maxsize=4096)
def _day(days_since_epoch: int) -> date:
    return _EPOCH + timedelta(days=days_since_epoch)


@functools.lru_cache(maxsize=1024)
def _day_of(moment: datetime) -> date:
    return _day(int(moment.timestamp() + _CST_OFFSET_S) // 86_400)


def _instant(ts: Timestamp, fallback: datetime) -> datetime:
    if not ts.seconds and not ts.nanos:
        return fallback
    return datetime.fromtimestamp(ts.seconds, UTC).replace(microsecond=ts.nanos // 1000)


def _month(d: date) -> date:
    return d.replace(day=1)


# --- the kinds of fact --------------------------------------------------------------------

HIRE = Upsert(
    t.hire_facts,
    (
        "hire_id", "version", "enterprise_uscc", "enterprise_name", "city_code", "district_code",
        "industry_code", "month", "start_date", "specialized_sme", "little_giant", "key_monitored",
        "key_groups", "education", "gender", "job_kind", "skill_level", "professional_title",
        "previously_unemployed", "monthly_wage_fen", "recorded_at",
    ),
    key=("hire_id",),
    mode="update",
    newer="version",
)  # fmt: skip
CONFIRMATION = Upsert(
    t.hire_confirmations,
    ("hire_id", "confirmed_by", "confirmed_on"),
    key=("hire_id",),
    mode="insert",
)
SEPARATION_FACT = Upsert(
    t.separation_facts,
    (
        "hire_id", "version", "enterprise_uscc", "city_code", "district_code", "industry_code",
        "month", "end_date", "reason", "job_kind", "specialized_sme", "little_giant",
        "key_monitored", "key_groups", "skill_level", "professional_title",
    ),
    key=("hire_id",),
    mode="update",
    newer="version",
)  # fmt: skip
POST_OPENED = Upsert(
    t.job_post_facts,
    (
        "job_post_id", "version", "enterprise_uscc", "city_code", "district_code",
        "industry_code", "occupation_code", "job_kind", "headcount", "specialized_zone",
        "opened_month",
    ),
    key=("job_post_id",),
    mode="update",
    newer="version",
)  # fmt: skip
POST_CLOSED = Upsert(
    t.job_post_facts,
    (
        "job_post_id", "closed_version", "enterprise_uscc", "city_code", "district_code",
        "occupation_code", "closed_on", "close_reason", "hires_made",
    ),
    key=("job_post_id",),
    mode="update",
    newer="closed_version",
)  # fmt: skip
APPLICATION = Upsert(
    t.application_facts,
    (
        "application_id", "job_post_id", "enterprise_uscc", "city_code", "district_code",
        "occupation_code", "job_kind", "key_groups", "month", "person_key",
    ),
    key=("application_id",),
    mode="insert",
)  # fmt: skip
PLATFORM = Upsert(
    t.gig_platforms,
    ("platform_uscc", "version", "name", "pilot", "city_code"),
    key=("platform_uscc",),
    mode="update",
    newer="version",
)
GIG_WORKER = Upsert(
    t.gig_workers,
    ("platform_uscc", "worker_id", "city_code", "month"),
    key=("platform_uscc", "worker_id"),
    mode="insert",
)
GIG_ORDERS = Upsert(
    t.gig_order_lines,
    ("chunk_id", "city_code", "industry", "month", "status", "platform_uscc", "orders"),
    key=("chunk_id", "city_code", "industry", "month", "status"),
    mode="insert",
)
COVERAGE_STARTED = Upsert(
    t.coverage_facts,
    ("coverage_id", "hire_id", "enterprise_uscc", "scheme", "city_code", "start_date"),
    key=("coverage_id",),
    mode="update",
)
COVERAGE_ENDED = Upsert(
    t.coverage_facts,
    ("coverage_id", "hire_id", "enterprise_uscc", "scheme", "city_code", "end_date"),
    key=("coverage_id",),
    mode="update",
)
ORDER_COVER = Upsert(
    t.order_cover_lines,
    ("chunk_id", "industry", "city_code", "month", "platform_uscc", "orders", "contribution_fen"),
    key=("chunk_id", "industry", "city_code", "month"),
    mode="insert",
)
CLAIM = Upsert(
    t.claim_facts,
    (
        "claim_id",
        "version",
        "platform_uscc",
        "industry",
        "stage",
        "amount_fen",
        "city_code",
        "month",
    ),
    key=("claim_id",),
    mode="update",
    newer="version",
)
CASE_OPENED = Upsert(
    t.subsidy_case_facts,
    (
        "case_id", "hire_id", "enterprise_uscc", "rule_id", "rule_family", "delivery_mode",
        "city_code", "district_code", "amount_fen", "review_deadline", "opened_on",
    ),
    key=("case_id",),
    mode="update",
)  # fmt: skip
CASE_REVIEW_STARTED = Upsert(
    t.subsidy_case_facts,
    ("case_id", "rule_id", "rule_family", "enterprise_uscc", "city_code", "amount_fen",
     "review_deadline"),
    key=("case_id",),
    mode="update",
)  # fmt: skip
# The review deadline counted again once a year's holiday schedule was loaded (it was provisional).
CASE_DEADLINE_RECOMPUTED = Upsert(
    t.subsidy_case_facts,
    ("case_id", "rule_family", "enterprise_uscc", "city_code", "review_deadline"),
    key=("case_id",),
    mode="update",
)
CASE_DECIDED = Upsert(
    t.subsidy_case_facts,
    (
        "case_id", "rule_id", "rule_family", "enterprise_uscc", "city_code", "review_deadline",
        "decision", "decided_on", "decided_in_time", "decided_at", "granted_fen",
    ),
    key=("case_id",),
    mode="update",
    newer="decided_at",
)  # fmt: skip
CASE_PAID = Upsert(
    t.subsidy_case_facts,
    ("case_id", "rule_family", "enterprise_uscc", "city_code", "paid_fen", "paid_on"),
    key=("case_id",),
    mode="update",
)
VOUCHER_ISSUED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "city_code", "issued_on", "amount_fen"),
    key=("voucher_id",),
    mode="update",
)
VOUCHER_REDEEMED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "redeemed_on"),
    key=("voucher_id",),
    mode="update",
)
TRAINING_COMPLETED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "city_code", "completed_on", "passed"),
    key=("voucher_id",),
    mode="update",
)
TRAINING_CERTIFIED = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "certified_on", "skill_level", "subsidy_fen"),
    key=("voucher_id",),
    mode="update",
)
TRAINING_OUTCOME = Upsert(
    t.training_facts,
    ("voucher_id", "training_kind", "employed", "retained"),
    key=("voucher_id",),
    mode="update",
)
TALENT_FLOW = Upsert(
    t.talent_flow_facts,
    (
        "flow_id", "hire_id", "from_city_code", "to_city_code", "from_industry_code",
        "to_industry_code", "level", "month",
    ),
    key=("flow_id",),
    mode="insert",
)  # fmt: skip
CARD_ISSUED = Upsert(
    t.card_facts,
    ("card_id", "level", "city_code", "issued_on", "proactive"),
    key=("card_id",),
    mode="update",
)
CARD_STATUS_FACT = Upsert(
    t.card_facts,
    ("card_id", "status", "status_version"),
    key=("card_id",),
    mode="update",
    newer="status_version",
)


# --- events -> facts ----------------------------------------------------------------------


def hire_recorded(e: hiring.HireRecorded, at: datetime) -> list[Fact]:
    start = _date(e.start_date, "HireRecorded.start_date", fallback=cst_date(e.recorded_at, at))
    return [
        (
            HIRE,
            (
                _uuid(e.hire_id, "HireRecorded.hire_id"),
                e.version,
                _required(e.enterprise_uscc, "HireRecorded.enterprise_uscc"),
                e.enterprise_name,
                e.city_code,
                e.district_code,
                e.industry_code,
                _month(start),
                start,
                e.specialized_sme,
                e.little_giant,
                e.key_monitored,
                [KEY_GROUPS.get(g, "unspecified") for g in e.key_groups],
                EDUCATION.get(e.education, "unspecified"),
                GENDER.get(e.gender, "unspecified"),
                JOB_KIND.get(e.job_kind, "unspecified"),
                int(e.skill_level),
                int(e.professional_title),
                e.previously_unemployed,
                e.monthly_wage_fen,
                _instant(e.recorded_at, at),
            ),
        )
    ]


def hire_confirmed(e: hiring.HireConfirmed, at: datetime) -> list[Fact]:
    by = hiring.HireConfirmation.Name(e.confirmed_by).removeprefix("HIRE_CONFIRMATION_")
    return [
        (
            CONFIRMATION,
            (
                _uuid(e.hire_id, "HireConfirmed.hire_id"),
                by.lower(),
                cst_date(e.confirmed_at, at),
            ),
        )
    ]


def employment_ended(e: hiring.EmploymentEnded, at: datetime) -> list[Fact]:
    end = _date(e.end_date, "EmploymentEnded.end_date", fallback=cst_date(e.recorded_at, at))
    return [
        (
            SEPARATION_FACT,
            (
                _uuid(e.hire_id, "EmploymentEnded.hire_id"),
                e.version,
                _required(e.enterprise_uscc, "EmploymentEnded.enterprise_uscc"),
                e.city_code,
                e.district_code,
                e.industry_code,
                _month(end),
                end,
                SEPARATION.get(e.reason, "unspecified"),
                JOB_KIND.get(e.job_kind, "unspecified"),
                e.specialized_sme,
                e.little_giant,
                e.key_monitored,
                [KEY_GROUPS.get(g, "unspecified") for g in e.key_groups],
                int(e.skill_level),
                int(e.professional_title),
            ),
        )
    ]


def job_post_opened(e: hiring.JobPostOpened, at: datetime) -> list[Fact]:
    opened = cst_date(e.opened_at, at)
    row = (
        _required(e.job_post_id, "JobPostOpened.job_post_id"),
        e.version,
        e.enterprise_uscc,
        e.city_code,
        e.district_code,
        e.industry_code,
        e.occupation_code,
        JOB_KIND.get(e.job_kind, "unspecified"),
        max(e.headcount, 0),
        e.specialized_zone,
        _month(opened),
    )
    return [(POST_OPENED, row)]


def job_post_closed(e: hiring.JobPostClosed, at: datetime) -> list[Fact]:
    row = (
        _required(e.job_post_id, "JobPostClosed.job_post_id"),
        e.version,
        e.enterprise_uscc or None,
        e.city_code or None,
        e.district_code or None,
        e.occupation_code or None,
        cst_date(e.closed_at, at),
        CLOSE_REASON.get(e.reason, "unspecified"),
        e.hires_made,
    )
    return [(POST_CLOSED, row)]


def application_submitted(e: hiring.ApplicationSubmitted, at: datetime) -> list[Fact]:
    row = (
        _required(e.application_id, "ApplicationSubmitted.application_id"),
        e.job_post_id,
        e.enterprise_uscc,
        e.city_code,
        e.district_code,
        e.occupation_code,
        JOB_KIND.get(e.job_kind, "unspecified"),
        [KEY_GROUPS.get(g, "unspecified") for g in e.key_groups],
        _month(cst_date(e.submitted_at, at)),
        e.person_key or None,
    )
    return [(APPLICATION, row)]


JOB_FAIR = Upsert(
    t.job_fair_facts,
    (
        "job_fair_id", "mode", "theme", "city_code", "district_code", "ends_on", "booths",
        "job_posts", "positions", "registrations", "check_ins",
    ),
    key=("job_fair_id",),
    mode="insert",
)  # fmt: skip


def job_fair_held(e: hiring.JobFairHeld, at: datetime) -> list[Fact]:
    """A fair is held once (JobFairHeld is published once per fair); a repeat changes nothing."""
    row = (
        _required(e.job_fair_id, "JobFairHeld.job_fair_id"),
        FAIR_MODE.get(e.mode, "unspecified"),
        FAIR_THEME.get(e.theme, "unspecified"),
        e.city_code or None,
        e.district_code or None,
        _date(e.ends_on, "JobFairHeld.ends_on"),
        max(e.booths, 0),
        max(e.job_posts, 0),
        max(e.positions, 0),
        max(e.registrations, 0),
        max(e.check_ins, 0),
    )
    return [(JOB_FAIR, row)]


def platform_registered(e: gig.PlatformRegistered, at: datetime) -> list[Fact]:
    row = (
        _required(e.platform_uscc, "PlatformRegistered.platform_uscc"),
        e.version,
        e.name,
        e.pilot,
        e.city_code,
    )
    return [(PLATFORM, row)]


def gig_worker_registered(e: gig.GigWorkerRegistered, at: datetime) -> list[Fact]:
    row = (
        _required(e.platform_uscc, "GigWorkerRegistered.platform_uscc"),
        _required(e.worker_id, "GigWorkerRegistered.worker_id"),
        e.city_code,
        _month(cst_date(e.registered_at, at)),
    )
    return [(GIG_WORKER, row)]


def orders_reported(e: gig.OrdersReported, at: datetime) -> list[Fact]:
    chunk = _required(e.chunk_id, "OrdersReported.chunk_id")
    lines: Counter[tuple[str, str, date, str]] = Counter()
    for o in e.orders:
        lines[
            (
                o.city_code,
                PLATFORM_INDUSTRY.get(o.industry, "unspecified"),
                _month(cst_date(o.accepted_at, at)),
                ORDER_STATUS.get(o.status, "unspecified"),
            )
        ] += 1
    return [
        (GIG_ORDERS, (chunk, city, industry, month, status, e.platform_uscc, n))
        for (city, industry, month, status), n in lines.items()
    ]


def coverage_started(e: insurance.CoverageStarted, at: datetime) -> list[Fact]:
    row = (
        _required(e.coverage_id, "CoverageStarted.coverage_id"),
        e.hire_id or None,
        e.enterprise_uscc or None,
        SCHEME.get(e.scheme, "unspecified"),
        e.city_code or None,
        _date(e.start_date, "CoverageStarted.start_date", fallback=cst_date(e.started_at, at)),
    )
    return [(COVERAGE_STARTED, row)]


def coverage_ended(e: insurance.CoverageEnded, at: datetime) -> list[Fact]:
    row = (
        _required(e.coverage_id, "CoverageEnded.coverage_id"),
        e.hire_id or None,
        e.enterprise_uscc or None,
        SCHEME.get(e.scheme, "unspecified"),
        e.city_code or None,
        _date(e.end_date, "CoverageEnded.end_date", fallback=cst_date(e.ended_at, at)),
    )
    return [(COVERAGE_ENDED, row)]


def _year_month(text: str, fallback: date) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return _month(fallback)


def orders_covered(e: insurance.OrdersCovered, at: datetime) -> list[Fact]:
    chunk = _required(e.chunk_id, "OrdersCovered.chunk_id")
    day = cst_date(e.covered_at, at)
    sums: dict[tuple[str, str, date], list[int]] = {}
    for line in e.lines:
        k = (
            PLATFORM_INDUSTRY.get(line.industry, "unspecified"),
            line.city_code,
            _year_month(line.month, day),
        )
        s = sums.setdefault(k, [0, 0])
        s[0] += line.orders
        s[1] += line.contribution_fen
    return [
        (ORDER_COVER, (chunk, industry, city, month, e.platform_uscc, n, fen))
        for (industry, city, month), (n, fen) in sums.items()
    ]


def claim_stage_changed(e: insurance.ClaimStageChanged, at: datetime) -> list[Fact]:
    row = (
        _required(e.claim_id, "ClaimStageChanged.claim_id"),
        e.version,
        e.platform_uscc,
        PLATFORM_INDUSTRY.get(e.industry, "unspecified"),
        CLAIM_STAGE.get(e.stage, "unspecified"),
        e.amount_fen,
        e.city_code,
        _month(cst_date(e.changed_at, at)),
    )
    return [(CLAIM, row)]


def subsidy_case_opened(e: subsidy.SubsidyCaseOpened, at: datetime) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCaseOpened.case_id"),
        e.hire_id or None,
        e.enterprise_uscc or None,
        e.rule_id or None,
        e.rule_family or None,
        DELIVERY.get(e.delivery_mode, "unspecified"),
        e.city_code or None,
        e.district_code or None,
        e.amount_fen,
        _optional_date(e.review_deadline),
        cst_date(e.opened_at, at),
    )
    return [(CASE_OPENED, row)]


def subsidy_case_review_started(e: subsidy.SubsidyCaseReviewStarted, at: datetime) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCaseReviewStarted.case_id"),
        e.rule_id or None,
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        e.amount_fen,
        _optional_date(e.review_deadline),
    )
    return [(CASE_REVIEW_STARTED, row)]


def subsidy_case_deadline_recomputed(
    e: subsidy.SubsidyCaseDeadlineRecomputed, at: datetime
) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCaseDeadlineRecomputed.case_id"),
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        _optional_date(e.review_deadline),
    )
    return [(CASE_DEADLINE_RECOMPUTED, row)]


def subsidy_case_decided(e: subsidy.SubsidyCaseDecided, at: datetime) -> list[Fact]:
    decided_at = _instant(e.decided_at, at)
    row = (
        _required(e.case_id, "SubsidyCaseDecided.case_id"),
        e.rule_id or None,
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        _optional_date(e.review_deadline),
        DECISION.get(e.decision, "unspecified"),
        _date(e.decided_on, "SubsidyCaseDecided.decided_on", fallback=cst_date(e.decided_at, at)),
        e.decided_in_time,
        decided_at,
        e.amount_fen,
    )
    return [(CASE_DECIDED, row)]


def subsidy_case_paid(e: subsidy.SubsidyCasePaid, at: datetime) -> list[Fact]:
    row = (
        _required(e.case_id, "SubsidyCasePaid.case_id"),
        e.rule_family or None,
        e.enterprise_uscc or None,
        e.city_code or None,
        e.amount_fen,
        cst_date(e.paid_at, at),
    )
    return [(CASE_PAID, row)]


def voucher_issued(e: training.VoucherIssued, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "VoucherIssued.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        e.city_code or None,
        cst_date(e.issued_at, at),
        e.amount_fen,
    )
    return [(VOUCHER_ISSUED, row)]


def voucher_redeemed(e: training.VoucherRedeemed, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "VoucherRedeemed.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        cst_date(e.redeemed_at, at),
    )
    return [(VOUCHER_REDEEMED, row)]


def training_completed(e: training.TrainingCompleted, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "TrainingCompleted.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        e.city_code or None,
        _date(
            e.completed_on, "TrainingCompleted.completed_on", fallback=cst_date(e.recorded_at, at)
        ),
        e.passed,
    )
    return [(TRAINING_COMPLETED, row)]


def training_certified(e: training.TrainingCertified, at: datetime) -> list[Fact]:
    row = (
        _required(e.voucher_id, "TrainingCertified.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        _date(
            e.certified_on, "TrainingCertified.certified_on", fallback=cst_date(e.recorded_at, at)
        ),
        int(e.skill_level),
        e.subsidy_fen,
    )
    return [(TRAINING_CERTIFIED, row)]


def training_outcome_recorded(e: training.TrainingOutcomeRecorded, at: datetime) -> list[Fact]:
    employed = True if e.outcome == training.TRAINING_OUTCOME_EMPLOYED else None
    retained = True if e.outcome == training.TRAINING_OUTCOME_RETAINED else None
    row = (
        _required(e.voucher_id, "TrainingOutcomeRecorded.voucher_id"),
        TRAINING_KIND.get(e.training_kind, "unspecified"),
        employed,
        retained,
    )
    return [(TRAINING_OUTCOME, row)]


def talent_flow_recorded(e: talent.TalentFlowRecorded, at: datetime) -> list[Fact]:
    flowed = _date(
        e.flowed_on, "TalentFlowRecorded.flowed_on", fallback=cst_date(e.recorded_at, at)
    )
    row = (
        _required(e.flow_id, "TalentFlowRecorded.flow_id"),
        e.hire_id,
        e.from_city_code,
        e.to_city_code,
        e.from_industry_code,
        e.to_industry_code,
        CARD_LEVEL.get(e.level, "unspecified"),
        _month(flowed),
    )
    return [(TALENT_FLOW, row)]


def card_issued(e: talent.CardIssued, at: datetime) -> list[Fact]:
    row = (
        _required(e.card_id, "CardIssued.card_id"),
        CARD_LEVEL.get(e.level, "unspecified"),
        e.city_code or None,
        cst_date(e.issued_at, at),
        e.proactive,
    )
    return [(CARD_ISSUED, row)]


def card_status_changed(e: talent.CardStatusChanged, at: datetime) -> list[Fact]:
    row = (
        _required(e.card_id, "CardStatusChanged.card_id"),
        CARD_STATUS.get(e.status, "unspecified"),
        e.version,
    )
    return [(CARD_STATUS_FACT, row)]


MAPPERS: dict[type[Message], Callable[[Message, datetime], list[Fact]]] = {
    hiring.HireRecorded: hire_recorded,
    hiring.HireConfirmed: hire_confirmed,
    hiring.EmploymentEnded: employment_ended,
    hiring.JobPostOpened: job_post_opened,
    hiring.JobPostClosed: job_post_closed,
    hiring.ApplicationSubmitted: application_submitted,
    hiring.JobFairHeld: job_fair_held,
    gig.PlatformRegistered: platform_registered,
    gig.GigWorkerRegistered: gig_worker_registered,
    gig.OrdersReported: orders_reported,
    insurance.CoverageStarted: coverage_started,
    insurance.CoverageEnded: coverage_ended,
    insurance.OrdersCovered: orders_covered,
    insurance.ClaimStageChanged: claim_stage_changed,
    subsidy.SubsidyCaseOpened: subsidy_case_opened,
    subsidy.SubsidyCaseReviewStarted: subsidy_case_review_started,
    subsidy.SubsidyCaseDecided: subsidy_case_decided,
    subsidy.SubsidyCaseDeadlineRecomputed: subsidy_case_deadline_recomputed,
    subsidy.SubsidyCasePaid: subsidy_case_paid,
    training.VoucherIssued: voucher_issued,
    training.VoucherRedeemed: voucher_redeemed,
    training.TrainingCompleted: training_completed,
    training.TrainingCertified: training_certified,
    training.TrainingOutcomeRecorded: training_outcome_recorded,
    talent.TalentFlowRecorded: talent_flow_recorded,
    talent.CardIssued: card_issued,
    talent.CardStatusChanged: card_status_changed,
}


def facts_of(event: Message, at: datetime) -> list[Fact]:
    """The facts one event contributes; ``at`` (the CloudEvents time) dates undated events."""
    return MAPPERS[type(event)](event, at)


def event_facts(event: Message, meta: EventMeta) -> list[Fact]:
    """The live consumer's translation: the facts of one delivered event."""
    return MAPPERS[type(event)](event, meta.time)
