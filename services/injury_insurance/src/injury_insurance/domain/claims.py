"""Occupational-injury claims (职业伤害确认与待遇): report -> cover check -> review -> decision ->
payment. Every step moves the claim to a new stage, bumps its version and leaves a history row
and an event; a step that does not follow from the current stage is refused.

Pure code: no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from injury_insurance.domain.orders import Industry
from suxin_common import reasons as why


class ClaimStage(StrEnum):
    REPORTED = "reported"  # 报案
    UNDER_REVIEW = "under_review"  # 受理: cover found at the reported instant
    APPROVED = "approved"  # 认定
    REJECTED = "rejected"  # 不予认定
    PAID = "paid"  # 待遇支付


# Which stage may follow which. Rejected and paid are final.
_NEXT: dict[ClaimStage, frozenset[ClaimStage]] = {
    ClaimStage.REPORTED: frozenset({ClaimStage.UNDER_REVIEW, ClaimStage.REJECTED}),
    ClaimStage.UNDER_REVIEW: frozenset({ClaimStage.APPROVED, ClaimStage.REJECTED}),
    ClaimStage.APPROVED: frozenset({ClaimStage.PAID}),
    ClaimStage.REJECTED: frozenset(),
    ClaimStage.PAID: frozenset(),
}


class StageConflict(ValueError):
    """The claim is not in a stage from which this step may be taken."""


@dataclass(frozen=True)
class CoveringOrder:
    """The order whose cover window held the reported instant."""

    platform_uscc: str
    order_id: str
    industry: Industry
    accepted_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class Claim:
    id: uuid.UUID
    platform_uscc: str
    worker_id: str
    person_key: str
    injured_at: datetime
    place: str
    city_code: str
    order_id: str | None  # as reported; the covering order may be another one
    description: str
    reported_by: str
    stage: ClaimStage
    version: int
    reason: str | None = None
    amount_fen: int = 0
    covering_order_id: str | None = None
    industry: Industry | None = None
    payment_reference: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    district_code: str | None = None  # of the injury, when reported (else the city only)
    # Maker-checker: who proposed the decision and who confirmed an approval; the injury
    # category and the benefit-schedule version that bounded the amount.
    decided_by: str | None = None
    approved_by: str | None = None
    injury_category: str | None = None
    schedule_version: str | None = None

    @property
    def region_code(self) -> str:
        """The most precise division code of the injury: its district, else its city."""
        return self.district_code or self.city_code


@dataclass(frozen=True)
class Step:
    """One stage change: what the history row and the event record."""

    stage: ClaimStage
    version: int
    actor: str
    reason: str | None
    amount_fen: int
    at: datetime


def _move(
    claim: Claim, stage: ClaimStage, actor: str, at: datetime, **changes
) -> tuple[Claim, Step]:
    if stage not in _NEXT[claim.stage]:
        raise StageConflict(f"a {claim.stage} claim cannot become {stage}")
    moved = replace(claim, stage=stage, version=claim.version + 1, updated_at=at, **changes)
    return moved, Step(stage, moved.version, actor, moved.reason, moved.amount_fen, at)


def report(claim: Claim, at: datetime) -> Step:
    """The first step: the claim as reported, version 1."""
    return Step(ClaimStage.REPORTED, claim.version, claim.reported_by, None, 0, at)


def check_cover(claim: Claim, covering: list[CoveringOrder], at: datetime) -> tuple[Claim, Step]:
    """Accept the claim for review if an order covered the worker at the reported instant;
    otherwise reject it, saying so. A reported order that covered the instant is preferred."""
    if not covering:
        when = claim.injured_at.isoformat()
        return _move(
            claim,
            ClaimStage.REJECTED,
            "system",
            at,
            reason=why.stored("claim.no_order_in_progress", at=when),
        )
    chosen = next((o for o in covering if o.order_id == claim.order_id), covering[0])
    return _move(
        claim,
        ClaimStage.UNDER_REVIEW,
        "system",
        at,
        covering_order_id=chosen.order_id,
        industry=chosen.industry,
    )


def decide(
    claim: Claim,
    *,
    approve: bool,
    reason: str | None,
    amount_fen: int,
    actor: str,
    at: datetime,
    **recorded: str | None,
) -> tuple[Claim, Step]:
    """Approve (``recorded``: decided_by, approved_by, injury_category, schedule_version) or
    reject a claim under review. An approval takes two people: ``decided_by`` proposed it and
    ``approved_by`` (the step's actor) confirmed it."""
    if approve:
        if not recorded.get("decided_by") or recorded.get("decided_by") == actor:
            raise ValueError("an approval is proposed and confirmed by two different people")
        return _move(
            claim,
            ClaimStage.APPROVED,
            actor,
            at,
            amount_fen=amount_fen,
            reason=None,
            approved_by=actor,
            **recorded,
        )
    return _move(claim, ClaimStage.REJECTED, actor, at, reason=reason, decided_by=actor)


def pay(claim: Claim, *, reference: str, actor: str, at: datetime) -> tuple[Claim, Step]:
    return _move(claim, ClaimStage.PAID, actor, at, payment_reference=reference)


def reopen(claim: Claim, *, actor: str, at: datetime) -> tuple[Claim, Step]:
    """An upheld appeal (认定复核): a rejected claim is under review again. Not a move of
    ``_NEXT``: only an appeal decided by a staff member who took no part leads back."""
    if claim.stage is not ClaimStage.REJECTED:
        raise StageConflict(f"a {claim.stage} claim cannot be reopened")
    moved = replace(
        claim,
        stage=ClaimStage.UNDER_REVIEW,
        version=claim.version + 1,
        updated_at=at,
        reason=None,
        decided_by=None,
    )
    return moved, Step(ClaimStage.UNDER_REVIEW, moved.version, actor, None, 0, at)
