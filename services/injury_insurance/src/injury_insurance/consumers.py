"""Injury-insurance's subscriptions."""

from injury_insurance import handlers
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS = [
    Subscription(
        event_type_for_subject("suxin.hiring.hire_recorded.v1"), handlers.start_cover_for_hire
    ),
    Subscription(
        event_type_for_subject("suxin.hiring.employment_ended.v1"),
        handlers.end_cover_for_employment,
    ),
    Subscription(
        event_type_for_subject("suxin.gig.platform_registered.v1"), handlers.record_platform
    ),
    Subscription(
        event_type_for_subject("suxin.gig.gig_worker_registered.v1"), handlers.record_gig_worker
    ),
    Subscription(event_type_for_subject("suxin.gig.orders_reported.v1"), handlers.cover_orders),
]
