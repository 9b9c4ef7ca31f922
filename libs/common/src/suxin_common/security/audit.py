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

Entries form a keyed chain: each row's `hash` is an HMAC-SHA256 (key from AUDIT_CHAIN_KEYS,
held outside the database; the row's `kid` names it) over its content and the previous row's
hash, so a changed, inserted or deleted row breaks the chain at that point (`verify_chain`), and
someone with database rights but without the key cannot recompute the hashes after a change.
Rows written before keying (no `kid`) carry a plain SHA-256 and still verify, but only before the
first keyed row (no downgrade).

A database holds several chains (`CHAINS`; each row records its `chain`, which its hash covers):
a transaction claims one (`claim_chain`: the first whose transaction-scoped advisory lock is
free, kit migration k0005) and appends to it until COMMIT, so transactions that audit do not
queue behind each other's COMMIT as they did behind a single chain's lock. Each chain is verified
link by link like the single chain was; the checkpoints sign every chain's head.
Removing or rewriting rows at the end is caught by the signed checkpoints of the head kept
outside the database (security/audit_checkpoints.py). UPDATE, DELETE and TRUNCATE are refused by
trigger (kit migration k0001). `audit_router()` is the auditor's API, mounted by
`build_service_app`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from suxin_common import db
from suxin_common.auth import Principal, Role, require_roles
from suxin_common.settings import DEV_AUDIT_CHAIN_KEYS
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
# Chains per database: a transaction waits for another's COMMIT only when all are taken. The
# checkpoints cover chains 0 .. CHAINS-1 (the number may grow; it must not shrink).
CHAINS = 16

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


class ChainKeys:
    """HMAC keys of the audit chain from "kid:base64key,kid2:base64key": the first signs new
    entries, all verify (rotation: put the new key first, keep the old ones)."""

    def __init__(self, keys: Mapping[str, bytes], signing_kid: str) -> None:
        self._keys = dict(keys)
        self.signing_kid = signing_kid

    @classmethod
    def from_spec(cls, spec: str) -> ChainKeys:
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for item in (part.strip() for part in spec.split(",")):
            if not item:
                continue
            kid, sep, b64 = item.partition(":")
            if not sep or not kid.strip():
                raise ValueError("AUDIT_CHAIN_KEYS entries are kid:base64key")
            try:
                key = base64.b64decode(b64.strip(), validate=True)
            except binascii.Error as exc:
                raise ValueError(f"AUDIT_CHAIN_KEYS: key {kid!r} is not base64") from exc
            if len(key) < 32:
                raise ValueError(f"AUDIT_CHAIN_KEYS: key {kid!r} is shorter than 32 bytes")
            keys[kid.strip()] = key
            order.append(kid.strip())
        if not order:
            raise ValueError("AUDIT_CHAIN_KEYS holds no key")
        return cls(keys, order[0])

    def key(self, kid: str) -> bytes | None:
        return self._keys.get(kid)

    def mac(self, kid: str, message: bytes) -> str:
        key = self._keys.get(kid)
        if key is None:
            raise KeyError(kid)
        return hmac.new(key, message, hashlib.sha256).hexdigest()


_keys = ChainKeys.from_spec(DEV_AUDIT_CHAIN_KEYS)


def use_keys(keys: ChainKeys) -> None:
    """Install this process's chain keys (build_service_app does, from AUDIT_CHAIN_KEYS)."""
    global _keys  # noqa: PLW0603 - one key set per process, like the settings it comes from
    _keys = keys


def chain_keys() -> ChainKeys:
    return _keys


def _canonical(entry: Mapping[str, Any]) -> bytes:
    content = {name: entry.get(name) for name in _HASHED_FIELDS}
    occurred = content["occurred_at"]
    if isinstance(occurred, datetime):
        content["occurred_at"] = occurred.astimezone(UTC).isoformat(timespec="microseconds")
    if entry.get("kid"):
        content["kid"] = entry["kid"]
    if entry.get("chain"):  # chain 0 is hashed as before chains existed
        content["chain"] = entry["chain"]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return canonical.encode()


def entry_hash(entry: Mapping[str, Any], keys: ChainKeys | None = None) -> str:
    """The entry's chain hash: HMAC-SHA256 with the key its `kid` names over the canonical JSON
    of its content and its predecessor's hash; plain SHA-256 for a legacy entry (no `kid`).
    Raises KeyError for a kid not in the key set."""
    kid = entry.get("kid")
    if not kid:
        return hashlib.sha256(_canonical(entry)).hexdigest()
    return (keys or _keys).mac(kid, _canonical(entry))


def seal(entry: dict[str, Any], keys: ChainKeys | None = None) -> dict[str, Any]:
    """Set the entry's `kid` (the signing key) and its `hash`; returns the entry."""
    keys = keys or _keys
    entry["kid"] = keys.signing_kid
    entry["hash"] = entry_hash(entry, keys)
    return entry


def entry(
    principal: Principal | None,
    *,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str | None = None,
    details: Mapping[str, Any] | None = None,
    actor: str | None = None,
    request_id: str | None = None,
    occurred_at: datetime | None = None,
) -> dict[str, Any]:
    """An entry's content (not yet chained): `principal` is the caller; None (with `actor`,
    e.g. "consumer:training-vouchers") for decisions made by event handlers. `details` holds
    codes and amounts, never personal data."""
    if principal is None and not actor:
        raise ValueError("an audit entry needs a principal or an actor")
    return {
        "occurred_at": occurred_at or datetime.now(UTC),
        "actor": actor or (principal.subject if principal else ""),
        "actor_roles": ",".join(sorted(principal.roles)) if principal else "",
        "client_id": principal.client_id if principal else None,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "purpose": purpose,
        "request_id": request_id or current_request_id.get(),
        "details": dict(details or {}),
    }


@dataclass(frozen=True)
class ChainHead:
    """The chain this transaction appends to, and its head (the lock is held to COMMIT)."""

    chain: int
    hash: str


_HEAD = "suxin.audit_chain_head"


async def claim_chain(target: Any) -> ChainHead:
    """Take the chain lock for the transaction of `target` (a UnitOfWork, AsyncSession or
    AsyncConnection) and return the chain's head; once per transaction (remembered, and moved on
    by :func:`append_many` / :func:`advanced`)."""
    transaction = db.current_transaction(target)
    info = db._info(target)  # noqa: SLF001 - kit-internal
    cached = info.get(_HEAD)
    if transaction is not None and cached is not None and cached[0] is transaction:
        return cached[1]
    driver = await db.driver_connection(target)
    chain, previous = await driver.fetchrow(_CLAIM, CHAINS)
    return claimed(target, chain, previous)


def claim_from(param: int) -> str:
    """The claim as an SQL FROM item (``audit_claim(claimed, head)``), taking the number of
    chains (:data:`CHAINS`) as ``$param``: a service's own statement may claim the chain while it
    reads what it decides on (one round trip fewer), then hands the result to :func:`claimed`.
    The head is read after the lock is granted (kit migration k0005), not in the statement's
    snapshot."""
    return f"suxin_audit_claim(${param}::integer) AS audit_claim(claimed, head)"


def claimed(target: Any, chain: int, head: str | None) -> ChainHead:
    """Remember the chain claimed (by :func:`claim_chain` or a statement using
    :func:`claim_from`) for the transaction of `target`; returns it."""
    info = db._info(target)  # noqa: SLF001 - kit-internal
    cached = info.get(_HEAD)
    transaction = db.current_transaction(target)
    if transaction is not None and cached is not None and cached[0] is transaction:
        return cached[1]  # claimed already: that chain's lock is held, keep appending to it
    result = ChainHead(int(chain), head or GENESIS_HASH)
    info[_HEAD] = (transaction, result)
    return result


COLUMNS = (
    ("chain", "smallint"),
    ("occurred_at", "timestamptz"),
    ("actor", "text"),
    ("actor_roles", "text"),
    ("client_id", "text"),
    ("action", "text"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("purpose", "text"),
    ("request_id", "text"),
    ("details", "text"),  # JSON text, cast to jsonb
    ("prev_hash", "text"),
    ("hash", "text"),
    ("kid", "text"),
)


@dataclass(frozen=True)
class AuditRows:
    """Entries chained after `after` and sealed, ready to be inserted: by :func:`append_many`,
    or inside a service's own statement (one round trip for a business change and its audit
    entries) with :meth:`insert_sql` and :meth:`params`, then :func:`advanced`."""

    after: ChainHead
    entries: tuple[dict[str, Any], ...]

    @property
    def head(self) -> ChainHead:
        return ChainHead(self.after.chain, self.entries[-1]["hash"]) if self.entries else self.after

    def insert_sql(self, first_param: int = 1, *, where: str | None = None) -> str:
        return insert_sql(first_param, where=where)

    def params(self) -> list[list[Any]]:
        columns: list[list[Any]] = [[] for _ in COLUMNS]
        for e in self.entries:
            for i, (name, _) in enumerate(COLUMNS):
                value = e[name]
                columns[i].append(json.dumps(value) if name == "details" else value)
        return columns


def insert_sql(first_param: int = 1, *, where: str | None = None) -> str:
    """``INSERT INTO audit_log ... RETURNING id`` (ids in chain order) taking the entries of an
    :class:`AuditRows` (its ``params()``) as one array parameter per column from
    ``$first_param`` on; ``where``, an SQL condition, lets an enclosing statement insert them
    only if its own change happened. The text depends on the columns only (asyncpg keeps it
    prepared)."""
    params = ", ".join(f"${first_param + i}::{typ}[]" for i, (_name, typ) in enumerate(COLUMNS))
    names = ", ".join(name for name, _ in COLUMNS)
    select = ", ".join("a.details::jsonb" if n == "details" else f"a.{n}" for n, _ in COLUMNS)
    return (
        f"INSERT INTO audit_log ({names}) SELECT {select}"
        f" FROM unnest({params}) WITH ORDINALITY AS a({names}, ord)"
        f"{f' WHERE {where}' if where else ''} ORDER BY a.ord RETURNING id"
    )


def chained(head: ChainHead, entries: Sequence[Mapping[str, Any]]) -> AuditRows:
    """The entries (see :func:`entry`) linked one after the other from `head` and sealed."""
    prev = head.hash
    sealed = []
    for content in entries:
        row = dict(content)
        row["chain"] = head.chain
        row["prev_hash"] = prev
        seal(row)
        prev = row["hash"]
        sealed.append(row)
    return AuditRows(head, tuple(sealed))


def advanced(target: Any, rows: AuditRows) -> None:
    """`rows` were inserted (by the caller's own statement): the transaction's chain head moves
    on to their last entry."""
    transaction = db.current_transaction(target)
    info = db._info(target)  # noqa: SLF001 - kit-internal
    cached = info.get(_HEAD)
    if transaction is None or cached is None or cached[0] is not transaction:
        raise RuntimeError("audit rows inserted outside the transaction that claimed the chain")
    if cached[1] != rows.after:
        raise RuntimeError("audit rows chained after a head that is not the chain's")
    info[_HEAD] = (transaction, rows.head)


async def append_many(target: Any, entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Append entries (see :func:`entry`) in the caller's transaction, in one statement after the
    chain is claimed; they commit or roll back with it. Returns them sealed, with their ids."""
    if not entries:
        return []
    rows = chained(await claim_chain(target), entries)
    driver = await db.driver_connection(target)
    ids = await driver.fetch(rows.insert_sql(), *rows.params())
    advanced(target, rows)
    for row, record in zip(rows.entries, ids, strict=True):
        row["id"] = record[0]
    return list(rows.entries)


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
    content = entry(
        principal,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=details,
        actor=actor,
        request_id=request_id,
    )
    return (await append_many(uow, [content]))[0]


_CLAIM = f"SELECT claimed, head FROM {claim_from(1)}"


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    head_hash: str
    first_bad_id: int | None = None
    problem: str | None = None
    head_id: int | None = None
    checkpoint_id: int | None = None


async def verify_chain(
    target: AsyncEngine | AsyncConnection | AsyncSession,
    *,
    batch_size: int = 1000,
    checkpoint: Any = None,
    keys: ChainKeys | None = None,
) -> ChainReport:
    """Walk every chain in id order; report the first row whose link, key or hash is wrong.

    With `checkpoint` (the latest signed heads kept outside the database, an
    audit_checkpoints.Checkpoint already checked for its signature), the chains must still hold
    each checkpointed row with the checkpointed hash: a rewritten head or a truncated history
    fails even when every link inside the database is consistent.
    """
    if isinstance(target, AsyncEngine):
        async with target.connect() as conn:
            return await verify_chain(conn, batch_size=batch_size, checkpoint=checkpoint, keys=keys)
    keys = keys or _keys
    expected: dict[int, str] = {}  # chain -> the hash its next row must link to
    head_hash = GENESIS_HASH
    checked = 0
    last_id = 0
    keyed = False
    cp_id = getattr(checkpoint, "last_id", None)
    # checkpointed row id -> its hash (every chain's head when the checkpoint names them)
    pending: dict[int, str] = {}
    if checkpoint is not None:
        heads = getattr(checkpoint, "heads", ()) or (
            (None, checkpoint.last_id, checkpoint.head_hash),
        )
        pending = {int(row_id): hash_ for _chain, row_id, hash_ in heads}
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
            chain = row["chain"]
            prev = expected.get(chain, GENESIS_HASH)
            bad = _row_problem(row, prev, keyed, keys)
            if bad is not None:
                return ChainReport(False, checked, prev, row["id"], bad, last_id, cp_id)
            keyed = keyed or bool(row["kid"])
            if row["id"] in pending:
                if row["hash"] != pending.pop(row["id"]):
                    return ChainReport(
                        False, checked, prev, row["id"],
                        "rewritten: differs from the signed checkpoint", last_id, cp_id,
                    )  # fmt: skip
            expected[chain] = head_hash = row["hash"]
            checked += 1
            last_id = row["id"]
        if len(rows) < batch_size:
            if pending:
                return ChainReport(
                    False, checked, head_hash, min(pending),
                    "truncated: the signed checkpoint's entry is missing", last_id, cp_id,
                )  # fmt: skip
            return ChainReport(True, checked, head_hash, None, None, last_id or None, cp_id)


def _row_problem(
    row: Mapping[str, Any], expected_prev: str, keyed: bool, keys: ChainKeys
) -> str | None:
    if row["prev_hash"] != expected_prev:
        return "link broken (row missing/inserted)"
    if not row["kid"]:
        if keyed:
            return "unkeyed entry after keyed entries"
        return (
            None
            if hashlib.sha256(_canonical(row)).hexdigest() == row["hash"]
            else ("content modified")
        )
    if keys.key(row["kid"]) is None:
        return "signed with an unknown key"
    if not hmac.compare_digest(entry_hash(row, keys), row["hash"]):
        return "content modified"
    return None


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
    kid: str | None = None


class ChainReportOut(BaseModel):
    ok: bool
    checked: int
    head_hash: str
    first_bad_id: int | None
    problem: str | None
    head_id: int | None = None
    # The id of the signed checkpoint the chain was compared with (None: none found).
    checkpoint_id: int | None = None


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
        from suxin_common.security import audit_checkpoints  # noqa: PLC0415 - no import cycle

        runtime = request.app.state.runtime
        js = getattr(runtime, "js", None)
        checkpoint = None
        if js is not None:
            try:
                checkpoint = await audit_checkpoints.latest(
                    js, request.app.state.settings.service_name
                )
            except ValueError as exc:  # a forged or unreadable checkpoint is itself a finding
                return ChainReportOut(
                    ok=False, checked=0, head_hash="", first_bad_id=None, problem=str(exc)
                )
            except Exception as exc:  # NATS unreachable: no verdict without the checkpoint
                raise ServiceUnavailable("the audit checkpoint store is unreachable") from exc
        report = await verify_chain(_engine(request), checkpoint=checkpoint)
        return ChainReportOut(**report.__dict__)

    return router
