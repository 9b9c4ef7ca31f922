"""Talent-card's repositories, reached through the unit of work (``uow.repos``).

``create_app`` hands :class:`Repositories` to the kit (``build_service_app(repositories=...)``):
every unit of work the routes open carries them. Recording an entitlement use goes through
them; the other handlers (the event handlers among them, whose units of work the subscription
runner opens) still work on the session directly (``adapters/repository.py``).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from talent_card.adapters import repository as repo
from talent_card.domain.model import Card


class CardRepository:
    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def get(self, card_id: uuid.UUID, *, lock: bool = False) -> Card | None:
        """The card; ``lock`` holds it to the end of the transaction (uses of one card are
        counted one at a time)."""
        return await repo.get_card(self.uow.session, card_id, lock=lock)


class EntitlementUseRepository:
    """Uses of cards' entitlements, one per partner's reference."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def by_reference(self, partner_uscc: str, reference: str) -> dict[str, Any] | None:
        row = await repo.use_by_reference(self.uow.session, partner_uscc, reference)
        return dict(row._mapping) if row is not None else None

    async def count(self, card_id: uuid.UUID, entitlement_code: str, since: date) -> int:
        """Uses of one entitlement of a card on or after ``since``."""
        return await repo.count_uses(self.uow.session, card_id, entitlement_code, since)

    async def add(self, **values: Any) -> bool:
        """Record a use; False (nothing written) when the partner's reference is taken."""
        return await repo.add_use(self.uow.session, **values)


class Repositories:
    """What ``uow.repos`` holds in talent-card."""

    def __init__(self, uow: Any) -> None:
        self.cards = CardRepository(uow)
        self.entitlement_uses = EntitlementUseRepository(uow)
