"""An in-memory unit of work for handler unit tests (no PostgreSQL, no NATS).

A handler takes ``uow: Work[Repositories]`` (``suxin_common.db.Work``); in production it is the
kit's :class:`~suxin_common.db.UnitOfWork`, in a unit test a :class:`FakeUnitOfWork` carrying the
service's fake repositories (kept in the service's ``tests/unit``, as dictionaries)::

    uow = FakeUnitOfWork(FakeRepositories(posts={post.id: post}))
    hire = await handlers.record_hire(uow, cmd, actor, principal, today=...)
    assert uow.committed and [e.type_name for e in uow.published] == ["HireRecorded"]

What it records is what a real transaction would have left behind: events and audit entries
recorded then committed (``published``, ``audit_entries``); leaving the block without commit
drops what was recorded since the last commit, as a rollback does. The repositories are the
test's: they are not rolled back (a handler that refuses raises before it writes, and tests
assert on what was published and audited). A fake repository that writes events or audit
entries in its own statement (a fast path) hands them to :meth:`FakeUnitOfWork.publish` and
:meth:`FakeUnitOfWork.append_audit`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Self, TypeVar

from google.protobuf.message import Message

R = TypeVar("R")


@dataclass(frozen=True)
class RecordedEvent:
    message: Message
    key: str
    event_id: uuid.UUID

    @property
    def type_name(self) -> str:
        """The protobuf message's name, e.g. ``HireRecorded``."""
        return self.message.DESCRIPTOR.name


class FakeUnitOfWork(Generic[R]):
    """The in-memory :class:`suxin_common.db.Work`: ``repos`` as given, ``published`` and
    ``audit_entries`` as committed, ``commits`` and ``rollbacks`` counted."""

    def __init__(self, repos: R, *, source: str = "/suxin/test") -> None:
        self._repos = repos
        self.source = source
        self.published: list[RecordedEvent] = []
        self.audit_entries: list[dict[str, Any]] = []
        self.commits = 0
        self.rollbacks = 0
        self._pending_events: list[RecordedEvent] = []
        self._pending_audit: list[dict[str, Any]] = []

    @property
    def repos(self) -> R:
        return self._repos

    @property
    def committed(self) -> bool:
        return self.commits > 0

    async def __aenter__(self) -> Self:
        self._pending_events = []
        self._pending_audit = []
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.rollback()

    def publish(self, message: Message, *, key: str) -> uuid.UUID:
        event = RecordedEvent(message, key, uuid.uuid4())
        self._pending_events.append(event)
        return event.event_id

    async def append_audit(self, entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        sealed = [
            dict(e, id=len(self.audit_entries) + len(self._pending_audit) + i + 1)
            for i, e in enumerate(entries)
        ]
        self._pending_audit.extend(sealed)
        return sealed

    async def commit(self) -> None:
        self.published.extend(self._pending_events)
        self.audit_entries.extend(self._pending_audit)
        self._pending_events = []
        self._pending_audit = []
        self.commits += 1

    async def rollback(self) -> None:
        if self._pending_events or self._pending_audit:
            self.rollbacks += 1
        self._pending_events = []
        self._pending_audit = []

    def events_named(self, name: str) -> list[Message]:
        """The committed events of one protobuf type, e.g. ``events_named("HireRecorded")``."""
        return [e.message for e in self.published if e.type_name == name]
