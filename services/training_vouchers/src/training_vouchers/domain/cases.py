"""Opening subsidy cases (免申即享): the policy finds the enterprise, no application needed.

A recorded hire is evaluated against every rule of the active policy; each rule it qualifies
under, with delivery mode 免申即享, opens a case under review, due within the policy's number of
working days.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from training_vouchers.domain.model import CaseStatus, DeliveryMode, HireFacts, SubsidyCase
from training_vouchers.domain.policy import Policy
from training_vouchers.domain.working_days import Deadline, case_deadline


def open_cases(
    hire: HireFacts,
    policy: Policy,
    opened_at: datetime,
    *,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
    deadline_of: Callable[[datetime, int], Deadline] = case_deadline,
) -> list[SubsidyCase]:
    """The cases ``hire`` opens under ``policy`` at ``opened_at`` (possibly none)."""
    qualifying = [
        (rule, decision)
        for rule, decision in policy.evaluate(hire)
        if decision.eligible and rule.delivery_mode is DeliveryMode.NO_APPLICATION
    ]
    if not qualifying:
        return []
    deadline = deadline_of(opened_at, policy.review_working_days)
    return [
        SubsidyCase(
            id=new_id(),
            hire_id=hire.hire_id,
            enterprise_uscc=hire.enterprise_uscc,
            person_key=hire.person_key,
            rule_id=rule.id,
            rule_version=policy.version,
            delivery_mode=rule.delivery_mode,
            amount_fen=decision.amount_fen,
            inputs=decision.inputs_used,
            reasons=decision.reasons,
            status=CaseStatus.UNDER_REVIEW,
            opened_at=opened_at,
            review_deadline=deadline.day,
            review_deadline_provisional=deadline.provisional,
        )
        for rule, decision in qualifying
    ]
