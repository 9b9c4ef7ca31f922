"""Gig-market's subscriptions: none yet."""

from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS: list[Subscription] = []
