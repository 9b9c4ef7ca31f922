"""The one place that maps bus events to partners' domain: a domain event a partner may
receive becomes a `WebhookEvent` (its type, id, time, the organisation it concerns, and the
body partners get: the event in the protobuf JSON mapping)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from google.protobuf.message import Message

from partners.webhooks.catalog import BY_NAME, payload
from suxin_common.messaging.cloudevents import EventMeta


@dataclass(frozen=True)
class WebhookEvent:
    event_type: str
    event_id: str
    owner_uscc: str
    body: dict[str, Any]


def webhook_event(message: Message, meta: EventMeta) -> WebhookEvent:
    webhook_type = BY_NAME[meta.type]
    return WebhookEvent(
        event_type=meta.type,
        event_id=meta.id,
        owner_uscc=webhook_type.owner(message),
        body=payload(meta.type, meta.id, meta.time.isoformat(), message),
    )
