"""Async database access: engine and session factories, and the unit of work.

The unit of work is the only way handlers change state. Events recorded on it become outbox
rows in the same transaction as the business change, so an event exists if and only if the
change committed (STYLE.md: never publish after commit).
"""

from __future__ import annotations

import contextlib
import json
import uuid
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, Protocol, Self, TypeVar

from google.protobuf.message import Message
from opentelemetry import propagate
from sqlalchemy import event, exc, insert, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from suxin_common.messaging.catalog import EventType, event_type_of
from suxin_common.settings import ServiceSettings
from suxin_common.tables import outbox

OUTBOX_CHANNEL = "suxin_outbox"


def asyncpg_dsn(url: str | URL) -> str:
    """The plain libpq DSN asyncpg wants, from a SQLAlchemy URL such as ``postgresql+asyncpg://``."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def create_engine(settings: ServiceSettings) -> AsyncEngine:
    engine = create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        # No pool_pre_ping: with asyncpg it costs three round trips per checkout (BEGIN, ";",
        # ROLLBACK) on top of the transaction's own BEGIN. The BEGIN sent at checkout is the
        # liveness probe instead (begin_on_checkout).
        # Exception messages (and so logs) never carry the statement's parameters: they hold
        # personal data (resident IDs, phone numbers) as often as not.
        hide_parameters=True,
    )
    event.listen(engine.sync_engine.pool, "checkout", begin_on_checkout)
    return engine


# Set by autocommit_driver around its checkout: that checkout is not for a transaction.
_NO_BEGIN: ContextVar[bool] = ContextVar("suxin_no_begin_on_checkout", default=False)


def begin_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Pool ``checkout`` hook: start the transaction the connection is checked out for, and
    let that BEGIN be the liveness probe ``pool_pre_ping`` was (a dead connection is replaced,
    and the pool's older connections with it, before the caller sees it).

    Every checkout of a service engine is for a transaction (SQLAlchemy 2 begins one on the
    first statement anyway), so this costs nothing extra; a connection later switched to
    another isolation level rolls this BEGIN back first (the adapter does). One round trip
    per transaction instead of four (pre-ping's BEGIN, ";" and ROLLBACK, then BEGIN)."""
    from sqlalchemy.util.concurrency import await_

    if (
        _NO_BEGIN.get()
        or getattr(dbapi_connection, "_transaction", False) is not None
        or getattr(dbapi_connection, "isolation_level", None) == "autocommit"
    ):
        return
    try:
        await_(dbapi_connection._start_transaction())  # noqa: SLF001 - the kit owns the driver
    except Exception as error:
        if dbapi_connection._connection.is_closed() or database_unreachable(error):  # noqa: SLF001
            raise exc.InvalidatePoolError() from error
        raise


@contextlib.asynccontextmanager
async def autocommit_driver(engine: AsyncEngine) -> AsyncIterator[Any]:
    """The asyncpg connection of a connection from ``engine``'s pool, in no transaction: each
    statement sent on it is a transaction of its own (one round trip instead of BEGIN, the
    statement, COMMIT). Only for work that is one statement, such as the outbox relay's claim
    and mark; two statements that must hold together take a transaction (a UnitOfWork).

    A connection found dead (or the database unreachable) is invalidated, not put back, so
    the pool replaces it as the checkout BEGIN would have."""
    token = _NO_BEGIN.set(True)
    try:
        connection = await engine.connect()
    finally:
        _NO_BEGIN.reset(token)
    try:
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        try:
            yield driver
        except BaseException as error:
            if driver.is_closed() or database_unreachable(error):
                await connection.invalidate()
            raise
    finally:
        await connection.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


@dataclass(frozen=True)
class PendingEvent:
    event_type: EventType
    message: Message
    key: str
    event_id: uuid.UUID


R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)
T = TypeVar("T")


class Work(Protocol[R_co]):
    """What a handler sees of a unit of work: the service's repositories (``repos``), events
    recorded for the outbox (``publish``), audit entries appended in the same transaction
    (``append_audit``), and ``commit``. :class:`UnitOfWork` is the PostgreSQL one; a unit test
    passes ``suxin_devkit.testing.uow.FakeUnitOfWork`` (repositories in memory), so a handler
    runs without a server. A handler types its parameter ``uow: Work[TheServiceRepositories]``.
    """

    source: str

    @property
    def repos(self) -> R_co: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    def publish(self, message: Message, *, key: str) -> uuid.UUID: ...

    async def append_audit(
        self, entries: Sequence[Mapping[str, Any]]
    ) -> Sequence[Mapping[str, Any]]: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class UnitOfWork(Generic[R]):
    """One business transaction: ``async with uow: ...; await uow.commit()``.

    Leaving the block without commit rolls back, events included. ``repositories`` (a service's
    factory, called once with this unit of work) gives ``uow.repos``: the service's repositories,
    which reach the transaction through this unit of work (``uow.session``, or the driver
    connection for a fast path, :func:`driver_connection`).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        source: str,
        repositories: Callable[[UnitOfWork[Any]], R] | None = None,
    ) -> None:
        self._sessions = sessions
        self.source = source
        self._events: list[PendingEvent] = []
        self._wrote_events = False
        self.session: AsyncSession
        self._repos: R | None = repositories(self) if repositories is not None else None

    @property
    def repos(self) -> R:
        if self._repos is None:
            raise RuntimeError("this unit of work was opened without the service's repositories")
        return self._repos

    def use(self, repositories: Callable[[UnitOfWork[Any]], R]) -> Self:
        """Give this unit of work the service's repositories (e.g. one the subscription runner
        opened: see :func:`with_repositories`)."""
        self._repos = repositories(self)
        return self

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self._events = []
        self._wrote_events = False
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    def publish(self, message: Message, *, key: str) -> uuid.UUID:
        """Record a domain event to be published once this unit of work commits.

        ``key`` is the aggregate id (CloudEvents ``subject``); relays keep per-key order.
        """
        pending = PendingEvent(event_type_of(message), message, key, uuid.uuid4())
        self._events.append(pending)
        return pending.event_id

    @property
    def pending_events(self) -> Sequence[PendingEvent]:
        return tuple(self._events)

    async def flush_events(self) -> None:
        """Write the events recorded so far as outbox rows now, still inside the transaction
        (they are published only if it commits): keeps memory bounded in a long transaction
        that records very many events, such as an all-or-nothing batch of millions of rows."""
        if self._events:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)  # the current span: HTTP request or consumer
            rows = [_outbox_row(e, self.source, carrier) for e in self._events]
            if len(rows) >= COPY_EVENTS_FROM:
                await _copy_outbox_rows(self.session, rows, carrier)
            else:
                await self.session.execute(insert(outbox), rows)
            self._events = []
            self._wrote_events = True

    async def append_audit(self, entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Append audit entries (``suxin_common.security.audit.entry``) in this transaction;
        returns them sealed, with their ids (``audit.append_many``)."""
        from suxin_common.security import audit  # audit builds on this module

        return await audit.append_many(self, entries)

    async def commit(self) -> None:
        await self.flush_events()
        if self._wrote_events:
            # A wake-up hint for relays; delivered only if the transaction commits.
            await self.session.execute(text(f"NOTIFY {OUTBOX_CHANNEL}"))
        await self.session.commit()
        self._events = []
        self._wrote_events = False

    async def rollback(self) -> None:
        self._events = []
        self._wrote_events = False
        await self.session.rollback()


def unit_of_work_factory(
    sessions: async_sessionmaker[AsyncSession],
    *,
    source: str,
    repositories: Callable[[UnitOfWork[Any]], R],
) -> Callable[[], UnitOfWork[R]]:
    """A new unit of work with the service's repositories per call (what routes receive)."""

    def open_unit() -> UnitOfWork[R]:
        return UnitOfWork(sessions, source=source, repositories=repositories)

    return open_unit


class Repository:
    """The base of a service's repository (one per aggregate, in its ``adapters/``): built with
    the unit of work, it reaches the transaction through it (``self.session``, or
    :func:`driver_connection` of ``self._uow`` for a fast path)."""

    def __init__(self, uow: UnitOfWork[Any]) -> None:
        self._uow = uow

    @property
    def session(self) -> AsyncSession:
        return self._uow.session


def with_repositories(
    repositories: Callable[[UnitOfWork[Any]], Any],
    handler: Callable[[Any, T], Awaitable[None]],
) -> Callable[[UnitOfWork[Any], T], Awaitable[None]]:
    """An event handler that takes ``Work[Repositories]``, for a ``Subscription`` (the runner
    opens plain units of work): ``Subscription(event, translate, with_repositories(Repos, h))``."""

    async def handle(uow: UnitOfWork[Any], obj: T) -> None:
        await handler(uow.use(repositories), obj)

    handle.__name__ = getattr(handler, "__name__", "handle")
    handle.__qualname__ = getattr(handler, "__qualname__", "handle")
    return handle


_OUTBOX_COLUMNS = (
    ("id", "uuid"),
    ("subject", "text"),
    ("ce_type", "text"),
    ("ce_source", "text"),
    ("ce_subject", "text"),
    ("payload", "bytea"),
    ("trace_headers", "text"),  # JSON text, cast to jsonb
)


@dataclass(frozen=True)
class OutboxRows:
    """Events as outbox rows for a service's own statement (one round trip for a business change,
    its audit entries and its events): :meth:`insert_sql` and :meth:`params` there; the
    statement also wakes the relays (:meth:`notify_sql`). Not recorded on the unit of work:
    if the statement did not insert them, the caller publishes on the unit of work instead."""

    rows: tuple[dict[str, Any], ...]

    @classmethod
    def of(cls, source: str, events: Sequence[tuple[Message, str]]) -> OutboxRows:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)  # the current span, as UnitOfWork.flush_events does
        pending = [PendingEvent(event_type_of(m), m, key, uuid.uuid4()) for m, key in events]
        return cls(tuple(_outbox_row(e, source, carrier) for e in pending))

    @property
    def ids(self) -> list[uuid.UUID]:
        return [r["id"] for r in self.rows]

    @staticmethod
    def insert_sql(first_param: int = 1, *, where: str | None = None) -> str:
        """``INSERT INTO outbox ... RETURNING id`` from one array parameter per column from
        ``$first_param`` on, only ``where`` an SQL condition holds."""
        params = ", ".join(
            f"${first_param + i}::{typ}[]" for i, (_n, typ) in enumerate(_OUTBOX_COLUMNS)
        )
        names = ", ".join(n for n, _ in _OUTBOX_COLUMNS)
        select = ", ".join(
            "o.trace_headers::jsonb" if n == "trace_headers" else f"o.{n}"
            for n, _ in _OUTBOX_COLUMNS
        )
        return (
            f"INSERT INTO {outbox.name} ({names}) SELECT {select}"
            f" FROM unnest({params}) AS o({names})"
            f"{f' WHERE {where}' if where else ''} RETURNING id"
        )

    @staticmethod
    def notify_sql(inserted_cte: str) -> str:
        """An SQL scalar expression that wakes the relays (on COMMIT) if ``inserted_cte`` (the
        CTE name of :meth:`insert_sql`) inserted a row; 1 if it did."""
        return (
            f"(SELECT count(*) FROM (SELECT pg_notify('{OUTBOX_CHANNEL}', '')"
            f" FROM (SELECT 1 FROM {inserted_cte} LIMIT 1) AS n) AS woken)"
        )

    def params(self) -> list[list[Any]]:
        columns: list[list[Any]] = [[] for _ in _OUTBOX_COLUMNS]
        for r in self.rows:
            for i, (name, _) in enumerate(_OUTBOX_COLUMNS):
                value = r[name]
                columns[i].append(json.dumps(value) if name == "trace_headers" else value)
        return columns


# From this many events in one flush, outbox rows are written with COPY (bulk publishers such
# as data-exchange's batches write thousands at a time).
COPY_EVENTS_FROM = 500
_COPY_COLUMNS = ("id", "subject", "ce_type", "ce_source", "ce_subject", "payload", "trace_headers")


async def _copy_outbox_rows(
    session: AsyncSession, rows: list[dict[str, Any]], carrier: dict[str, str]
) -> None:
    """COPY the rows on the session's own asyncpg connection (same transaction)."""
    driver = await driver_connection(session)
    headers = json.dumps(carrier)  # the same for every row of one flush
    await driver.copy_records_to_table(
        outbox.name,
        records=[
            (
                r["id"],
                r["subject"],
                r["ce_type"],
                r["ce_source"],
                r["ce_subject"],
                r["payload"],
                headers,
            )
            for r in rows
        ],  # fmt: skip
        columns=_COPY_COLUMNS,
    )


def _outbox_row(e: PendingEvent, source: str, carrier: dict[str, str]) -> dict[str, Any]:
    return {
        "id": e.event_id,
        "subject": e.event_type.subject,
        "ce_type": e.event_type.subject,
        "ce_source": source,
        "ce_subject": e.key,
        "payload": e.message.SerializeToString(deterministic=True),
        "trace_headers": carrier,
    }


# --- the fast paths: the transaction's driver connection, state kept per database ---------------

_DRIVER = "suxin.driver_connection"


def _session_of(target: Any) -> AsyncSession | AsyncConnection:
    """A UnitOfWork (its session), an AsyncSession or an AsyncConnection."""
    session = getattr(target, "session", target)
    if not isinstance(session, AsyncSession | AsyncConnection):
        raise TypeError("needs a UnitOfWork, AsyncSession or AsyncConnection")
    return session


def current_transaction(target: Any) -> Any:
    """The SQLAlchemy transaction ``target`` (UnitOfWork, AsyncSession, AsyncConnection) is in,
    or None: an identity to key per-transaction state on."""
    session = _session_of(target)
    if isinstance(session, AsyncSession):
        return session.sync_session.get_transaction()
    return session.sync_connection.get_transaction() if session.sync_connection else None


def _info(target: Any) -> dict[str, Any]:
    session = _session_of(target)
    if isinstance(session, AsyncSession):
        return session.sync_session.info
    return session.info


async def driver_connection(target: Any) -> Any:
    """The asyncpg connection of ``target``'s transaction (a UnitOfWork, AsyncSession or
    AsyncConnection), with that transaction begun on it: statements sent on it commit or roll
    back with the unit of work. The one way service code reaches the driver (arrays, COPY,
    prepared statements kept by asyncpg); remembered for the rest of the transaction, so a
    consumer batch may ask once per event."""
    transaction = current_transaction(target)
    info = _info(target)
    cached = info.get(_DRIVER)
    if transaction is not None and cached is not None and cached[0] is transaction:
        return cached[1]
    session = _session_of(target)
    connection = await session.connection() if isinstance(session, AsyncSession) else session
    raw = await connection.get_raw_connection()
    adapted = raw.dbapi_connection
    # SQLAlchemy's asyncpg adapter sends BEGIN lazily, with its first statement: a statement
    # sent straight to the driver before that would run outside the transaction.
    if (
        getattr(adapted, "_transaction", False) is None
        and getattr(adapted, "isolation_level", None) != "autocommit"
    ):
        async with adapted._execute_mutex:  # noqa: SLF001 - the kit owns the driver's internals
            if adapted._transaction is None:  # noqa: SLF001
                await adapted._start_transaction()  # noqa: SLF001
    driver = raw.driver_connection
    info[_DRIVER] = (current_transaction(target), driver)
    return driver


def run_on_driver(session: Session, fn: Callable[[Any], Any]) -> Any:
    """From a synchronous SQLAlchemy session hook (``before_commit`` and the like, which run in
    the async session's greenlet): ``await fn(asyncpg connection)`` in the session's
    transaction, returning its result."""
    dbapi = session.connection().connection.dbapi_connection
    return dbapi.run_async(fn)  # type: ignore[union-attr]


_per_database: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def per_database(target: Any, name: str, factory: Callable[[], Any]) -> Any:
    """Process-wide state for one database (engine) of ``target`` (a UnitOfWork, session or
    engine), made by ``factory`` on first use: hints a handler keeps between transactions
    (several databases, e.g. in tests, never share one). Kept by the kit, so services keep no
    module-level caches."""
    session = getattr(target, "session", target)
    if isinstance(session, AsyncSession):
        engine = session.get_bind()
    elif isinstance(session, AsyncConnection | AsyncEngine):
        engine = session.sync_engine
    else:
        engine = session
    state = _per_database.setdefault(engine, {})
    if name not in state:
        state[name] = factory()
    return state[name]


def database_unreachable(exc: BaseException) -> bool:
    """The database could not be reached (down, restarting, connection lost), anywhere in the
    exception's chain (causes, contexts and the driver error a SQLAlchemy error wraps): not the
    request's or the message's fault. The web layer answers 503; the subscription runner retries
    without using up the message's deliveries. The one outage test of the kit."""
    import asyncpg
    from sqlalchemy.exc import DBAPIError

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        cause = todo.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        if isinstance(cause, DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(
            cause,
            ConnectionError
            | TimeoutError
            | asyncpg.CannotConnectNowError
            | asyncpg.ConnectionDoesNotExistError
            | asyncpg.AdminShutdownError
            | asyncpg.CrashShutdownError
            | asyncpg.InterfaceError,
        ):
            return True
        todo += [cause.__cause__, cause.__context__, getattr(cause, "orig", None)]
    return False
