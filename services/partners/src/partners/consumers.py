"""Partners' subscriptions: every event a partner can receive as a webhook, translated at the
edge (contracts.webhook_event) and turned into deliveries (handlers.enqueue_deliveries)."""

from partners.contracts import webhook_event
from partners.handlers import enqueue_deliveries
from partners.webhooks.catalog import WEBHOOK_EVENT_TYPES
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(t.event, webhook_event, enqueue_deliveries) for t in WEBHOOK_EVENT_TYPES
]
