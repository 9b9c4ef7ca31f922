"""The events a partner can subscribe to, and whose they are.

Each webhook event type is a domain event on the bus (its subject is the type name); the
organisation it concerns is named in the event by USCC, and a partner client receives it only
when the client acts for that organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import json_format
from google.protobuf.message import Message

from suxin_common.messaging.catalog import EventType, event_type_for_subject


@dataclass(frozen=True)
class WebhookEventType:
    event: EventType
    # The event field naming the organisation (统一社会信用代码) the event concerns.
    owner_field: str
    title_zh: str
    description: str

    @property
    def name(self) -> str:
        return self.event.subject

    def owner(self, message: Message) -> str:
        return str(getattr(message, self.owner_field, "") or "")


def _type(subject: str, owner_field: str, title_zh: str, description: str) -> WebhookEventType:
    return WebhookEventType(event_type_for_subject(subject), owner_field, title_zh, description)


WEBHOOK_EVENT_TYPES: tuple[WebhookEventType, ...] = (
    _type(
        "suxin.insurance.claim_stage_changed.v1",
        "platform_uscc",
        "职业伤害认定进度",
        "A claim of one of the platform's workers reached a stage (reported, under review, "
        "approved, rejected, paid).",
    ),
    _type(
        "suxin.insurance.coverage_started.v1",
        "enterprise_uscc",
        "参保开始",
        "Injury cover started for one of the organisation's workers or employees.",
    ),
    _type(
        "suxin.insurance.coverage_ended.v1",
        "enterprise_uscc",
        "参保终止",
        "Injury cover of one of the organisation's workers or employees ended.",
    ),
    _type(
        "suxin.insurance.orders_covered.v1",
        "platform_uscc",
        "订单保障与缴费记账",
        "Reported orders got per-order cover; the contributions owed for them were booked "
        "(the contribution statement lines for one reported chunk).",
    ),
    _type(
        "suxin.gig.orders_reported.v1",
        "platform_uscc",
        "订单报送受理",
        "A bulk order report of the platform was accepted.",
    ),
    _type(
        "suxin.training.voucher_redeemed.v1",
        "institution_uscc",
        "培训券报名",
        "A voucher holder was enrolled at the institution.",
    ),
    _type(
        "suxin.training.training_completed.v1",
        "institution_uscc",
        "培训结业",
        "Training at the institution was reported completed.",
    ),
    _type(
        "suxin.training.training_certified.v1",
        "institution_uscc",
        "取证",
        "A trainee of the institution was certified.",
    ),
)

BY_NAME: dict[str, WebhookEventType] = {t.name: t for t in WEBHOOK_EVENT_TYPES}


def payload(event_type: str, event_id: str, occurred_at: str, message: Message) -> dict:
    """The webhook body: Standard Webhooks' `type`/`timestamp`/`data`, with the event in the
    protobuf JSON mapping (field names as in proto/; 64-bit integers as strings)."""
    return {
        "type": event_type,
        "timestamp": occurred_at,
        "event_id": event_id,
        "data": json_format.MessageToDict(message, preserving_proto_field_name=True),
    }
