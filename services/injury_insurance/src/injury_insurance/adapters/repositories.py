"""Injury-insurance's repositories, reached through the unit of work (``uow.repos``).

``create_app`` hands :class:`Repositories` to the kit (``build_service_app(repositories=...)``):
every unit of work the service opens (routes, the approvals the kit confirms) carries them. The
claim handlers use them; the cover and order handlers still work on the session directly
(``adapters/repository.py``).
"""

from __future__ import annotations

from typing import Any

from injury_insurance.adapters import repository as repo
from injury_insurance.domain.claims import Claim, Step


class ClaimRepository:
    """Injury claims and their history (one row per stage reached)."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def add(self, claim: Claim) -> None:
        await repo.add_claim(self.uow.session, claim)

    async def save(self, claim: Claim, *, previous_version: int) -> bool:
        """Write a changed claim if nobody changed it meanwhile (False: somebody did)."""
        return await repo.save_claim(self.uow.session, claim, previous_version=previous_version)

    async def add_history(self, claim: Claim, step: Step) -> None:
        await repo.add_history(self.uow.session, claim.id, step)


class Repositories:
    """What ``uow.repos`` holds in injury-insurance."""

    def __init__(self, uow: Any) -> None:
        self.claims = ClaimRepository(uow)
