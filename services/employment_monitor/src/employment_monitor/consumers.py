"""Employment-monitor's subscriptions."""

from employment_monitor import handlers
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS = [
    Subscription(event_type_for_subject("suxin.hiring.hire_recorded.v1"), handlers.count_hire),
]
