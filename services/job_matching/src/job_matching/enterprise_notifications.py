"""单位消息 consumer: domain events that need an enterprise's attention become notices in its
inbox, once per (enterprise, event) — the row is unique per (enterprise_uscc, event_id), so a
redelivered event, or one handled again after the consumer restarted mid-stream, adds nothing.
Translation happens here, at the consumer edge."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy.dialects.postgresql import insert

from job_matching.adapters.tables import enterprise_notifications
from job_matching.domain import enterprise_notices as notices
from job_matching.domain.enterprise_notices import EnterpriseNotice
from job_matching.notifications import GIG_STATUS
from suxin.gig.v1 import events_pb2 as gig
from suxin.hiring.v1 import events_pb2 as hiring
from suxin.subsidy.v1 import events_pb2 as subsidy
from suxin_common.db import UnitOfWork
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.messaging.runner import Subscription


def _at(message: Message, field: str, meta: EventMeta) -> datetime:
    if message.HasField(field):
        return getattr(message, field).ToDatetime(tzinfo=UTC)
    return meta.time


def from_application(e: hiring.ApplicationSubmitted, meta: EventMeta) -> EnterpriseNotice | None:
    if not e.enterprise_uscc:
        return None
    return notices.application_received(
        uscc=e.enterprise_uscc,
        event_id=meta.id,
        application_id=e.application_id,
        job_post_id=e.job_post_id,
        at=_at(e, "submitted_at", meta),
    )


def from_gig_application(e: gig.GigApplicationChanged, meta: EventMeta) -> EnterpriseNotice | None:
    if not e.poster_uscc or e.status not in GIG_STATUS:
        return None
    return notices.gig_application_changed(
        uscc=e.poster_uscc,
        event_id=meta.id,
        posting_id=e.posting_id,
        status=GIG_STATUS[e.status],
        invited=e.invited,
        title=e.posting_title,
        at=_at(e, "changed_at", meta),
    )


def from_case_opened(e: subsidy.SubsidyCaseOpened, meta: EventMeta) -> EnterpriseNotice | None:
    if not e.enterprise_uscc:
        return None
    return notices.subsidy_case_opened(
        uscc=e.enterprise_uscc,
        event_id=meta.id,
        case_id=e.case_id,
        family=e.rule_family,
        amount_fen=e.amount_fen,
        at=_at(e, "opened_at", meta),
    )


def from_case_decided(e: subsidy.SubsidyCaseDecided, meta: EventMeta) -> EnterpriseNotice | None:
    if not e.enterprise_uscc or e.decision not in (
        subsidy.DECISION_APPROVED,
        subsidy.DECISION_REJECTED,
    ):
        return None
    return notices.subsidy_case_decided(
        uscc=e.enterprise_uscc,
        event_id=meta.id,
        case_id=e.case_id,
        family=e.rule_family,
        approved=e.decision == subsidy.DECISION_APPROVED,
        at=_at(e, "decided_at", meta),
    )


async def on_enterprise_notice(uow: UnitOfWork, notice: EnterpriseNotice | None) -> None:
    """Put the notice in the enterprise's inbox, once per (enterprise, event)."""
    if notice is None:
        return
    await uow.session.execute(
        insert(enterprise_notifications)
        .values(
            enterprise_uscc=notice.enterprise_uscc,
            event_id=notice.event_id,
            kind=notice.kind.value,
            title=notice.title,
            body=notice.body,
            service=notice.service,
            link=notice.link,
            occurred_at=notice.occurred_at,
        )
        .on_conflict_do_nothing(constraint="uq_enterprise_notifications_event")
    )


def _subscription(subject: str, translate) -> Subscription:
    return Subscription(event_type_for_subject(subject), translate, on_enterprise_notice)


SUBSCRIPTIONS: list[Subscription] = [
    _subscription("suxin.hiring.application_submitted.v1", from_application),
    _subscription("suxin.gig.gig_application_changed.v1", from_gig_application),
    _subscription("suxin.subsidy.subsidy_case_opened.v1", from_case_opened),
    _subscription("suxin.subsidy.subsidy_case_decided.v1", from_case_decided),
]
