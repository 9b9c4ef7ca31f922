"""Job-matching's subscriptions: none yet (it publishes HireRecorded)."""

from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS: list[Subscription] = []
