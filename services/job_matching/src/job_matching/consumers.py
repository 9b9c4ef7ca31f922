"""Job-matching's subscriptions: event type -> translation (contracts) -> handler."""

from job_matching import contracts
from job_matching.adapters.repositories import Repositories
from job_matching.handlers import confirmations, inbox
from suxin_common.db import with_repositories
from suxin_common.facts import FACT_VERIFIED_SUBJECT, fact_from_event
from suxin_common.messaging.catalog import event_type_for_subject
from suxin_common.messaging.runner import Subscription


def _on(subject: str, translate, handler) -> Subscription:  # noqa: ANN001
    return Subscription(
        event_type_for_subject(subject), translate, with_repositories(Repositories, handler)
    )


# 站内消息: events that concern a person land in their inbox.
NOTICES: list[Subscription] = [
    _on(subject, translate, inbox.on_notice)
    for subject, translate in (
        ("suxin.subsidy.subsidy_case_opened.v1", contracts.notice_of_case_opened),
        ("suxin.subsidy.subsidy_case_decided.v1", contracts.notice_of_case_decided),
        ("suxin.insurance.claim_stage_changed.v1", contracts.notice_of_claim_stage),
        ("suxin.talent.card_issued.v1", contracts.notice_of_card_issued),
        ("suxin.hiring.hire_confirmed.v1", contracts.notice_of_hire_confirmed),
        ("suxin.gig.gig_application_changed.v1", contracts.notice_of_gig_application),
    )
]
# 单位消息: events that need an enterprise's attention land in its inbox.
ENTERPRISE_NOTICES: list[Subscription] = [
    _on(subject, translate, inbox.on_enterprise_notice)
    for subject, translate in (
        ("suxin.hiring.application_submitted.v1", contracts.enterprise_notice_of_application),
        ("suxin.gig.gig_application_changed.v1", contracts.enterprise_notice_of_gig_application),
        ("suxin.subsidy.subsidy_case_opened.v1", contracts.enterprise_notice_of_case_opened),
        ("suxin.subsidy.subsidy_case_decided.v1", contracts.enterprise_notice_of_case_decided),
    )
]
SUBSCRIPTIONS: list[Subscription] = [
    # 社保 enrolment confirms hires; the 工信 / staff lists set enterprise flags.
    _on(FACT_VERIFIED_SUBJECT, fact_from_event, confirmations.on_fact_verified),
    *NOTICES,
    *ENTERPRISE_NOTICES,
]
