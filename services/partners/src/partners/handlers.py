"""Partners' handlers: the one place that changes state.

`enqueue_deliveries` turns a domain event into webhook deliveries, one per matching
subscription, in the consumer's transaction (with its inbox row): exactly one delivery per
(subscription, event), however often the event is delivered to this service.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from partners.adapters.tables import clients, deliveries, subscriptions
from partners.contracts import WebhookEvent
from partners.domain.model import ClientStatus, SubscriptionStatus
from suxin_common.db import UnitOfWork

_DELIVERY_IDS = uuid.UUID("8c4f5b0e-3f0a-4d5e-9a43-5b1f0d6c2a71")


def delivery_id(subscription_id: uuid.UUID, event_id: str) -> str:
    """The webhook-id: the same for every attempt and redelivery of one event to one
    subscription, so a receiver can de-duplicate on it."""
    return "msg_" + uuid.uuid5(_DELIVERY_IDS, f"{subscription_id}:{event_id}").hex


async def enqueue_deliveries(uow: UnitOfWork, event: WebhookEvent) -> int:
    """One pending delivery for every subscription to this event type whose client acts for
    the organisation the event concerns. Returns how many were created."""
    owner = event.owner_uscc
    if not owner:
        return 0
    matches = (
        (
            await uow.session.execute(
                sa.select(subscriptions.c.id)
                .join(clients, clients.c.client_id == subscriptions.c.client_id)
                .where(
                    clients.c.uscc == owner,
                    clients.c.status == ClientStatus.ACTIVE,
                    # A disabled subscription keeps its deliveries waiting for re-enabling.
                    subscriptions.c.status.in_(
                        [SubscriptionStatus.ACTIVE, SubscriptionStatus.DISABLED]
                    ),
                    sa.literal(event.event_type) == sa.any_(subscriptions.c.event_types),
                )
            )
        )
        .scalars()
        .all()
    )
    if not matches:
        return 0
    body = event.body
    rows = [
        {
            "id": delivery_id(sub_id, event.event_id),
            "subscription_id": sub_id,
            "event_id": event.event_id,
            "event_type": event.event_type,
            "payload": body,
        }
        for sub_id in matches
    ]
    result = await uow.session.execute(
        pg_insert(deliveries)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_webhook_delivery_event")
        .returning(deliveries.c.id)
    )
    return len(result.all())
