"""Deciding and paying a claim, through the in-memory unit of work: what is written, what is
published, what is refused. The optimistic-concurrency statement itself is covered by the
integration tests."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from injury_insurance import handlers
from injury_insurance.domain.claims import Claim, ClaimStage, StageConflict, Step
from suxin_devkit.testing.uow import FakeUnitOfWork

NOW = datetime(2026, 11, 3, 12, tzinfo=UTC)


class FakeClaims:
    """Claims by id and their history; ``save`` refuses a claim changed meanwhile."""

    def __init__(self, *claims: Claim) -> None:
        self.claims = {c.id: c for c in claims}
        self.history: list[tuple[uuid.UUID, Step]] = []

    async def add(self, claim: Claim) -> None:
        self.claims[claim.id] = claim

    async def save(self, claim: Claim, *, previous_version: int) -> bool:
        if self.claims[claim.id].version != previous_version:
            return False
        self.claims[claim.id] = claim
        return True

    async def add_history(self, claim: Claim, step: Step) -> None:
        self.history.append((claim.id, step))


class FakeRepositories:
    def __init__(self, *claims: Claim) -> None:
        self.claims = FakeClaims(*claims)


def under_review(**changes) -> Claim:
    values = dict(
        id=uuid.uuid4(),
        platform_uscc="91320100711234567E",
        worker_id="w1",
        person_key="pk_" + "1" * 32,
        injured_at=NOW - timedelta(days=2),
        place="南京市玄武区中山路",
        city_code="3201",
        order_id="o2",
        description="fell off the e-bike",
        reported_by="platform-1",
        stage=ClaimStage.UNDER_REVIEW,
        version=2,
        covering_order_id="o2",
    )
    return Claim(**(values | changes))


async def decide(uow, claim: Claim, **how) -> Claim:
    """As the route does: the handler in the route's unit of work, then commit."""
    async with uow:
        decided = await handlers.decide_claim(uow, claim, actor="staff-2", **how)
        await uow.commit()
    return decided


async def test_a_rejected_claim_is_saved_with_its_history_and_published():
    claim = under_review()
    uow = FakeUnitOfWork(FakeRepositories(claim))

    decided = await decide(uow, claim, approve=False, reason="不属于工作原因", amount_fen=0)

    assert decided.stage is ClaimStage.REJECTED and decided.version == 3
    assert uow.repos.claims.claims[claim.id] == decided
    [(claim_id, step)] = uow.repos.claims.history
    assert (claim_id, step.stage, step.version, step.actor) == (
        claim.id,
        ClaimStage.REJECTED,
        3,
        "staff-2",
    )
    [event] = uow.published
    assert event.type_name == "ClaimStageChanged" and event.key == str(claim.id)
    assert uow.commits == 1


async def test_an_approval_confirmed_then_paid_moves_the_claim_twice():
    claim = under_review()
    uow = FakeUnitOfWork(FakeRepositories(claim))
    approved = await decide(
        uow, claim, approve=True, reason=None, amount_fen=120_000, decided_by="staff-1"
    )

    async with uow:
        paid = await handlers.pay_claim(uow, approved, reference="PAY-1", actor="staff-3")
        await uow.commit()

    assert (approved.stage, paid.stage, paid.version) == (ClaimStage.APPROVED, ClaimStage.PAID, 4)
    assert paid.payment_reference == "PAY-1"
    assert [s.stage for _, s in uow.repos.claims.history] == [
        ClaimStage.APPROVED,
        ClaimStage.PAID,
    ]
    assert [e.type_name for e in uow.published] == ["ClaimStageChanged"] * 2


async def test_a_claim_changed_meanwhile_is_refused_and_nothing_is_published():
    claim = under_review()
    stale = replace(claim, version=1)
    uow = FakeUnitOfWork(FakeRepositories(claim))

    with pytest.raises(StageConflict):
        await decide(uow, stale, approve=False, reason="不属于工作原因", amount_fen=0)

    assert uow.repos.claims.claims[claim.id] == claim
    assert uow.repos.claims.history == [] and uow.published == [] and uow.commits == 0


async def test_a_rejected_claim_cannot_be_paid():
    claim = under_review(stage=ClaimStage.REJECTED, version=3)
    uow = FakeUnitOfWork(FakeRepositories(claim))

    with pytest.raises(StageConflict):
        async with uow:
            await handlers.pay_claim(uow, claim, reference="PAY-1", actor="staff-3")

    assert uow.repos.claims.history == [] and uow.published == []
