"""Reads and writes of cards and talent flows, as domain objects. The session is passed in."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from talent_card.adapters.tables import NOT_REVOKED, cards, talent_flows
from talent_card.domain.model import (
    HELD_STATUSES,
    Card,
    CardLevel,
    CardStatus,
    Position,
    TalentFlow,
)

_HELD = cards.c.status.in_([s.value for s in HELD_STATUSES])


async def add_card(session: AsyncSession, card: Card, *, resident_id_encrypted: str) -> bool:
    """Insert; False if the person already holds a card."""
    row = await session.execute(
        insert(cards)
        .values(
            id=card.id,
            person_key=card.person_key,
            resident_id_encrypted=resident_id_encrypted,
            resident_id_masked=card.masked_resident_id,
            level=card.level.value,
            status=card.status.value,
            issued_employer_uscc=card.issued_position.employer_uscc,
            issued_city_code=card.issued_position.city_code,
            employer_uscc=card.position.employer_uscc,
            city_code=card.position.city_code,
            position_since=card.position_since,
            issued_at=card.issued_at,
        )
        .on_conflict_do_nothing(index_elements=[cards.c.person_key], index_where=NOT_REVOKED)
        .returning(cards.c.id)
    )
    return row.first() is not None


async def get_card(session: AsyncSession, card_id: uuid.UUID) -> Card | None:
    row = (await session.execute(sa.select(cards).where(cards.c.id == card_id))).first()
    return _card(row) if row else None


async def held_card_of(
    session: AsyncSession, person_key: str, *, lock: bool = False
) -> Card | None:
    """The card a person holds, if any."""
    query = sa.select(cards).where(cards.c.person_key == person_key, _HELD)
    if lock:  # serialises concurrent hires of one holder, so the card moves consistently
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _card(row) if row else None


async def move_card(session: AsyncSession, card: Card) -> None:
    """Store the card's current position (employer, city, since when)."""
    await session.execute(
        sa.update(cards)
        .where(cards.c.id == card.id)
        .values(
            employer_uscc=card.position.employer_uscc,
            city_code=card.position.city_code,
            position_since=card.position_since,
        )
    )


async def flows_of_card(session: AsyncSession, card_id: uuid.UUID) -> list[TalentFlow]:
    query = (
        sa.select(talent_flows)
        .where(talent_flows.c.card_id == card_id)
        .order_by(talent_flows.c.flowed_on, talent_flows.c.recorded_at)
    )
    return [_flow(row) for row in (await session.execute(query)).all()]


async def add_flow(session: AsyncSession, flow: TalentFlow) -> bool:
    """Insert; False if this hire already recorded a flow (the natural key backs up the inbox)."""
    row = await session.execute(
        insert(talent_flows)
        .values(
            id=flow.id,
            card_id=flow.card_id,
            person_key=flow.person_key,
            hire_id=flow.hire_id,
            from_uscc=flow.origin.employer_uscc,
            from_city_code=flow.origin.city_code,
            to_uscc=flow.destination.employer_uscc,
            to_city_code=flow.destination.city_code,
            flowed_on=flow.flowed_on,
            recorded_at=flow.recorded_at,
        )
        .on_conflict_do_nothing(index_elements=[talent_flows.c.hire_id])
        .returning(talent_flows.c.id)
    )
    return row.first() is not None


async def list_flows(
    session: AsyncSession,
    *,
    card_id: uuid.UUID | None = None,
    hire_id: uuid.UUID | None = None,
    after: tuple[date, uuid.UUID] | None = None,
    limit: int,
) -> list[TalentFlow]:
    """Flows by the day they took effect, from just after the keyset position ``after``."""
    query = sa.select(talent_flows)
    if card_id is not None:
        query = query.where(talent_flows.c.card_id == card_id)
    if hire_id is not None:
        query = query.where(talent_flows.c.hire_id == hire_id)
    if after is not None:
        query = query.where(
            sa.tuple_(talent_flows.c.flowed_on, talent_flows.c.id) > sa.tuple_(*after)
        )
    query = query.order_by(talent_flows.c.flowed_on, talent_flows.c.id).limit(limit)
    return [_flow(row) for row in (await session.execute(query)).all()]


def _card(row: Any) -> Card:
    return Card(
        id=row.id,
        person_key=row.person_key,
        masked_resident_id=row.resident_id_masked,
        level=CardLevel(row.level),
        status=CardStatus(row.status),
        issued_position=Position(row.issued_employer_uscc, row.issued_city_code),
        position=Position(row.employer_uscc, row.city_code),
        position_since=row.position_since,
        issued_at=row.issued_at,
    )


def _flow(row: Any) -> TalentFlow:
    return TalentFlow(
        id=row.id,
        card_id=row.card_id,
        person_key=row.person_key,
        hire_id=row.hire_id,
        origin=Position(row.from_uscc, row.from_city_code),
        destination=Position(row.to_uscc, row.to_city_code),
        flowed_on=row.flowed_on,
        recorded_at=row.recorded_at,
    )
