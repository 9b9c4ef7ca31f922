"""Data-exchange's subscriptions: none (it only publishes facts)."""

from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS: list[Subscription] = []
