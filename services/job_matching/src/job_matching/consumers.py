"""Job-matching's subscriptions: facts from authority (部门数据比对)."""

from job_matching import confirmations, enterprise_notifications, notifications
from job_matching.adapters.repositories import Repositories
from suxin_common.db import with_repositories
from suxin_common.facts import FACT_VERIFIED_SUBJECT, fact_from_event
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription

SUBSCRIPTIONS: list[Subscription] = [
    # 社保 enrolment confirms hires; the 工信 / staff lists set enterprise flags.
    Subscription(
        event_type_for_subject(FACT_VERIFIED_SUBJECT),
        fact_from_event,
        with_repositories(Repositories, confirmations.on_fact_verified),
    ),
    # 站内消息: events that concern a person land in their inbox.
    *notifications.SUBSCRIPTIONS,
    # 单位消息: events that need an enterprise's attention land in its inbox.
    *enterprise_notifications.SUBSCRIPTIONS,
]
