"""Talent-card's subscriptions: event type -> translation (contracts) -> handler. The two
handlers of a HireRecorded share one translation, so the event is translated once."""

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from talent_card import contracts, handlers

HIRE_RECORDED = event_type_for_subject("suxin.hiring.hire_recorded.v1")
EMPLOYMENT_ENDED = event_type_for_subject("suxin.hiring.employment_ended.v1")
TRAINING_CERTIFIED = event_type_for_subject("suxin.training.training_certified.v1")

SUBSCRIPTIONS = [
    Subscription(HIRE_RECORDED, contracts.hire_recorded, handlers.record_talent_flow),
    Subscription(HIRE_RECORDED, contracts.hire_recorded, handlers.offer_card_on_hire),
    Subscription(EMPLOYMENT_ENDED, contracts.employment_end, handlers.record_employment_end),
    Subscription(
        TRAINING_CERTIFIED, contracts.training_certified, handlers.offer_card_on_certification
    ),
]
