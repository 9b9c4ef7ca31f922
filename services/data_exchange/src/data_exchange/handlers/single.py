"""Single records over HTTP: one row of a feed, applied at once as a one-row batch.

The record's batch gets a SHA-256 over its fact key (which holds only the person key), value
and as-of date, never over the raw record: a plain hash of a lone resident ID could be
reversed by trying every valid ID. Sending the same record again is a duplicate and changes
nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from data_exchange.adapters.repositories import unit_of_work
from data_exchange.domain.departments import Department
from data_exchange.domain.feeds import FeedSpec
from data_exchange.domain.rows import Row, RowError
from data_exchange.handlers.facts import Outcome, Stated, apply_facts, tally
from suxin_common.service import Runtime


class RecordInvalid(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("the record is invalid")
        self.errors = errors


def parse_record(
    runtime: Runtime, spec: FeedSpec, department: Department, raw: Mapping[str, Any]
) -> Any:
    row = Row(raw, 1, runtime.personal_data.person_key)
    for name in sorted(set(raw) - spec.column_names):
        row.error(name, "unknown_field")
    draft = spec.parse(row, department)
    if row.errors or draft is None:
        raise RecordInvalid(row.errors)
    return draft


async def record_one(
    runtime: Runtime,
    spec: FeedSpec,
    department: Department,
    raw: Mapping[str, Any],
    *,
    as_of: date,
    sender: str,
) -> tuple[uuid.UUID, Outcome | None]:
    """Apply one record; returns its batch and outcome, or (first batch, None) for a record
    already sent."""
    draft = parse_record(runtime, spec, department, raw)
    sha256 = hashlib.sha256(
        f"{spec.kind}|{draft.fact_key}|{draft.value_hash()}|{as_of}".encode()
    ).hexdigest()
    batch_id = uuid.uuid4()
    now = datetime.now(UTC)
    try:
        async with unit_of_work(runtime) as uow:
            first = await uow.repos.batches.accepted_with(department.value, sha256)
            if first is not None:
                return first, None
            await uow.repos.batches.create(
                {
                    "id": batch_id,
                    "department": department.value,
                    "feed": spec.kind.value,
                    "period": as_of.isoformat(),
                    "as_of": as_of,
                    "declared_rows": 1,
                    "sha256": sha256,
                    "mode": "all_or_nothing",
                    "format": "jsonl",
                    "source": "single",
                    "sender": sender,
                    "status": "applied",
                    "rows_read": 1,
                    "rows_applied": 1,
                    "checkpoint_row": 1,
                    "received_at": now,
                    "started_at": now,
                    "finished_at": now,
                },
            )
            outcomes = await apply_facts(
                uow, [Stated(draft, f"{batch_id}#1")], as_of=as_of, verified_at=now
            )
            counts = tally(outcomes)
            await uow.repos.batches.update(
                batch_id,
                facts_new=counts["new"],
                facts_changed=counts["changed"],
                facts_revoked=counts["revoked"],
                facts_unchanged=counts["unchanged"] + counts["nothing_to_revoke"],
            )
            await uow.commit()
    except IntegrityError:
        # The same record sent twice at the same moment: the other request applied it.
        async with unit_of_work(runtime) as uow:
            first = await uow.repos.batches.accepted_with(department.value, sha256)
        if first is None:
            raise
        return first, None
    return batch_id, outcomes[0]
