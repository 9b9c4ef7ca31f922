"""The access audit trail (访问审计): who read which person's data, who decided on money.

Every service database has the kit's append-only `audit_log` table. A handler records an entry
in its business transaction, so the entry exists exactly when the read or decision did::

    from suxin_common.security import audit

    async with uow:
        seeker = await repo.get_seeker(uow.session, seeker_id)
        await audit.record(uow, principal, action=audit.READ_PERSONAL_DATA,
                           object_type="seeker", object_id=str(seeker_id),
                           purpose="profile view")
        await uow.commit()

Entries form a SHA-256 chain: each row's `hash` covers its content and the previous row's hash,
so a changed, inserted or deleted row breaks the chain at that point (`verify_chain`). Appends
are serialised by a transaction-scoped advisory lock. Removing rows from the end cannot be seen
from the chain alone: auditors keep the head hash `verify_chain` reports, and a later check
that does not reach it shows truncation. UPDATE, DELETE and TRUNCATE are refused by trigger
(kit migration k0001). `audit_router()` is the auditor's API, mounted by `build_service_app`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from suxin_common.auth import Principal, Role, require_roles
from suxin_common.tables import audit_log
from suxin_common.web import (
    Page,
    ServiceUnavailable,
    Unprocessable,
    current_request_id,
    decode_cursor,
    encode_cursor,
    page_size,
)

GENESIS_HASH = "0" * 64
# Any constant: the lock only serialises appends to this database's chain.
_CHAIN_LOCK_KEY = 0x5355_5849_4E41  # "SUXINA"

# Actions (free text is allowed; these keep the common ones uniform for auditors).
READ_PERSONAL_DATA = "read_personal_data"
REVEAL_RESIDENT_ID = "reveal_resident_id"
DECIDE_PAYMENT = "decide_payment"
DECIDE_SUBSIDY = "decide_subsidy"
DECIDE_CLAIM = "decide_claim"


_HASHED_FIELDS = (
    "occurred_at",
    "actor",
    "actor_roles",
    "client_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "request_id",
    "details",
    "prev_hash",
)


def entry_hash(entry: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of an entry's content and its predecessor's hash."""
    content = {name: entry.get(name) for name in _HASHED_FIELDS}
    occurred = content["occurred_at"]
    if isinstance(occurred, datetime):
        content["occurred_at"] = occurred.astimezone(UTC).isoformat(timespec="microseconds")
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _connection_of(target: Any) -> AsyncSession | AsyncConnection:
    """A UnitOfWork (its session), an AsyncSession or an AsyncConnection."""
    session = getattr(target, "session", target)
    if not isinstance(session, AsyncSession | AsyncConnection):
        raise TypeError("audit.record needs a UnitOfWork, AsyncSession or AsyncConnection")
    return session


async def record(
    uow: Any,
    principal: Principal | None,
    *,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str | None = None,
    details: Mapping[str, Any] | None = None,
    actor: str | None = None,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Append an entry in the caller's transaction (it commits or rolls back with it).

    `principal` is the caller; None (with `actor`, e.g. "consumer:training-vouchers") for
    decisions made by event handlers. `details` holds codes and amounts, never personal data.
    """
    if principal is None and not actor:
        raise ValueError("audit.record needs a principal or an actor")
    conn = _connection_of(uow)
    await conn.execute(_TAKE_CHAIN_LOCK)
    previous = (await conn.execute(_CHAIN_HEAD)).scalar()
    entry: dict[str, Any] = {
        "occurred_at": datetime.now(UTC),
        "actor": actor or (principal.subject if principal else ""),
        "actor_roles": ",".join(sorted(principal.roles)) if principal else "",
        "client_id": principal.client_id if principal else None,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "purpose": purpose,
        "request_id": request_id or current_request_id.get(),
        "details": dict(details or {}),
        "prev_hash": previous or GENESIS_HASH,
    }
    entry["hash"] = entry_hash(entry)
    entry["id"] = (await conn.execute(_APPEND, entry)).scalar_one()
    return entry


# Built once (audit entries are written on hot paths such as every hire).
_TAKE_CHAIN_LOCK = sa.select(sa.func.pg_advisory_xact_lock(_CHAIN_LOCK_KEY))
_CHAIN_HEAD = sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
_APPEND = sa.insert(audit_log).returning(audit_log.c.id)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    head_hash: str
    first_bad_id: int | None = None
    problem: str | None = None


async def verify_chain(
    target: AsyncEngine | AsyncConnection | AsyncSession, *, batch_size: int = 1000
) -> ChainReport:
    """Walk the whole chain in id order; report the first row whose link or hash is wrong."""
    if isinstance(target, AsyncEngine):
        async with target.connect() as conn:
            return await verify_chain(conn, batch_size=batch_size)
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = (
            (
                await target.execute(
                    sa.select(audit_log)
                    .where(audit_log.c.id > last_id)
                    .order_by(audit_log.c.id)
                    .limit(batch_size)
                )
            )
            .mappings()
            .all()
        )
        for row in rows:
            if row["prev_hash"] != expected_prev:
                return ChainReport(
                    False, checked, expected_prev, row["id"], "link broken (row missing/inserted)"
                )
            if entry_hash(row) != row["hash"]:
                return ChainReport(False, checked, expected_prev, row["id"], "content modified")
            expected_prev = row["hash"]
            checked += 1
            last_id = row["id"]
        if len(rows) < batch_size:
            return ChainReport(True, checked, expected_prev)


# --- the auditor's API --------------------------------------------------------------------


class AuditEntryOut(BaseModel):
    id: int
    occurred_at: datetime
    actor: str
    actor_roles: list[str]
    client_id: str | None
    action: str
    object_type: str
    object_id: str
    purpose: str | None
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class ChainReportOut(BaseModel):
    ok: bool
    checked: int
    head_hash: str
    first_bad_id: int | None
    problem: str | None


AUDITOR = Depends(require_roles(Role.AUDITOR))


def _engine(request: Request) -> AsyncEngine:
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise ServiceUnavailable("service is starting")
    return runtime.engine


def audit_router() -> APIRouter:
    """`GET /v1/audit/entries` (filtered, newest first, paged) and `GET /v1/audit/verify`,
    for the auditor role only."""
    router = APIRouter(prefix="/v1/audit", tags=["audit"], dependencies=[AUDITOR])

    @router.get("/entries", response_model=Page[AuditEntryOut])
    async def list_audit_entries(
        request: Request,
        limit: Annotated[int, Depends(page_size())],
        object_type: Annotated[str | None, Query(max_length=100)] = None,
        object_id: Annotated[str | None, Query(max_length=200)] = None,
        actor: Annotated[str | None, Query(max_length=200)] = None,
        action: Annotated[str | None, Query(max_length=100)] = None,
        cursor: Annotated[str | None, Query(max_length=2048)] = None,
    ) -> Page[AuditEntryOut]:
        query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit + 1)
        for column, value in (
            (audit_log.c.object_type, object_type),
            (audit_log.c.object_id, object_id),
            (audit_log.c.actor, actor),
            (audit_log.c.action, action),
        ):
            if value is not None:
                query = query.where(column == value)
        if cursor is not None:
            before = decode_cursor(cursor).get("before")
            if not isinstance(before, int):
                raise Unprocessable("The cursor is invalid.", field="cursor")
            query = query.where(audit_log.c.id < before)
        async with _engine(request).connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        items = [
            AuditEntryOut(
                **{k: v for k, v in row.items() if k != "actor_roles"},
                actor_roles=[r for r in row["actor_roles"].split(",") if r],
            )
            for row in rows[:limit]
        ]
        next_cursor = encode_cursor({"before": items[-1].id}) if len(rows) > limit else None
        return Page[AuditEntryOut](items=items, next_cursor=next_cursor)

    @router.get("/verify", response_model=ChainReportOut)
    async def verify_audit_chain(request: Request) -> ChainReportOut:
        report = await verify_chain(_engine(request))
        return ChainReportOut(**report.__dict__)

    return router
