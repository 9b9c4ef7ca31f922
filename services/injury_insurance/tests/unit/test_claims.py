"""Claim stages: report -> cover check -> review -> decision -> payment, and nothing else."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from injury_insurance.domain import claims as rules
from injury_insurance.domain.claims import Claim, ClaimStage, CoveringOrder, StageConflict
from injury_insurance.domain.orders import Industry
from suxin_common.reasons import code_of, render

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
    assert code_of(claim.reason) == "claim.no_order_in_progress"  # stored: code + params
    assert render(claim.reason, "en").startswith("not covered: no order of the worker")
    assert render(claim.reason, "zh").startswith("不在保障范围：")
    assert step.reason == claim.reason


def test_the_full_path_to_payment_bumps_the_version_at_every_step() -> None:
    claim, _ = rules.check_cover(a_claim(), [covering("o2")], NOW)
    claim, _ = rules.decide(
        claim,
        approve=True,
        reason=None,
        amount_fen=1_200_000,
        actor="checker",
        at=NOW,
        decided_by="maker",
        injury_category="medical",
        schedule_version="v1",
    )
    claim, step = rules.pay(claim, reference="PAY-1", actor="payer", at=NOW)

    assert (claim.stage, claim.version, claim.amount_fen) == (ClaimStage.PAID, 4, 1_200_000)
    assert (claim.decided_by, claim.approved_by) == ("maker", "checker")
    assert claim.payment_reference == "PAY-1"
    assert step.amount_fen == 1_200_000


@pytest.mark.parametrize("maker", [None, "checker"])
def test_an_approval_takes_two_different_people(maker) -> None:
    claim, _ = rules.check_cover(a_claim(), [covering("o2")], NOW)
    with pytest.raises(ValueError, match="two different people"):
        rules.decide(
            claim,
            approve=True,
            reason=None,
            amount_fen=1,
            actor="checker",
            at=NOW,
            decided_by=maker,
        )


def test_the_schedule_bounds_a_claim_by_category_and_per_claim() -> None:
    from injury_insurance.domain.benefits import AboveLimit, InjuryCategory
    from injury_insurance.rates import benefit_schedule

    version = benefit_schedule().at(NOW)
    assert version is not None and version.defaults
    grade_10 = version.limits_fen[InjuryCategory.DISABILITY_GRADE_10]
    assert version.bound(InjuryCategory.DISABILITY_GRADE_10, grade_10) == grade_10
    with pytest.raises(AboveLimit) as refused:
        version.bound(InjuryCategory.DISABILITY_GRADE_10, grade_10 + 1)
    assert (refused.value.limit_fen, refused.value.version) == (grade_10, version.version)
    # Grades pay less the lighter the injury; nothing exceeds the per-claim limit.
    grades = [version.limits_fen[InjuryCategory(f"disability_grade_{n}")] for n in range(1, 11)]
    assert grades == sorted(grades, reverse=True)
    assert max(version.limits_fen.values()) <= version.max_per_claim_fen
    # Before the first version there is no schedule, so nothing can be approved.
    assert benefit_schedule().at(datetime(2020, 1, 1, tzinfo=UTC)) is None


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
