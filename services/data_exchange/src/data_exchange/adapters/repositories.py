"""Data-exchange's repositories, reached through the unit of work (``uow.repos``).

``create_app`` hands :class:`Repositories` to the kit (``build_service_app(repositories=...)``):
every unit of work the service opens carries them. The handlers of staff records use them (the
batch worker and the fact store still work on the session directly).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from data_exchange.adapters import record_store
from data_exchange.adapters.tables import staff_records
from data_exchange.domain.records import StaffRecord


class RecordRepository:
    """就业失业登记 and 就业困难人员认定, each change a version in the record's history."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def open(self, record: StaffRecord, step: str, actor: str) -> bool:
        """Add a new record and its first version; False (nothing written) when the person
        already has an open record of this kind (the partial unique index)."""
        session = self.uow.session
        added = await session.execute(
            insert(staff_records)
            .values(**record_store.values_of(record))
            .on_conflict_do_nothing()
            .returning(sa.literal(1))
        )
        if added.first() is None:
            return False
        await record_store.add_history(session, record, step, actor, None)
        return True


class Repositories:
    """What ``uow.repos`` holds in data-exchange."""

    def __init__(self, uow: Any) -> None:
        self.records = RecordRepository(uow)
