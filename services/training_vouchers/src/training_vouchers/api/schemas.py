"""Response bodies of the training-vouchers API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from training_vouchers.domain.model import CaseStatus, DeliveryMode
from training_vouchers.domain.policy import Policy, Rule


class SubsidyCaseOut(BaseModel):
    id: uuid.UUID
    hire_id: uuid.UUID
    enterprise_uscc: str
    person_key: str | None = Field(
        description="pseudonymous person key; shown to HRSS staff only, null for enterprises"
    )
    rule_id: str
    rule_version: str = Field(description="version of the policy that decided the case")
    delivery_mode: DeliveryMode
    amount_fen: int = Field(description="amount in fen (分)")
    inputs: dict[str, Any] = Field(description="the facts of the hire the rule used")
    reasons: list[str]
    status: CaseStatus
    opened_at: datetime
    review_deadline: date = Field(description="last day of the review (20 working days)")
    review_deadline_provisional: bool = Field(
        description="counted Monday to Friday: the holiday calendar does not know that year yet"
    )


class PolicyRuleOut(BaseModel):
    id: str
    type: str
    name_zh: str
    name_en: str
    delivery_mode: DeliveryMode
    parameters: dict[str, Any]

    @classmethod
    def of(cls, rule: Rule) -> PolicyRuleOut:
        return cls(
            id=rule.id,
            type=rule.type,
            name_zh=rule.name_zh,
            name_en=rule.name_en,
            delivery_mode=rule.delivery_mode,
            parameters=rule.parameters.to_json(),
        )


class PolicyOut(BaseModel):
    version: str
    effective_from: date
    review_working_days: int
    amounts_confirmed: bool = Field(
        description="false while the amounts are placeholders not yet taken from a policy notice"
    )
    rules: list[PolicyRuleOut]

    @classmethod
    def of(cls, policy: Policy) -> PolicyOut:
        return cls(
            version=policy.version,
            effective_from=policy.effective_from,
            review_working_days=policy.review_working_days,
            amounts_confirmed=policy.amounts_confirmed,
            rules=[PolicyRuleOut.of(r) for r in policy.rules],
        )
