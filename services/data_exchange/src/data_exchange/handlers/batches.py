"""Batches (批次): declared by a manifest, received as a file, then applied row by row or all
at once, with a per-row error report and progress.

Receiving: the file lands in the spool directory with its SHA-256 computed on the way. A
checksum that differs from the manifest's rejects the batch; bytes a department has already
delivered make the batch a duplicate of the first one. Either way nothing else changes.

Applying (a worker task claims received batches): one streaming pass checks the checksum again,
counts the rows and reads the CSV header; a wrong count or header rejects the batch before any
row. Then the rows are read in chunks: each row becomes a fact through the feed's parser, or a
list of field errors (never half a row).
- row_by_row: each chunk commits on its own with its errors and a checkpoint (the last row
  done), so a worker that dies resumes after the checkpoint: idempotent per (batch, row).
- all_or_nothing: one transaction for the whole file; the first bad row rolls it back and the
  rest of the file is only checked, to report every error.
The raw resident IDs live only in the spool file and the row being parsed; the spool file is
deleted when the batch is done.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from data_exchange.adapters import files
from data_exchange.adapters.repositories import Repositories, unit_of_work
from data_exchange.domain.departments import Department, FeedKind
from data_exchange.domain.facts import Change
from data_exchange.domain.feeds import FEEDS, FeedSpec
from data_exchange.domain.manifest import FileFormat, Manifest, Mode
from data_exchange.domain.rows import Row, RowError
from data_exchange.handlers.facts import Outcome, Stated, apply_facts
from data_exchange.settings import Settings
from suxin_common import reasons
from suxin_common.db import Work
from suxin_common.service import Runtime

log = logging.getLogger(__name__)

# Row number of errors about the batch as a whole.
BATCH_LEVEL = 0


class Duplicate(Exception):
    def __init__(self, first: uuid.UUID) -> None:
        super().__init__(f"duplicate of batch {first}")
        self.first = first


class NotAwaitingFile(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(f"the batch is {status}, not awaiting its file")
        self.status = status


class Rejected(Exception):
    """The batch is refused as a whole: its code, a stored reason (``feed.*``) and the field."""

    def __init__(self, code: str, reason: str, field: str = "file") -> None:
        super().__init__(reason)
        self.code, self.reason, self.field = code, reason, field


def spool_path(settings: Settings, batch_id: uuid.UUID, fmt: FileFormat) -> Path:
    directory = Path(settings.spool_dir)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{batch_id}.{fmt.value}"


async def declare(
    uow: Work[Repositories], manifest: Manifest, *, sender: str, source: str
) -> uuid.UUID:
    """Record a batch from its manifest; it waits for its file. Raises Duplicate when the
    department already delivered these bytes."""
    async with uow:
        first = await uow.repos.batches.accepted_with(manifest.department.value, manifest.sha256)
        if first is not None:
            raise Duplicate(first)
        batch_id = await uow.repos.batches.create(
            {
                "department": manifest.department.value,
                "feed": manifest.feed.value,
                "period": manifest.period,
                "as_of": manifest.as_of,
                "declared_rows": manifest.rows,
                "sha256": manifest.sha256,
                "mode": manifest.mode.value,
                "format": manifest.format.value,
                "source": source,
                "file_name": manifest.file_name,
                "sender": sender,
                "status": "awaiting_file",
            },
        )
        await uow.commit()
    return batch_id


async def receive(uow: Work[Repositories], batch_id: uuid.UUID, path: Path, sha256: str) -> None:
    """The batch's file is at ``path`` (in the spool) with this SHA-256: accept it, or reject
    it (checksum) or mark it a duplicate, deleting the file."""
    async with uow:
        batch = await uow.repos.batches.get(batch_id, lock=True)
        if batch is None or batch["status"] != "awaiting_file":
            await _remove(path)
            raise NotAwaitingFile(batch["status"] if batch else "missing")
        if sha256 != batch["sha256"]:
            await _reject(
                uow,
                batch_id,
                Rejected("checksum_mismatch", reasons.stored("feed.checksum_mismatch")),
            )
            await uow.commit()
            await _remove(path)
            raise Rejected("checksum_mismatch", reasons.stored("feed.checksum_mismatch"))
        first = await uow.repos.batches.accepted_with(batch["department"], sha256)
        if first is not None:
            await uow.repos.batches.update(
                batch_id,
                status="duplicate",
                duplicate_of=first,
                reject_code="duplicate_batch",
                reject_reason=reasons.stored("feed.duplicate_batch"),
                finished_at=datetime.now(UTC),
            )
            await uow.commit()
            await _remove(path)
            raise Duplicate(first)
        await uow.repos.batches.update(
            batch_id,
            status="received",
            spool_path=str(path),
            received_at=datetime.now(UTC),
        )
        await uow.commit()


async def _reject(
    uow: Work[Repositories], batch_id: uuid.UUID, why: Rejected, **counts: Any
) -> None:
    await uow.repos.batches.add_errors(
        batch_id, [RowError(BATCH_LEVEL, why.field, why.code, why.reason)]
    )
    await uow.repos.batches.update(
        batch_id,
        status="rejected",
        reject_code=why.code,
        reject_reason=why.reason,
        finished_at=datetime.now(UTC),
        lease_until=None,
        **counts,
    )


# --- applying ---------------------------------------------------------------------------


@dataclass
class _Tally:
    read: int = 0
    applied: int = 0
    failed: int = 0
    changes: dict[str, int] = field(default_factory=dict)
    errors_stored: int = 0

    def columns(self) -> dict[str, int]:
        return {
            "rows_read": self.read,
            "rows_applied": self.applied,
            "rows_failed": self.failed,
            "facts_new": self.changes.get(Change.NEW, 0),
            "facts_changed": self.changes.get(Change.CHANGED, 0),
            "facts_revoked": self.changes.get(Change.REVOKED, 0),
            "facts_unchanged": self.changes.get(Change.UNCHANGED, 0)
            + self.changes.get(Change.NOTHING_TO_REVOKE, 0),
        }

    def count(self, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            self.changes[o.change] = self.changes.get(o.change, 0) + 1


@dataclass
class _Chunk:
    stated: list[Stated]
    errors: list[RowError]
    last_row: int
    rows: int
    # A row whose fact is already in this chunk: it starts the next chunk (file order).
    carry: Stated | None = None


def _check_header(spec: FeedSpec, header: tuple[str, ...]) -> None:
    required = {c.name for c in spec.columns if c.required}
    missing = sorted(required - set(header))
    if missing:
        raise Rejected(
            "missing_columns", reasons.stored("feed.missing_columns", names=missing), "header"
        )
    unknown = sorted(set(header) - spec.column_names)
    if unknown:
        raise Rejected(
            "unknown_columns", reasons.stored("feed.unknown_columns", names=unknown), "header"
        )
    if len(set(header)) != len(header):
        raise Rejected("duplicate_columns", reasons.stored("feed.duplicate_columns"), "header")


@dataclass(frozen=True)
class _Reading:
    spec: FeedSpec
    department: Department
    batch_id: uuid.UUID
    person_key: Any
    size: int
    check_unknown: bool


def _parse_chunk(
    rows: Iterator[tuple[int, Any]], how: _Reading, carry: Stated | None
) -> _Chunk | None:
    """Up to ``size`` rows as stated facts (distinct keys) and errors; None at the end."""
    stated: list[Stated] = [carry] if carry else []
    keys: set[str] = {carry.draft.fact_key} if carry else set()
    errors: list[RowError] = []
    last = _row_of(carry) if carry else 0
    count = 1 if carry else 0
    for row_no, raw in rows:
        if isinstance(raw, files.Malformed):
            errors.append(RowError(row_no, "*", raw.code, raw.reason))
        else:
            row = Row(raw, row_no, how.person_key)
            if how.check_unknown:
                for name in sorted(set(raw) - how.spec.column_names):
                    row.error(name, "unknown_field")
            draft = how.spec.parse(row, how.department)
            if row.errors or draft is None:
                errors.extend(row.errors)
            else:
                item = Stated(draft, f"{how.batch_id}#{row_no}")
                if draft.fact_key in keys:
                    return _Chunk(stated, errors, last, count, carry=item)
                stated.append(item)
                keys.add(draft.fact_key)
        last, count = row_no, count + 1
        if count >= how.size:
            break
    if count == 0:
        return None
    return _Chunk(stated, errors, last, count)


def _row_of(stated: Stated) -> int:
    return int(stated.evidence_ref.rsplit("#", 1)[1])


async def _chunks(path: Path, fmt: FileFormat, how: _Reading, skip: int) -> AsyncIterator[_Chunk]:
    rows = files.rows(path, fmt, skip=skip)
    carry: Stated | None = None
    try:
        while True:
            chunk = await asyncio.to_thread(_parse_chunk, rows, how, carry)
            if chunk is None:
                return
            carry = chunk.carry
            yield chunk
    finally:
        rows.close()


async def process_pending(runtime: Runtime, worker: str | None = None) -> int:
    """Apply every batch waiting; returns how many were taken. The worker task's body."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    worker = worker or f"{os.uname().nodename}:{os.getpid()}"
    taken = 0
    while True:
        async with unit_of_work(runtime) as uow:
            batch = await uow.repos.batches.claim(worker, settings.batch_lease_s)
            await uow.commit()
        if batch is None:
            return taken
        taken += 1
        try:
            await apply_batch(runtime, batch, worker)
        except Exception:
            # Left "processing": another attempt takes it once the lease runs out.
            log.exception("batch %s failed; it will be retried", batch["id"])
            return taken


async def apply_batch(runtime: Runtime, batch: dict[str, Any], worker: str) -> None:
    settings: Settings = runtime.settings  # type: ignore[assignment]
    batch_id: uuid.UUID = batch["id"]
    path = Path(batch["spool_path"] or "")
    fmt = FileFormat(batch["format"])
    spec = FEEDS[FeedKind(batch["feed"])]
    try:
        if not await asyncio.to_thread(path.is_file):
            raise Rejected("file_missing", reasons.stored("feed.file_missing"))
        facts_of_file = await asyncio.to_thread(files.inspect, path, fmt)
        if facts_of_file.sha256 != batch["sha256"]:
            raise Rejected("checksum_mismatch", reasons.stored("feed.checksum_mismatch"))
        if facts_of_file.rows != batch["declared_rows"]:
            raise Rejected(
                "row_count_mismatch",
                reasons.stored(
                    "feed.row_count_mismatch",
                    rows=facts_of_file.rows,
                    declared=batch["declared_rows"],
                ),
                "rows",
            )
        if fmt is FileFormat.CSV:
            _check_header(spec, facts_of_file.header)
    except (Rejected, files.BadFile) as exc:
        why = exc if isinstance(exc, Rejected) else Rejected(exc.code, exc.reason)
        async with unit_of_work(runtime) as uow:
            await _reject(uow, batch_id, why)
            await uow.commit()
        await _remove(path)
        return
    how = _Reading(
        spec,
        Department(batch["department"]),
        batch_id,
        runtime.personal_data.person_key,
        settings.chunk_rows,
        fmt is FileFormat.JSONL,
    )
    if Mode(batch["mode"]) is Mode.ROW_BY_ROW:
        await _row_by_row(runtime, batch, how, path, fmt, worker)
    else:
        await _all_or_nothing(runtime, batch, how, path, fmt, worker)
    await _remove(path)


def _store_errors(tally: _Tally, errors: list[RowError], limit: int) -> list[RowError]:
    room = max(0, limit - tally.errors_stored)
    kept = errors[:room]
    tally.errors_stored += len(kept)
    return kept


def _failed_rows(chunk: _Chunk) -> int:
    return len({e.row for e in chunk.errors})


async def _row_by_row(
    runtime: Runtime, batch: dict, how: _Reading, path: Path, fmt: FileFormat, worker: str
) -> None:
    settings: Settings = runtime.settings  # type: ignore[assignment]
    batch_id = batch["id"]
    tally = _Tally(
        read=batch["rows_read"],
        applied=batch["rows_applied"],
        failed=batch["rows_failed"],
        changes={
            Change.NEW: batch["facts_new"],
            Change.CHANGED: batch["facts_changed"],
            Change.REVOKED: batch["facts_revoked"],
            Change.UNCHANGED: batch["facts_unchanged"],
        },
    )
    async for chunk in _chunks(path, fmt, how, skip=batch["checkpoint_row"]):
        async with unit_of_work(runtime) as uow:
            outcomes = await apply_facts(
                uow, chunk.stated, as_of=batch["as_of"], verified_at=datetime.now(UTC)
            )
            tally.count(outcomes)
            tally.read += chunk.rows
            tally.applied += len(chunk.stated)
            tally.failed += _failed_rows(chunk)
            await uow.repos.batches.add_errors(
                batch_id,
                _store_errors(tally, chunk.errors, settings.max_errors_stored),
            )
            held = await uow.repos.batches.update(
                batch_id,
                claimed_by=worker,
                checkpoint_row=chunk.last_row,
                lease_until=_lease(settings),
                **tally.columns(),
            )
            if not held:
                log.warning("batch %s was taken over by another worker; stopping", batch_id)
                return
            await uow.commit()
    async with unit_of_work(runtime) as uow:
        if tally.failed and not tally.applied:
            status = "rejected"
        elif tally.failed:
            status = "partially_applied"
        else:
            status = "applied"
        extra = (
            {"reject_code": "row_errors", "reject_reason": reasons.stored("feed.all_rows_failed")}
            if status == "rejected"
            else {}
        )
        await uow.repos.batches.update(
            batch_id,
            claimed_by=worker,
            status=status,
            finished_at=datetime.now(UTC),
            lease_until=None,
            **extra,
        )
        await uow.commit()


async def _all_or_nothing(
    runtime: Runtime, batch: dict, how: _Reading, path: Path, fmt: FileFormat, worker: str
) -> None:
    """One transaction for every row; the first bad row rolls it back, and the rest of the
    file is then only checked so that the report lists every error."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    batch_id = batch["id"]
    tally = _Tally()
    errors: list[RowError] = []
    async with unit_of_work(runtime) as uow:
        applying = True
        async for chunk in _chunks(path, fmt, how, skip=0):
            tally.read += chunk.rows
            tally.failed += _failed_rows(chunk)
            errors += _store_errors(tally, chunk.errors, settings.max_errors_stored)
            if applying and chunk.errors:
                applying = False
                await uow.rollback()
            if applying:
                outcomes = await apply_facts(
                    uow, chunk.stated, as_of=batch["as_of"], verified_at=datetime.now(UTC)
                )
                tally.count(outcomes)
                tally.applied += len(chunk.stated)
                await uow.flush_events()  # memory stays bounded: events go to the outbox now
            await _progress(runtime, batch_id, worker, tally.read, tally.failed)
        if applying:
            held = await uow.repos.batches.update(
                batch_id,
                claimed_by=worker,
                status="applied",
                finished_at=datetime.now(UTC),
                lease_until=None,
                checkpoint_row=tally.read,
                **tally.columns(),
            )
            if held:
                await uow.commit()
                return
            await uow.rollback()
            log.warning("batch %s was taken over by another worker; rolled back", batch_id)
            return
    async with unit_of_work(runtime) as uow:
        await uow.repos.batches.add_errors(batch_id, errors)
        await _reject(
            uow,
            batch_id,
            Rejected(
                "row_errors", reasons.stored("feed.all_or_nothing", failed=tally.failed), "rows"
            ),
            rows_read=tally.read,
            rows_failed=tally.failed,
            rows_applied=0,
        )
        await uow.commit()


async def _remove(path: Path) -> None:
    await asyncio.to_thread(path.unlink, missing_ok=True)


def _lease(settings: Settings) -> datetime:
    from datetime import timedelta

    return datetime.now(UTC) + timedelta(seconds=settings.batch_lease_s)


async def _progress(runtime: Runtime, batch_id: uuid.UUID, worker: str, read: int, failed: int):
    """Progress of a batch still in its transaction, visible to the status endpoint (its own
    transaction beside the batch's)."""
    async with unit_of_work(runtime) as uow:
        await uow.repos.batches.update(
            batch_id,
            claimed_by=worker,
            rows_read=read,
            rows_failed=failed,
            lease_until=_lease(runtime.settings),  # type: ignore[arg-type]
        )
        await uow.commit()
