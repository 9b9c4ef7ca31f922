"""Talent-card handlers: one function per command or event; the only place that changes state."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.db import UnitOfWork
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.privacy import PersonalData
from suxin_common.web import Conflict
from talent_card import contracts
from talent_card.adapters import repository as repo
from talent_card.domain import commands
from talent_card.domain.model import Card, CardStatus, Position, follow_hire

RESIDENT_ID_AAD = "talent_card.cards.resident_id"


async def issue_card(uow: UnitOfWork, cmd: commands.IssueCard, pii: PersonalData) -> Card:
    """Issue a card (发卡) to a person who holds none. The raw ID is kept only encrypted."""
    protected = pii.protect(cmd.resident_id, RESIDENT_ID_AAD)
    position = Position(cmd.employer_uscc, cmd.city_code)
    card = Card(
        id=uuid.uuid4(),
        person_key=protected.person_key,
        masked_resident_id=protected.masked,
        level=cmd.level,
        status=CardStatus.ACTIVE,
        issued_position=position,
        position=position,
        position_since=None,
        issued_at=datetime.now(UTC),
    )
    async with uow:
        if not await repo.add_card(uow.session, card, resident_id_encrypted=protected.ciphertext):
            held = await repo.held_card_of(uow.session, protected.person_key)
            raise Conflict(
                "this person already holds a talent card",
                extra={"card_id": str(held.id) if held else None},
            )
        await uow.commit()
    return card


async def record_talent_flow(uow: UnitOfWork, event: hiring.HireRecorded, meta: EventMeta) -> None:
    """A card holder's hire moves the card to the new employer and city: a talent flow.

    A person without a card is none of this service's business. Runs inside the consumer's
    unit of work, which commits (with the inbox row) and acks.
    """
    hire = contracts.hire(event)
    card = await repo.held_card_of(uow.session, hire.person_key, lock=True)
    if card is None:
        return
    history = await repo.flows_of_card(uow.session, card.id)
    outcome = follow_hire(card, history, hire, flow_id=uuid.uuid4(), recorded_at=datetime.now(UTC))
    if outcome.flow is None or not await repo.add_flow(uow.session, outcome.flow):
        return
    if outcome.card != card:
        await repo.move_card(uow.session, outcome.card)
    uow.publish(contracts.talent_flow_recorded(outcome.flow), key=str(card.id))
