"""Training-vouchers' subscriptions: event type -> translation (contracts) -> handler."""

from __future__ import annotations

from functools import partial

from suxin_common.db import with_repositories
from suxin_common.facts import FACT_VERIFIED_SUBJECT, fact_from_event
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription
from training_vouchers import contracts, handlers
from training_vouchers.adapters.repositories import Repositories
from training_vouchers.domain.policy import PolicyBook


def subscriptions(book: PolicyBook, *, outcome_window_days: int = 180) -> list[Subscription]:
    """The subscriptions, bound to the policy versions. A hire opens subsidy cases and may
    make a certified trainee's outcome "employed" (both in the same transaction). Every
    handler works on the service's repositories (``uow.repos``)."""
    hire = event_type_for_subject("suxin.hiring.hire_recorded.v1")
    ended = event_type_for_subject("suxin.hiring.employment_ended.v1")
    return [
        Subscription(
            hire,
            contracts.hire_facts,
            with_repositories(
                Repositories,
                partial(handlers.on_hire_recorded, book=book, window_days=outcome_window_days),
            ),
        ),
        # The person (or 社保) confirmed a hire: its waiting cases move on.
        Subscription(
            event_type_for_subject("suxin.hiring.hire_confirmed.v1"),
            contracts.hire_confirmation,
            with_repositories(Repositories, partial(handlers.on_hire_confirmed, book=book)),
        ),
        # Facts from authority (部门数据比对): waiting cases move on by themselves.
        Subscription(
            event_type_for_subject(FACT_VERIFIED_SUBJECT),
            fact_from_event,
            with_repositories(Repositories, partial(handlers.on_fact_verified, book=book)),
        ),
        # A maternity case stops waiting for months an employer that she left will not pay.
        Subscription(
            ended,
            contracts.employment_ended,
            with_repositories(Repositories, partial(handlers.on_employment_ended, book=book)),
        ),
    ]
