"""Data-exchange's repositories, reached through the unit of work (``uow.repos``).

``create_app`` hands :class:`Repositories` to the kit (``build_service_app(repositories=...)``):
every unit of work the service opens carries them. Every handler reaches the database through
them: staff records, batches (declared, received, applied by the worker), single records and
the facts they state. Each method is the same statement(s) as the store function it calls
(``batch_store``, ``fact_store``, ``record_store``), in the unit of work's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from data_exchange.adapters import batch_store, fact_store, record_store
from data_exchange.adapters.tables import staff_records
from data_exchange.domain.facts import CurrentFact
from data_exchange.domain.records import StaffRecord
from data_exchange.domain.rows import RowError
from suxin_common.db import UnitOfWork


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

    async def get(self, record_id: uuid.UUID, *, lock: bool = False) -> StaffRecord | None:
        return await record_store.get(self.uow.session, record_id, lock=lock)

    async def save(self, record: StaffRecord, step: str, actor: str, note: str | None) -> None:
        """The record as changed by ``step``, and its new version in the history."""
        await record_store.save(self.uow.session, record, step, actor, note)


class BatchRepository:
    """Batches (批次), their progress and their row errors."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def create(self, values: dict[str, Any]) -> uuid.UUID:
        return await batch_store.create(self.uow.session, values)

    async def get(self, batch_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any] | None:
        return await batch_store.get(self.uow.session, batch_id, lock=lock)

    async def accepted_with(self, department: str, sha256: str) -> uuid.UUID | None:
        """The batch already accepted with these bytes from this department, if any."""
        return await batch_store.accepted_with(self.uow.session, department, sha256)

    async def update(
        self, batch_id: uuid.UUID, *, claimed_by: str | None = None, **values: Any
    ) -> bool:
        """Update a batch; with ``claimed_by``, only while that worker still holds it."""
        return await batch_store.update(self.uow.session, batch_id, claimed_by=claimed_by, **values)

    async def claim(self, worker: str, lease_s: float) -> dict[str, Any] | None:
        """Take the oldest batch waiting (or whose worker's lease ran out) for ``worker``."""
        return await batch_store.claim(self.uow.session, worker, lease_s)

    async def add_errors(self, batch_id: uuid.UUID, errors: Iterable[RowError]) -> None:
        await batch_store.add_errors(self.uow.session, batch_id, errors)


class FactRepository:
    """Facts and their versions."""

    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def current(self, keys: Sequence[str]) -> dict[str, CurrentFact]:
        """The current version of each of ``keys`` that exists, locked for this transaction."""
        return await fact_store.current(self.uow.session, keys)

    async def save(
        self, fact_rows: Iterable[dict[str, Any]], version_rows: Iterable[dict[str, Any]]
    ) -> None:
        """Upsert the changed facts and append their versions."""
        await fact_store.save(self.uow.session, fact_rows, version_rows)


class Repositories:
    """What ``uow.repos`` holds in data-exchange."""

    def __init__(self, uow: Any) -> None:
        self.records = RecordRepository(uow)
        self.batches = BatchRepository(uow)
        self.facts = FactRepository(uow)


def unit_of_work(runtime: Any) -> UnitOfWork[Repositories]:
    """A unit of work of ``runtime`` with these repositories, also when no app installed the
    runtime (the inbox and batch workers run on the runtime alone)."""
    uow = runtime.uow()
    return uow if runtime.repositories is not None else uow.use(Repositories)
