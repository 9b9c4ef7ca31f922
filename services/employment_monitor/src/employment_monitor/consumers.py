"""Employment-monitor's subscriptions: every event of the catalogue a statistic needs."""

from employment_monitor import handlers
from employment_monitor.contracts import MAPPERS
from suxin_common.messaging.catalog import EVENT_TYPES
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS = [Subscription(e, handlers.project) for e in EVENT_TYPES if e.message in MAPPERS]
