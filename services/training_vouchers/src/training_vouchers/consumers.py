"""Training-vouchers' subscriptions: event type -> translation (contracts) -> handler."""

from __future__ import annotations

from functools import partial

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from training_vouchers import contracts, handlers
from training_vouchers.domain.policy import PolicyBook


def subscriptions(book: PolicyBook, *, outcome_window_days: int = 180) -> list[Subscription]:
    """The subscriptions, bound to the policy versions. A hire opens subsidy cases and may
    make a certified trainee's outcome "employed" (both in the same transaction)."""
    hire = event_type_for_subject("suxin.hiring.hire_recorded.v1")
    return [
        Subscription(
            hire,
            contracts.hire_facts,
            partial(handlers.on_hire_recorded, book=book, window_days=outcome_window_days),
        ),
    ]
