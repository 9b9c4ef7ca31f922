"""Employment-monitor's subscriptions."""

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription

from employment_monitor import handlers

SUBSCRIPTIONS = [
    Subscription(event_type_for_subject("suxin.hiring.hire_recorded.v1"), handlers.count_hire),
]
