"""Reads of personal data in the audit trail, for endpoints that show people's records to staff
and partners (a person's own `/v1/me/...` reads are audited by those routes).

    await reads.audited(runtime, principal, object_type="coverage", object_ids=[c.id for c in page],
                        purpose="coverage list")

One object read: one `read_personal_data` entry with its id as `object_id`. A list page: one
entry for the page, `object_id` = `list:<n>` and the ids shown in `details.ids` (a page is at most
200 rows), so a page costs one chained insert, not one per row; an auditor asking "who saw
object X" searches `object_id` and the pages' `details.ids`. An empty page is not a read of
anyone's data and is not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from suxin_common.auth import Principal
from suxin_common.security import audit


async def record(
    target: Any,
    principal: Principal,
    *,
    object_type: str,
    object_ids: Iterable[Any],
    purpose: str,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Record the read in the caller's transaction (`target`: a UnitOfWork, session or
    connection)."""
    ids = [str(i) for i in object_ids]
    if not ids:
        return
    more = dict(details or {})
    if len(ids) == 1:
        object_id = ids[0]
    else:
        object_id = f"list:{len(ids)}"
        more["ids"] = ids
    await audit.record(
        target,
        principal,
        action=audit.READ_PERSONAL_DATA,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=more,
    )


async def audited(
    runtime: Any,
    principal: Principal,
    *,
    object_type: str,
    object_ids: Iterable[Any],
    purpose: str,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Record the read in a transaction of its own (for routes that read without one)."""
    ids = list(object_ids)
    if not ids:
        return
    async with runtime.engine.begin() as conn:
        await record(
            conn,
            principal,
            object_type=object_type,
            object_ids=ids,
            purpose=purpose,
            details=details,
        )
