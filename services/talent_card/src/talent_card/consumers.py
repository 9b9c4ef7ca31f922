"""Talent-card's subscriptions."""

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from talent_card import handlers

SUBSCRIPTIONS = [
    Subscription(
        event_type_for_subject("suxin.hiring.hire_recorded.v1"), handlers.record_talent_flow
    ),
]
