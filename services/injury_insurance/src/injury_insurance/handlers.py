"""Injury-insurance handlers: one function per command or event; the only place that changes
state. Event handlers run inside the consumer's unit of work, which commits (with the inbox row)
and acks; command handlers are called by the API with a unit of work of their own."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession

from injury_insurance import contracts
from injury_insurance.adapters import repository as repo
from injury_insurance.adapters.repositories import Repositories
from injury_insurance.domain import claims as claim_rules
from injury_insurance.domain.claims import Claim, ClaimStage
from injury_insurance.domain.model import Hire, NotAnEmployment, end_coverage, start_coverage
from injury_insurance.domain.orders import book_orders, covers
from injury_insurance.rates import rate_book
from suxin_common import db
from suxin_common.db import UnitOfWork, Work

log = logging.getLogger(__name__)


class NotYetKnown(RuntimeError):
    """An event refers to something whose own event has not arrived yet: retry later."""


# --- hires -----------------------------------------------------------------------------------


async def start_cover_for_hire(uow: UnitOfWork, hire: Hire) -> None:
    """A hire into employment starts 工伤保险 through the employer. Platform work (a gig hire)
    starts nothing here: its cover comes per order, through the platform."""
    try:
        coverage = start_coverage(hire, coverage_id=uuid.uuid4(), started_at=datetime.now(UTC))
    except NotAnEmployment:
        return
    if await repo.add_coverage(uow.session, coverage):
        uow.publish(contracts.coverage_started(coverage), key=str(coverage.id))


async def end_cover_for_employment(uow: UnitOfWork, ended: contracts.EmploymentEnded) -> None:
    """The employment ended: its cover ends on the last working day (once)."""
    coverage = await repo.coverage_for_hire(uow.session, ended.hire_id)
    if coverage is None:
        if ended.platform_work:
            return  # platform work had no cover through the hire
        # Redelivery can reorder the hire and its end: retry until the hire has arrived.
        raise NotYetKnown(f"no cover yet for hire {ended.hire_id}")
    finished = end_coverage(coverage, end_date=ended.end_date, ended_at=datetime.now(UTC))
    if finished is None:
        return
    await repo.end_coverage(uow.session, finished)
    uow.publish(contracts.coverage_ended(finished), key=str(finished.id))


# --- platforms, workers and orders --------------------------------------------------------------


async def record_platform(uow: UnitOfWork, platform: contracts.Platform) -> None:
    await repo.upsert_platform(uow.session, platform)


async def record_gig_worker(uow: UnitOfWork, worker: contracts.GigWorker) -> None:
    await repo.upsert_gig_worker(uow.session, worker)


class _EnrolledWorkers:
    """Workers whose enrolment is committed, so a chunk need not ask the database again for
    each of them. Only a hint: the unique index decides. What a transaction enrolled or found
    is remembered only once that transaction commits (the consumer runner may handle several
    chunks in one transaction and roll them all back)."""

    def __init__(self, limit: int = 1_000_000) -> None:
        self._known: set[tuple[str, str]] = set()
        self._limit = limit

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._known

    def remember_on_commit(self, session: AsyncSession, keys: set[tuple[str, str]]) -> None:
        def committed(_session: Any) -> None:
            if len(self._known) > self._limit:
                self._known.clear()
            self._known.update(keys)

        sa_event.listen(session.sync_session, "after_commit", committed, once=True)


def _enrolled_for(uow: UnitOfWork) -> _EnrolledWorkers:
    """One per database (kept by the kit): tests and tools may run several in one process."""
    return db.per_database(uow, "injury_insurance.enrolled_workers", _EnrolledWorkers)


async def cover_orders(uow: UnitOfWork, chunk: contracts.OrderChunk) -> None:
    """A chunk of orders: cover for each accepted order, its contribution booked in the ledger,
    workers enrolled at their first order, one OrdersCovered for what was newly covered."""
    platform = await repo.get_platform(uow.session, chunk.platform_uscc)
    if platform is None:
        raise NotYetKnown(f"platform {chunk.platform_uscc} is not registered yet")
    if not platform.pilot:
        log.info("chunk %s: platform is not in the pilot; no cover", chunk.chunk_id)
        return
    covered, refused = book_orders(chunk.orders, rate_book())
    refused += chunk.refused
    if refused:
        # Order ids only: they are the platform's, not personal data.
        log.warning(
            "chunk %s: %d orders not covered (%s)",
            chunk.chunk_id,
            len(refused),
            "; ".join(f"{r.order_id}: {r.reason}" for r in refused[:5]),
        )
    now = datetime.now(UTC)
    lines = await repo.cover_orders(
        uow.session, chunk_id=chunk.chunk_id, platform_uscc=chunk.platform_uscc, covers=covered
    )
    enrolled = _enrolled_for(uow)
    candidates = [c for c in covered if (chunk.platform_uscc, c.worker_id) not in enrolled]
    new = await repo.enrol_workers(
        uow.session, platform_uscc=chunk.platform_uscc, covers=candidates, now=now
    )
    for coverage in new:
        uow.publish(contracts.coverage_started(coverage), key=str(coverage.id))
    enrolled.remember_on_commit(
        uow.session, {(chunk.platform_uscc, c.worker_id) for c in candidates}
    )
    if lines:
        uow.publish(
            contracts.orders_covered(chunk.chunk_id, chunk.platform_uscc, lines, now),
            key=str(chunk.chunk_id),
        )


# --- cover at an instant ---------------------------------------------------------------------


async def covering_orders(
    session: AsyncSession, *, person_key: str, instant: datetime
) -> list[dict[str, Any]]:
    """The orders whose windows hold ``instant`` for this person, on every platform."""
    book = rate_book()
    rows = await repo.orders_covering(
        session, person_key=person_key, instant=instant, max_cover=book.max_order_cover
    )
    return [
        r for r in rows if covers(r["accepted_at"], r["ended_at"], book.max_order_cover, instant)
    ]


# --- claims ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInjury:
    """Command: report an injury (报案) of a platform's worker."""

    platform_uscc: str
    worker_id: str
    person_key: str
    injured_at: datetime
    place: str
    city_code: str
    order_id: str | None
    description: str
    reported_by: str
    district_code: str | None = None


async def report_injury(uow: UnitOfWork[Repositories], cmd: ReportInjury) -> Claim:
    """Record the claim, then check cover at the reported instant: under review if one of the
    platform's orders covered the worker then, rejected with the reason otherwise."""
    now = datetime.now(UTC)
    claim = Claim(
        id=uuid.uuid4(),
        platform_uscc=cmd.platform_uscc,
        worker_id=cmd.worker_id,
        person_key=cmd.person_key,
        injured_at=cmd.injured_at,
        place=cmd.place,
        city_code=cmd.city_code,
        order_id=cmd.order_id,
        description=cmd.description,
        reported_by=cmd.reported_by,
        district_code=cmd.district_code,
        stage=ClaimStage.REPORTED,
        version=1,
        created_at=now,
        updated_at=now,
    )
    await uow.repos.claims.add(claim)
    step = claim_rules.report(claim, now)
    await uow.repos.claims.add_history(claim, step)
    uow.publish(contracts.claim_stage_changed(claim, step), key=str(claim.id))

    found = await covering_orders(uow.session, person_key=cmd.person_key, instant=cmd.injured_at)
    own = [repo.covering_order(r) for r in found if r["platform_uscc"] == cmd.platform_uscc]
    checked, step = claim_rules.check_cover(claim, own, now)
    return await _save(uow, checked, step, previous_version=claim.version)


async def decide_claim(
    uow: Work[Repositories],
    claim: Claim,
    *,
    approve: bool,
    reason: str | None,
    amount_fen: int,
    actor: str,
    **recorded: str | None,
) -> Claim:
    """Reject (one staff member) or approve (``actor`` confirms what ``decided_by`` proposed,
    see four_eyes_actions.py) a claim under review."""
    decided, step = claim_rules.decide(
        claim,
        approve=approve,
        reason=reason,
        amount_fen=amount_fen,
        actor=actor,
        at=datetime.now(UTC),
        **recorded,
    )
    return await _save(uow, decided, step, previous_version=claim.version)


async def pay_claim(uow: Work[Repositories], claim: Claim, *, reference: str, actor: str) -> Claim:
    paid, step = claim_rules.pay(claim, reference=reference, actor=actor, at=datetime.now(UTC))
    return await _save(uow, paid, step, previous_version=claim.version)


async def _save(
    uow: Work[Repositories], claim: Claim, step: claim_rules.Step, *, previous_version: int
) -> Claim:
    if not await uow.repos.claims.save(claim, previous_version=previous_version):
        raise claim_rules.StageConflict("the claim was changed meanwhile; reload it")
    await uow.repos.claims.add_history(claim, step)
    uow.publish(contracts.claim_stage_changed(claim, step), key=str(claim.id))
    return claim
