"""Employment-monitor handlers: each consumed event becomes facts in the read models.

The consumer runner handles a fetched batch in one unit of work, calling ``project`` once per
event. Applying each event's facts at once would cost two round trips per event (the shared
lock, then a one-row upsert); instead ``project`` takes the event's facts (translated at the
consumer edge, contracts.event_facts) and keeps them on the unit of work's session, and just
before that transaction commits they are applied together: the shared lock once, then one
set-based statement per kind of fact for the whole batch — the replay's code path. Same
transaction, so the facts commit with the inbox rows or not at all; a rolled-back transaction
drops them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from employment_monitor.adapters.projection import Fact, apply_facts
from suxin_common import db
from suxin_common.db import UnitOfWork

# Live handlers and the replay take this lock (shared / exclusive) so that a rebuild never
# interleaves with live writes.
PROJECTION_LOCK = 0x5358_4D4F_4E  # "SXMON"

_PENDING = "employment_monitor.pending_facts"


async def project(uow: UnitOfWork, facts: list[Fact]) -> None:
    """Count an event's facts in every statistic it belongs to (the same code path as the
    replay), in the unit of work's transaction: applied when it commits, with the other events
    of the batch."""
    session = uow.session.sync_session
    if session.get_transaction() is None:
        await uow.session.connection()  # begin: the facts belong to this transaction
    _pending(session).extend(facts)


async def apply_locked(conn: Any, facts: list[Fact]) -> int:
    """Take the projection lock (shared) and apply the facts, on an asyncpg connection inside
    the caller's transaction."""
    await conn.execute("SELECT pg_advisory_xact_lock_shared($1)", PROJECTION_LOCK)
    return await apply_facts(conn, facts)


def _pending(session: Session) -> list[Fact]:
    """The facts waiting for the session's current transaction to commit."""
    transaction = session.get_transaction()
    held = session.info.get(_PENDING)
    if held is None:
        sa_event.listen(session, "before_commit", _apply_pending)
    elif held[0] is transaction:
        return held[1]
    # A new transaction: whatever an earlier (rolled back) one left is dropped.
    session.info[_PENDING] = (transaction, [])
    return session.info[_PENDING][1]


def _apply_pending(session: Session) -> None:
    """``before_commit`` (sync, inside the async session's greenlet): the transaction is still
    open, so the facts land in it; a failure here fails the commit."""
    held = session.info.get(_PENDING)
    if held is None or held[0] is not session.get_transaction() or not held[1]:
        return
    facts = list(held[1])
    held[1].clear()
    db.run_on_driver(session, lambda conn: apply_locked(conn, facts))
