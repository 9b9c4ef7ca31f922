"""Employment-monitor's subscriptions: every event of the catalogue a statistic needs, each
translated into its facts (contracts.event_facts) and projected."""

from employment_monitor import contracts, handlers
from suxin_common.messaging.catalog import EVENT_TYPES
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS = [
    Subscription(e, contracts.event_facts, handlers.project)
    for e in EVENT_TYPES
    if e.message in contracts.MAPPERS
]
