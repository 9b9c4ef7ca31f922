"""站内消息 consumer: domain events that concern a person become notices in their inbox.

Translation happens here, at the consumer edge: each subscribed event (with its envelope, for
the event id and time) becomes a ``domain.notifications.Notice``, or None when it concerns no
person (e.g. an enterprise-only subsidy case). The handler stores the notice once: the inbox
row is unique per (person_key, event_id), so a redelivered event, or one handled again after the
consumer restarted mid-stream, adds nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy.dialects.postgresql import insert

from job_matching.adapters.tables import notifications
from job_matching.domain import notifications as notices
from job_matching.domain.notifications import Notice
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.insurance.v1 import events_pb2 as insurance
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin.talent.v1 import events_pb2 as talent
from suxin_common.db import UnitOfWork
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import Subscription

_CLAIM_STAGES = {
    insurance.CLAIM_STAGE_REPORTED: "reported",
    insurance.CLAIM_STAGE_UNDER_REVIEW: "under_review",
    insurance.CLAIM_STAGE_APPROVED: "approved",
    insurance.CLAIM_STAGE_REJECTED: "rejected",
    insurance.CLAIM_STAGE_PAID: "paid",
}
_CARD_LEVELS = {talent.CARD_LEVEL_A: "A", talent.CARD_LEVEL_B: "B", talent.CARD_LEVEL_C: "C"}


def _at(message: Message, field: str, meta: EventMeta) -> datetime:
    if message.HasField(field):
        return getattr(message, field).ToDatetime(tzinfo=UTC)
    return meta.time


def from_case_opened(event: subsidy.SubsidyCaseOpened, meta: EventMeta) -> Notice | None:
    if not event.person_key:
        return None
    return notices.subsidy_case_opened(
        person_key=event.person_key,
        event_id=meta.id,
        case_id=event.case_id,
        family=event.rule_family,
        awaiting_data=event.awaiting_data,
        at=_at(event, "opened_at", meta),
    )


def from_case_decided(event: subsidy.SubsidyCaseDecided, meta: EventMeta) -> Notice | None:
    if not event.person_key or event.decision not in (
        subsidy.DECISION_APPROVED,
        subsidy.DECISION_REJECTED,
    ):
        return None
    return notices.subsidy_case_decided(
        person_key=event.person_key,
        event_id=meta.id,
        case_id=event.case_id,
        family=event.rule_family,
        approved=event.decision == subsidy.DECISION_APPROVED,
        at=_at(event, "decided_at", meta),
    )


def from_claim_stage(event: insurance.ClaimStageChanged, meta: EventMeta) -> Notice | None:
    stage = _CLAIM_STAGES.get(event.stage)
    if not event.person_key or stage is None:
        return None
    return notices.claim_stage_changed(
        person_key=event.person_key,
        event_id=meta.id,
        claim_id=event.claim_id,
        stage=stage,
        amount_fen=event.amount_fen,
        reason=event.reason,
        at=_at(event, "changed_at", meta),
    )


def from_card_issued(event: talent.CardIssued, meta: EventMeta) -> Notice | None:
    if not event.person_key:
        return None
    return notices.card_issued(
        person_key=event.person_key,
        event_id=meta.id,
        card_id=event.card_id,
        level=_CARD_LEVELS.get(event.level, ""),
        proactive=event.proactive,
        at=meta.time,
    )


def from_hire_confirmed(event: hiring.HireConfirmed, meta: EventMeta) -> Notice | None:
    if not event.person_key:
        return None
    return notices.hire_confirmed(
        person_key=event.person_key,
        event_id=meta.id,
        hire_id=event.hire_id,
        at=_at(event, "confirmed_at", meta),
    )


GIG_STATUS = {
    gig.GIG_APPLICATION_STATUS_INVITED: "invited",
    gig.GIG_APPLICATION_STATUS_APPLIED: "applied",
    gig.GIG_APPLICATION_STATUS_CONFIRMED: "confirmed",
    gig.GIG_APPLICATION_STATUS_COMPLETED: "completed",
    gig.GIG_APPLICATION_STATUS_DECLINED: "declined",
    gig.GIG_APPLICATION_STATUS_WITHDRAWN: "withdrawn",
}


def from_gig_application(event: gig.GigApplicationChanged, meta: EventMeta) -> Notice | None:
    if not event.person_key or event.status not in GIG_STATUS:
        return None
    return notices.gig_application_changed(
        person_key=event.person_key,
        event_id=meta.id,
        application_id=event.application_id,
        status=GIG_STATUS[event.status],
        invited=event.invited,
        title=event.posting_title,
        at=_at(event, "changed_at", meta),
    )


async def on_notice(uow: UnitOfWork, notice: Notice | None) -> None:
    """Put the notice in the person's inbox, once per (person, event)."""
    if notice is None:
        return
    values = {
        "person_key": notice.person_key,
        "event_id": notice.event_id,
        "kind": notice.kind.value,
        "title": notice.title,
        "body": notice.body,
        "service": notice.service,
        "link": notice.link,
        "occurred_at": notice.occurred_at,
    }
    await uow.session.execute(
        insert(notifications)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_notifications_person_event")
    )


def _subscription(subject: str, translate) -> Subscription:
    return Subscription(event_type_for_subject(subject), translate, on_notice)


SUBSCRIPTIONS: list[Subscription] = [
    _subscription("suxin.subsidy.subsidy_case_opened.v1", from_case_opened),
    _subscription("suxin.subsidy.subsidy_case_decided.v1", from_case_decided),
    _subscription("suxin.insurance.claim_stage_changed.v1", from_claim_stage),
    _subscription("suxin.talent.card_issued.v1", from_card_issued),
    _subscription("suxin.hiring.hire_confirmed.v1", from_hire_confirmed),
    _subscription("suxin.gig.gig_application_changed.v1", from_gig_application),
]
