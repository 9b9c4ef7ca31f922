"""Reads of one person's own records ("我的"), by their person key only."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from talent_card.adapters.tables import (
    card_applications,
    card_employments,
    card_offers,
    cards,
    entitlement_uses,
)

_CARD_COLUMNS = (
    cards.c.id,
    cards.c.resident_id_masked,
    cards.c.level,
    cards.c.status,
    cards.c.status_reason,
    cards.c.employer_uscc,
    cards.c.city_code,
    cards.c.position_since,
    cards.c.issued_at,
    cards.c.valid_from,
    cards.c.valid_until,
    cards.c.proactive,
)


def _dicts(result) -> list[dict]:
    return [dict(r._mapping) for r in result]


async def cards_of(session: AsyncSession, person_key: str) -> list[dict]:
    """The person's cards, current and past, newest first."""
    query = (
        sa.select(*_CARD_COLUMNS)
        .where(cards.c.person_key == person_key)
        .order_by(cards.c.issued_at.desc(), cards.c.id)
    )
    return _dicts(await session.execute(query))


async def card_of(session: AsyncSession, person_key: str, card_id: uuid.UUID) -> dict | None:
    query = sa.select(*_CARD_COLUMNS).where(cards.c.id == card_id, cards.c.person_key == person_key)
    found = (await session.execute(query)).first()
    return dict(found._mapping) if found else None


async def uses_of(session: AsyncSession, card_ids: list[uuid.UUID]) -> list[dict]:
    """Entitlement uses partners recorded on these cards, newest first (the partner's desk
    account stays with the partner)."""
    if not card_ids:
        return []
    query = (
        sa.select(
            entitlement_uses.c.id,
            entitlement_uses.c.card_id,
            entitlement_uses.c.entitlement_code,
            entitlement_uses.c.partner_uscc,
            entitlement_uses.c.used_on,
            entitlement_uses.c.used_at,
        )
        .where(entitlement_uses.c.card_id.in_(card_ids))
        .order_by(entitlement_uses.c.used_at.desc(), entitlement_uses.c.id)
    )
    return _dicts(await session.execute(query))


async def employments_of(session: AsyncSession, card_ids: list[uuid.UUID]) -> list[dict]:
    if not card_ids:
        return []
    query = (
        sa.select(
            card_employments.c.hire_id,
            card_employments.c.card_id,
            card_employments.c.employer_uscc,
            card_employments.c.city_code,
            card_employments.c.started_on,
            card_employments.c.ended_on,
        )
        .where(card_employments.c.card_id.in_(card_ids))
        .order_by(card_employments.c.started_on.desc().nulls_last(), card_employments.c.hire_id)
    )
    return _dicts(await session.execute(query))


async def offers_of(session: AsyncSession, person_key: str) -> list[dict]:
    query = (
        sa.select(
            card_offers.c.id,
            card_offers.c.level,
            card_offers.c.city_code,
            card_offers.c.status,
            card_offers.c.offered_at,
            card_offers.c.decided_at,
            card_offers.c.card_id,
        )
        .where(card_offers.c.person_key == person_key)
        .order_by(card_offers.c.offered_at.desc(), card_offers.c.id)
    )
    return _dicts(await session.execute(query))


async def applications_of(session: AsyncSession, person_key: str) -> list[dict]:
    query = (
        sa.select(
            card_applications.c.id,
            card_applications.c.resident_id_masked,
            card_applications.c.city_code,
            card_applications.c.proposed_level,
            card_applications.c.status,
            card_applications.c.submitted_at,
            card_applications.c.reviewed_at,
            card_applications.c.review_note,
            card_applications.c.card_id,
        )
        .where(card_applications.c.person_key == person_key)
        .order_by(card_applications.c.submitted_at.desc(), card_applications.c.id)
    )
    return _dicts(await session.execute(query))
