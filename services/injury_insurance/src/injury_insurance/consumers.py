"""Injury-insurance's subscriptions: event type -> translation (contracts) -> handler."""

from injury_insurance import contracts, handlers
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS = [
    Subscription(
        event_type_for_subject("suxin.hiring.hire_recorded.v1"),
        contracts.hire_to_cover,
        handlers.start_cover_for_hire,
    ),
    Subscription(
        event_type_for_subject("suxin.hiring.employment_ended.v1"),
        contracts.employment_ended,
        handlers.end_cover_for_employment,
    ),
    Subscription(
        event_type_for_subject("suxin.gig.platform_registered.v1"),
        contracts.platform,
        handlers.record_platform,
    ),
    Subscription(
        event_type_for_subject("suxin.gig.gig_worker_registered.v1"),
        contracts.gig_worker,
        handlers.record_gig_worker,
    ),
    Subscription(
        event_type_for_subject("suxin.gig.orders_reported.v1"),
        contracts.orders_reported,
        handlers.cover_orders,
    ),
]
