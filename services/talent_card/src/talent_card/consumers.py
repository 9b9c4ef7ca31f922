"""Talent-card's subscriptions: event type -> translation (contracts) -> handler."""

from suxin_common.facts import FACT_VERIFIED_SUBJECT, fact_from_event
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from talent_card import contracts, handlers, hire_confirmation

HIRE_RECORDED = event_type_for_subject("suxin.hiring.hire_recorded.v1")
EMPLOYMENT_ENDED = event_type_for_subject("suxin.hiring.employment_ended.v1")
TRAINING_CERTIFIED = event_type_for_subject("suxin.training.training_certified.v1")
HIRE_CONFIRMED = event_type_for_subject("suxin.hiring.hire_confirmed.v1")
FACT_VERIFIED = event_type_for_subject(FACT_VERIFIED_SUBJECT)

SUBSCRIPTIONS = [
    # A hire moves a card and may bring an offer once it is real (recorded and confirmed).
    Subscription(HIRE_RECORDED, contracts.hire_recorded, hire_confirmation.hold_hire),
    Subscription(HIRE_CONFIRMED, contracts.hire_confirmation, hire_confirmation.on_hire_confirmed),
    Subscription(FACT_VERIFIED, fact_from_event, hire_confirmation.keep_fact),
    Subscription(EMPLOYMENT_ENDED, contracts.employment_end, handlers.record_employment_end),
    Subscription(
        TRAINING_CERTIFIED, contracts.training_certified, handlers.offer_card_on_certification
    ),
]
