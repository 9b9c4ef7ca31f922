"""Talent-card's subscriptions."""

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from talent_card import handlers

HIRE_RECORDED = event_type_for_subject("suxin.hiring.hire_recorded.v1")
EMPLOYMENT_ENDED = event_type_for_subject("suxin.hiring.employment_ended.v1")
TRAINING_CERTIFIED = event_type_for_subject("suxin.training.training_certified.v1")

SUBSCRIPTIONS = [
    Subscription(HIRE_RECORDED, handlers.record_talent_flow),
    Subscription(HIRE_RECORDED, handlers.offer_card_on_hire),
    Subscription(EMPLOYMENT_ENDED, handlers.record_employment_end),
    Subscription(TRAINING_CERTIFIED, handlers.offer_card_on_certification),
]
