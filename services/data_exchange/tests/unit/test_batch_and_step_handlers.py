"""Declaring and receiving a batch, and a decision step on a staff record, through the
in-memory unit of work: what is written, published and refused. The statements themselves (the
partial unique index, row locks, the lease) are covered by the integration tests."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from data_exchange.domain import records as domain
from data_exchange.domain.departments import Department
from data_exchange.domain.facts import CurrentFact
from data_exchange.domain.manifest import parse_manifest
from data_exchange.domain.records import RecordKind, RecordStatus, StaffRecord
from data_exchange.domain.rows import RowError
from data_exchange.handlers import batches
from data_exchange.handlers import records as record_handlers
from suxin_common.auth import Principal, Role, Tenant
from suxin_common.errors import NotFound
from suxin_devkit.testing.uow import FakeUnitOfWork

SHA = "ab" * 32
MANIFEST = {
    "department": "health",
    "feed": "birth",
    "period": "2026-02",
    "rows": 10,
    "sha256": SHA,
    "mode": "all_or_nothing",
    "format": "jsonl",
}
HANJIANG = "321003"
PERSON = "pk_" + "b" * 32


class FakeBatches:
    """The batches repository over a dictionary; ``accepted`` as the store's ACCEPTED."""

    ACCEPTED = ("received", "processing", "applied", "partially_applied")

    def __init__(self) -> None:
        self.batches: dict[uuid.UUID, dict[str, Any]] = {}
        self.errors: list[tuple[uuid.UUID, RowError]] = []

    async def create(self, values: dict[str, Any]) -> uuid.UUID:
        values = {"id": uuid.uuid4()} | values
        self.batches[values["id"]] = values
        return values["id"]

    async def get(self, batch_id: uuid.UUID, *, lock: bool = False) -> dict[str, Any] | None:
        found = self.batches.get(batch_id)
        return dict(found) if found else None

    async def accepted_with(self, department: str, sha256: str) -> uuid.UUID | None:
        return next(
            (
                b["id"]
                for b in self.batches.values()
                if b["department"] == department
                and b["sha256"] == sha256
                and b["status"] in self.ACCEPTED
            ),
            None,
        )

    async def update(
        self, batch_id: uuid.UUID, *, claimed_by: str | None = None, **values: Any
    ) -> bool:
        batch = self.batches.get(batch_id)
        if batch is None or (claimed_by is not None and batch.get("claimed_by") != claimed_by):
            return False
        batch.update(values)
        return True

    async def add_errors(self, batch_id: uuid.UUID, errors: Any) -> None:
        self.errors += [(batch_id, e) for e in errors]


class FakeRecords:
    def __init__(self, *records: StaffRecord) -> None:
        self.records = {r.id: r for r in records}
        self.history: list[tuple[uuid.UUID, int, str, str, str | None]] = []

    async def get(self, record_id: uuid.UUID, *, lock: bool = False) -> StaffRecord | None:
        return self.records.get(record_id)

    async def save(self, record: StaffRecord, step: str, actor: str, note: str | None) -> None:
        self.records[record.id] = record
        self.history.append((record.id, record.version, step, actor, note))


class FakeFacts:
    def __init__(self) -> None:
        self.current_facts: dict[str, CurrentFact] = {}
        self.versions: list[dict[str, Any]] = []

    async def current(self, keys: Any) -> dict[str, CurrentFact]:
        return {k: self.current_facts[k] for k in keys if k in self.current_facts}

    async def save(self, fact_rows: Any, version_rows: Any) -> None:
        for row in fact_rows:
            self.current_facts[row["fact_key"]] = CurrentFact(
                row["fact_key"], row["version"], row["value_hash"], row["revoked"]
            )
        self.versions += list(version_rows)


class FakeRepositories:
    def __init__(self, *records: StaffRecord) -> None:
        self.batches = FakeBatches()
        self.records = FakeRecords(*records)
        self.facts = FakeFacts()


def fake_uow(*records: StaffRecord) -> FakeUnitOfWork[FakeRepositories]:
    return FakeUnitOfWork(FakeRepositories(*records))


def manifest(**change: Any):
    return parse_manifest(MANIFEST | change, sender=Department.HEALTH)


async def declare(uow, **change: Any) -> uuid.UUID:
    return await batches.declare(uow, manifest(**change), sender="health", source="upload")


# --- batches ----------------------------------------------------------------------------


async def test_a_declared_batch_waits_for_its_file():
    uow = fake_uow()

    batch_id = await declare(uow)

    batch = uow.repos.batches.batches[batch_id]
    assert batch["status"] == "awaiting_file" and batch["sha256"] == SHA
    assert (batch["department"], batch["feed"], batch["declared_rows"]) == ("health", "birth", 10)
    assert batch["as_of"] == date(2026, 2, 28) and batch["source"] == "upload"
    assert uow.commits == 1 and uow.published == []


async def test_bytes_already_delivered_are_a_duplicate_and_nothing_is_written():
    uow = fake_uow()
    first = await declare(uow)
    uow.repos.batches.batches[first]["status"] = "applied"

    with pytest.raises(batches.Duplicate) as dup:
        await declare(uow, period="2026-03")

    assert dup.value.first == first
    assert list(uow.repos.batches.batches) == [first] and uow.commits == 1


async def test_a_received_file_with_another_checksum_rejects_the_batch(tmp_path: Path):
    uow = fake_uow()
    batch_id = await declare(uow)
    spooled = tmp_path / "batch.jsonl"
    spooled.write_bytes(b"{}\n")

    with pytest.raises(batches.Rejected) as rejected:
        await batches.receive(uow, batch_id, spooled, "cd" * 32)

    assert rejected.value.code == "checksum_mismatch"
    batch = uow.repos.batches.batches[batch_id]
    assert batch["status"] == "rejected" and batch["reject_code"] == "checksum_mismatch"
    [(errored, error)] = uow.repos.batches.errors
    assert (errored, error.row, error.field, error.code) == (
        batch_id,
        batches.BATCH_LEVEL,
        "file",
        "checksum_mismatch",
    )
    assert uow.commits == 2 and not spooled.exists()


async def test_a_received_file_already_delivered_marks_the_batch_a_duplicate(tmp_path: Path):
    uow = fake_uow()
    first = await declare(uow)
    second = await declare(uow, period="2026-03")  # the first one's file is not in yet
    uow.repos.batches.batches[first]["status"] = "applied"
    spooled = tmp_path / "batch.jsonl"
    spooled.write_bytes(b"{}\n")

    with pytest.raises(batches.Duplicate):
        await batches.receive(uow, second, spooled, SHA)

    batch = uow.repos.batches.batches[second]
    assert batch["status"] == "duplicate" and batch["duplicate_of"] == first
    assert not spooled.exists()


async def test_a_received_file_waits_in_the_spool_for_the_worker(tmp_path: Path):
    uow = fake_uow()
    batch_id = await declare(uow)
    spooled = tmp_path / "batch.jsonl"
    spooled.write_bytes(b"{}\n")

    await batches.receive(uow, batch_id, spooled, SHA)

    batch = uow.repos.batches.batches[batch_id]
    assert batch["status"] == "received" and batch["spool_path"] == str(spooled)
    assert spooled.exists() and uow.commits == 2

    with pytest.raises(batches.NotAwaitingFile) as again:
        await batches.receive(uow, batch_id, spooled, SHA)
    assert again.value.status == "received" and not spooled.exists()


# --- a step on a staff record -------------------------------------------------------------

HANDLER = Principal("staff-handler", frozenset({Role.HRSS_STAFF}), Tenant(district=HANJIANG))
CHECKER = Principal("staff-checker", frozenset({Role.HRSS_STAFF}), Tenant(district=HANJIANG))


def checked_record() -> StaffRecord:
    applied = StaffRecord(
        id=uuid.uuid4(),
        kind=RecordKind.UNEMPLOYMENT_REGISTRATION,
        person_key=PERSON,
        masked_resident_id="321***********1234",
        residence_district=HANJIANG,
        status=RecordStatus.APPLIED,
        handler=HANDLER.subject,
        applied_on=date(2026, 11, 2),
        service_point=None,
        category=None,
        statement=None,
    )
    return domain.check(applied, HANDLER.subject, passed=True, note=None)


def approve(record: StaffRecord) -> StaffRecord:
    return domain.decide(
        record, CHECKER.subject, approve=True, note=None, today=date(2026, 11, 9), review_days=365
    )


async def test_an_approval_is_versioned_audited_and_publishes_its_fact():
    record = checked_record()
    uow = fake_uow(record)

    updated = await record_handlers.step(uow, CHECKER, record.kind, record.id, "decision", approve)

    assert updated.status is RecordStatus.APPROVED and updated.version == record.version + 1
    assert uow.repos.records.records[record.id] == updated
    assert uow.repos.records.history == [
        (record.id, updated.version, "decision", CHECKER.subject, None)
    ]
    [entry] = uow.audit_entries
    assert entry["action"] == record_handlers.DECIDE_RECORD
    assert entry["details"] == {"status": "approved", "version": updated.version}
    [fact] = uow.events_named("FactVerified")
    [version] = uow.repos.facts.versions
    assert (
        version["change"] == "new" and version["fact_key"] == f"unemployment_registration:{PERSON}"
    )
    assert version["evidence_ref"] == f"{record.kind.value}:{record.id}@{updated.version}"
    assert fact is not None and uow.commits == 1


async def test_a_step_on_a_record_of_another_kind_or_district_is_refused_unchanged():
    record = checked_record()
    uow = fake_uow(record)

    with pytest.raises(NotFound):
        await record_handlers.step(
            uow, CHECKER, RecordKind.EMPLOYMENT_DIFFICULTY, record.id, "decision", approve
        )
    # Outside the caller's district the record's existence is not disclosed: the kit's
    # Principal.check_district answers "not found" (with the web layer's NotFound, for now).
    elsewhere = replace(CHECKER, tenant=Tenant(district="321102"))
    with pytest.raises(Exception) as hidden:
        await record_handlers.step(uow, elsewhere, record.kind, record.id, "decision", approve)
    assert type(hidden.value).__name__ == "NotFound"

    assert uow.repos.records.records[record.id] == record and uow.repos.records.history == []
    assert uow.commits == 0 and uow.published == [] and uow.audit_entries == []
