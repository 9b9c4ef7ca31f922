"""Training-vouchers' subscriptions."""

from __future__ import annotations

from functools import partial

from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from training_vouchers import handlers
from training_vouchers.domain.policy import Policy


def subscriptions(policy: Policy) -> list[Subscription]:
    """The subscriptions, bound to the active policy."""
    return [
        Subscription(
            event_type_for_subject("suxin.hiring.hire_recorded.v1"),
            partial(handlers.open_subsidy_cases, policy=policy),
        ),
    ]
