"""Talent flow: a card follows its holder's hires and employment ends."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from suxin_common.db import UnitOfWork
from talent_card import contracts
from talent_card.adapters import repository as repo
from talent_card.domain.model import (
    end_employment,
    follow_hire,
)

# --- talent flow ----------------------------------------------------------------------------


async def record_talent_flow(uow: UnitOfWork, recorded: contracts.RecordedHire) -> None:
    """A card holder's full-time hire moves the card to the new employer and city: a talent
    flow. Every job of a holder (gig included) goes into their employment history.

    A person without a card is none of this service's business. Runs inside the consumer's
    unit of work, which commits (with the inbox row) and acks.
    """
    hire = recorded.hire
    card = await repo.held_card_of(uow.session, hire.person_key, lock=True)
    if card is None:
        return
    await repo.record_employment_start(
        uow.session,
        hire_id=hire.hire_id,
        card_id=card.id,
        employer_uscc=hire.enterprise_uscc,
        city_code=hire.city_code,
        industry_code=hire.industry_code,
        job_kind=recorded.job_kind,
        started_on=hire.start_date,
    )
    history = await repo.flows_of_card(uow.session, card.id)
    outcome = follow_hire(card, history, hire, flow_id=uuid.uuid4(), recorded_at=datetime.now(UTC))
    if outcome.flow is None or not await repo.add_flow(
        uow.session, outcome.flow, level=card.level.value
    ):
        return
    if outcome.card != card:
        await repo.move_card(uow.session, outcome.card)
    uow.publish(contracts.talent_flow_recorded(outcome.flow, card.level), key=str(card.id))


async def record_employment_end(uow: UnitOfWork, end: contracts.EmploymentEnd) -> None:
    """A holder left a job: into the history; if it was the card's current employer, the card
    has no employer until the next full-time hire."""
    card = await repo.held_card_of(uow.session, end.person_key, lock=True)
    if card is None:
        return
    await repo.record_employment_end(
        uow.session,
        hire_id=end.hire_id,
        card_id=card.id,
        employer_uscc=end.enterprise_uscc,
        city_code=end.city_code,
        industry_code=end.industry_code,
        job_kind=end.job_kind,
        ended_on=end.end_date,
    )
    if not end.moves_holder:
        return
    after = end_employment(card, end.enterprise_uscc, end.end_date)
    if after != card:
        await repo.move_card(uow.session, after)
