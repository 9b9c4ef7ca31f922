"""The one place that maps proto events to employment-monitor's facts (rows of its read models).

Every event of the catalogue that a statistic needs has a mapper; ``facts_of`` turns one event
into the facts it contributes. The mappers and the kinds of fact they produce live by event
family in ``contract_maps/`` (hiring, gig, insurance, subsidy, training, talent; what they
share in ``contract_maps/common.py``); this module names them all (``MAPPERS``) and is what the
consumers, the replay and the tests use. Dates are China Standard Time (UTC+8, no daylight
saving).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from google.protobuf.message import Message

from employment_monitor.adapters.projection import Fact
from employment_monitor.contract_maps.gig import (
    GIG_ORDERS,
    GIG_WORKER,
    PLATFORM,
    gig_worker_registered,
    orders_reported,
    platform_registered,
)
from employment_monitor.contract_maps.hiring import (
    APPLICATION,
    CONFIRMATION,
    HIRE,
    JOB_FAIR,
    POST_CLOSED,
    POST_OPENED,
    SEPARATION_FACT,
    application_submitted,
    employment_ended,
    hire_confirmed,
    hire_recorded,
    job_fair_held,
    job_post_closed,
    job_post_opened,
)
from employment_monitor.contract_maps.insurance import (
    CLAIM,
    COVERAGE_ENDED,
    COVERAGE_STARTED,
    ORDER_COVER,
    claim_stage_changed,
    coverage_ended,
    coverage_started,
    orders_covered,
)
from employment_monitor.contract_maps.subsidy import (
    CASE_DEADLINE_RECOMPUTED,
    CASE_DECIDED,
    CASE_OPENED,
    CASE_PAID,
    CASE_REVIEW_STARTED,
    subsidy_case_deadline_recomputed,
    subsidy_case_decided,
    subsidy_case_opened,
    subsidy_case_paid,
    subsidy_case_review_started,
)
from employment_monitor.contract_maps.talent import (
    CARD_ISSUED,
    CARD_STATUS_FACT,
    TALENT_FLOW,
    card_issued,
    card_status_changed,
    talent_flow_recorded,
)
from employment_monitor.contract_maps.training import (
    TRAINING_CERTIFIED,
    TRAINING_COMPLETED,
    TRAINING_OUTCOME,
    VOUCHER_ISSUED,
    VOUCHER_REDEEMED,
    training_certified,
    training_completed,
    training_outcome_recorded,
    voucher_issued,
    voucher_redeemed,
)
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin.training.v1 import events_pb2 as training
from suxin_common.messaging.cloudevents import EventMeta

# The kinds of fact, named here too (the read models' tests and tools refer to them).
__all__ = [
    "HIRE",
    "CONFIRMATION",
    "SEPARATION_FACT",
    "POST_OPENED",
    "POST_CLOSED",
    "APPLICATION",
    "JOB_FAIR",
    "PLATFORM",
    "GIG_WORKER",
    "GIG_ORDERS",
    "COVERAGE_STARTED",
    "COVERAGE_ENDED",
    "ORDER_COVER",
    "CLAIM",
    "CASE_OPENED",
    "CASE_REVIEW_STARTED",
    "CASE_DEADLINE_RECOMPUTED",
    "CASE_DECIDED",
    "CASE_PAID",
    "VOUCHER_ISSUED",
    "VOUCHER_REDEEMED",
    "TRAINING_COMPLETED",
    "TRAINING_CERTIFIED",
    "TRAINING_OUTCOME",
    "TALENT_FLOW",
    "CARD_ISSUED",
    "CARD_STATUS_FACT",
    "MAPPERS",
    "event_facts",
    "facts_of",
]

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
