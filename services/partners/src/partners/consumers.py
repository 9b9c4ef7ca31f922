"""Partners' subscriptions: every event a partner can receive as a webhook."""

from partners.handlers import enqueue_deliveries
from partners.webhooks.catalog import WEBHOOK_EVENT_TYPES
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS: list[Subscription] = [
    Subscription(t.event, enqueue_deliveries) for t in WEBHOOK_EVENT_TYPES
]
