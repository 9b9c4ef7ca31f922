"""Claim stages: report -> cover check -> review -> decision -> payment, and nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from injury_insurance.domain import claims as rules
from injury_insurance.domain.claims import Claim, ClaimStage, CoveringOrder, StageConflict
from injury_insurance.domain.orders import Industry

NOW = datetime(2026, 11, 3, 12, tzinfo=UTC)


def a_claim(**changes) -> Claim:
    values = dict(
        id=uuid.uuid4(),
        platform_uscc="91320100711234567E",
        worker_id="w1",
        person_key="pk_" + "1" * 32,
        injured_at=NOW - timedelta(hours=1),
        place="南京市玄武区中山路",
        city_code="3201",
        order_id="o2",
        description="fell off the e-bike",
        reported_by="platform-1",
        stage=ClaimStage.REPORTED,
        version=1,
    )
    return Claim(**(values | changes))


def covering(order_id: str) -> CoveringOrder:
    return CoveringOrder("91320100711234567E", order_id, Industry.INSTANT_DELIVERY, NOW, None)


def test_a_covered_injury_goes_to_review_naming_the_reported_order() -> None:
    claim, step = rules.check_cover(a_claim(), [covering("o1"), covering("o2")], NOW)

    assert claim.stage is ClaimStage.UNDER_REVIEW
    assert claim.covering_order_id == "o2"
    assert claim.industry is Industry.INSTANT_DELIVERY
    assert (step.stage, step.version, step.actor) == (ClaimStage.UNDER_REVIEW, 2, "system")


def test_an_injury_outside_any_cover_is_rejected_with_the_reason() -> None:
    claim, step = rules.check_cover(a_claim(), [], NOW)

    assert claim.stage is ClaimStage.REJECTED
    assert "not covered" in claim.reason
    assert step.reason == claim.reason


def test_the_full_path_to_payment_bumps_the_version_at_every_step() -> None:
    claim, _ = rules.check_cover(a_claim(), [covering("o2")], NOW)
    claim, _ = rules.decide(
        claim, approve=True, reason=None, amount_fen=1_200_000, actor="staff", at=NOW
    )
    claim, step = rules.pay(claim, reference="PAY-1", actor="staff", at=NOW)

    assert (claim.stage, claim.version, claim.amount_fen) == (ClaimStage.PAID, 4, 1_200_000)
    assert claim.payment_reference == "PAY-1"
    assert step.amount_fen == 1_200_000


@pytest.mark.parametrize("stage", [ClaimStage.REJECTED, ClaimStage.PAID, ClaimStage.APPROVED])
def test_a_decision_is_refused_unless_the_claim_is_under_review(stage) -> None:
    with pytest.raises(StageConflict):
        rules.decide(
            a_claim(stage=stage), approve=False, reason="x", amount_fen=0, actor="s", at=NOW
        )


@pytest.mark.parametrize(
    "stage", [ClaimStage.REPORTED, ClaimStage.UNDER_REVIEW, ClaimStage.REJECTED, ClaimStage.PAID]
)
def test_only_an_approved_claim_can_be_paid(stage) -> None:
    with pytest.raises(StageConflict):
        rules.pay(a_claim(stage=stage), reference="P", actor="s", at=NOW)
