"""Declarative JetStream consumer runner.

A service lists its subscriptions (``consumers.py``): the event type, its translation (in the
service's ``contracts.py``: proto message -> domain command or facts) and the handler, which
receives the domain object only. The runner keeps one durable pull consumer per (service,
stream) and, for every message:

1. parses the CloudEvents headers, decodes the protobuf payload and translates it, once per
   translation however many subscriptions share it — if any of that fails (``EnvelopeError``,
   ``DecodeError``, ``PoisonMessage`` from a translation) the message is poison: a dead-letter
   row is written and the message is ``term()``-ed, the same way for every service;
2. opens a unit of work, inserts ``(consumer, event id)`` into the inbox — a conflict means
   the event was already handled, so it is acked and skipped;
3. runs the handlers and commits, and only then acks (STYLE.md: never ack before commit);
   a fetched batch is committed in one transaction (one inbox row per message), falling
   back to one message at a time when a handler fails — so handlers keep every effect inside
   the unit of work and never call commit() or rollback() themselves;
4. on an error, ``nak(delay)`` with backoff; after ``consumer_max_deliver`` deliveries the
   message is dead-lettered and terminated, so it never blocks the messages behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import os
import random
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import nats.errors
import nats.js.errors
import sqlalchemy as sa
from google.protobuf.message import DecodeError, Message
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from suxin_common.db import UnitOfWork, database_unreachable, driver_connection
from suxin_common.messaging.catalog import EventType, StreamSpec
from suxin_common.messaging.cloudevents import EnvelopeError, EventMeta, parse_headers
from suxin_common.settings import ServiceSettings
from suxin_common.tables import dead_letters
from suxin_common.telemetry import metrics_for

log = logging.getLogger(__name__)

# The inbox rows of a batch (or of one message), one prepared statement whatever the batch's
# size: the events not handled before come back. A duplicate within the batch is inserted once.
_CLAIM_INBOX = (
    "INSERT INTO inbox (consumer, event_id) SELECT $1, e FROM unnest($2::text[]) AS e "
    "ON CONFLICT DO NOTHING RETURNING event_id"
)
tracer = trace.get_tracer("suxin.consumer")

T = TypeVar("T")
Handler = Callable[[UnitOfWork, Any], Awaitable[None]]


class PoisonMessage(Exception):
    """The event can never be handled, so retrying is pointless: raised by a translation when
    a required field is missing or malformed (or, rarely, by a handler for an event the domain
    can never act on). The runner dead-letters the message at once."""


@dataclass(frozen=True)
class Subscription(Generic[T]):
    """The declarative unit a service's consumers.py lists: ``event`` is translated by
    ``translate`` (the proto message, or the message and its envelope when the translation
    takes two arguments) into the domain object ``handler(uow, obj)`` receives."""

    event: EventType
    translate: Callable[..., T]
    handler: Callable[[UnitOfWork, T], Awaitable[None]]
    _with_envelope: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_with_envelope", _positional_arity(self.translate) >= 2)

    def translation(self, message: Message, meta: EventMeta) -> T:
        """The domain object of ``message``; PoisonMessage when it cannot have one."""
        if self._with_envelope:
            return self.translate(message, meta)
        return self.translate(message)

    async def deliver(self, uow: UnitOfWork, message: Message, meta: EventMeta) -> None:
        """Translate and handle one message in ``uow`` (the runner's path, for tests/tools)."""
        await self.handler(uow, self.translation(message, meta))


def _positional_arity(fn: Callable[..., Any]) -> int:
    """How many positional arguments ``fn`` requires (bound and partial arguments excluded)."""
    required = [
        p
        for p in inspect.signature(fn).parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
    ]
    return len(required)


# What one message asks of its handlers: (handler, domain object) in subscription order.
Work = list[tuple[Handler, Any]]


class ConsumerRunner:
    """Runs every subscription of one service; one pull loop per stream."""

    def __init__(
        self,
        js: JetStreamContext,
        sessions: async_sessionmaker[AsyncSession],
        settings: ServiceSettings,
        subscriptions: Sequence[Subscription],
        *,
        source: str,
    ) -> None:
        self._js = js
        self._sessions = sessions
        self._settings = settings
        self._source = source
        self.consumer = settings.service_name
        self._subscriptions: dict[str, list[Subscription]] = defaultdict(list)
        self._streams: dict[str, StreamSpec] = {}
        self._subjects: dict[str, list[str]] = defaultdict(list)
        for sub in subscriptions:
            self._subscriptions[sub.event.subject].append(sub)
            self._streams[sub.event.stream.name] = sub.event.stream
            if sub.event.subject not in self._subjects[sub.event.stream.name]:
                self._subjects[sub.event.stream.name].append(sub.event.subject)
        self._types = {s.event.subject: s.event for s in subscriptions}
        self._metrics = metrics_for(settings.service_name)
        self.ready = asyncio.Event()
        self._bound: set[str] = set()

    @property
    def streams(self) -> list[StreamSpec]:
        return list(self._streams.values())

    def consumer_config(self, stream: str) -> ConsumerConfig:
        s = self._settings
        return ConsumerConfig(
            name=self.consumer,
            durable_name=self.consumer,
            filter_subjects=sorted(self._subjects[stream]),
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            ack_wait=s.consumer_ack_wait_s,
            # No server limit: at its max_deliver the server silently stops delivering a
            # message, which is then lost (the chaos suite saw it when PostgreSQL was down:
            # the deliveries ran out while the dead-letter row could not be written either).
            # The runner dead-letters at consumer_max_deliver itself, with a row and term().
            max_deliver=-1,
            max_ack_pending=max(1000, s.consumer_batch_size * 4),
        )

    async def run(self, stop: asyncio.Event) -> None:
        loops = [
            asyncio.create_task(self._run_stream(name, stop), name=f"consume-{name}")
            for name in self._streams
        ]
        if not loops:
            self.ready.set()
            return
        loops.append(asyncio.create_task(self._prune_loop(stop), name="prune-inbox"))
        try:
            await asyncio.gather(*loops)
        finally:
            for t in loops:
                t.cancel()
            await asyncio.gather(*loops, return_exceptions=True)

    async def _bind(self, stream: str) -> JetStreamContext.PullSubscription:
        await self._js.add_consumer(stream, self.consumer_config(stream))
        return await self._js.pull_subscribe_bind(durable=self.consumer, stream=stream)

    async def _run_stream(self, stream: str, stop: asyncio.Event) -> None:
        psub = None
        while not stop.is_set():
            try:
                if psub is None:
                    psub = await self._bind(stream)
                    # Shared by every stream's loop: ready once each stream was bound once (a
                    # set per loop would never hold them all with two streams or more).
                    self._bound.add(stream)
                    if self._bound == set(self._streams):
                        self.ready.set()
                try:
                    msgs = await psub.fetch(
                        self._settings.consumer_batch_size,
                        timeout=self._settings.consumer_fetch_timeout_s,
                        heartbeat=self._heartbeat(psub),
                    )
                except (TimeoutError, nats.errors.TimeoutError):
                    continue
                except nats.js.errors.APIError as exc:
                    if exc.code != 400:
                        raise
                    # The server refused one pull request (e.g. a heartbeat too long for the
                    # time left). The subscription and the messages it has buffered stay:
                    # dropping them would leave them unacked until ack_wait runs out.
                    log.debug("pull request refused (%s); asking again", exc.description)
                    continue
                msgs = await self._fill(psub, msgs)
                if stop.is_set():
                    # Draining: hand the batch back at once so another replica takes it.
                    for msg in msgs:
                        with contextlib.suppress(Exception):
                            await msg.nak()
                    break
                if len(msgs) == 1 or not self._settings.consumer_batch_commit:
                    for msg in msgs:
                        await self.handle(stream, msg)
                else:
                    await self.handle_batch(stream, msgs)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # connection loss, consumer deleted, ...: rebind and go on
                log.warning("consumer %s on %s: %s; retrying", self.consumer, stream, exc)
                if psub is not None:
                    with contextlib.suppress(Exception):
                        await psub.unsubscribe()
                psub = None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1.0)
        if psub is not None:
            with contextlib.suppress(Exception):
                await psub.unsubscribe()

    async def _fill(self, psub: JetStreamContext.PullSubscription, msgs: list[Msg]) -> list[Msg]:
        """A short batch topped up with what arrives within ``consumer_batch_linger_s``: a fetch
        returns on the first message, so below capacity batches held one event and paid the
        per-batch work (transaction, inbox, outbox, COMMIT) per event. A full batch never waits."""
        linger, want = self._settings.consumer_batch_linger_s, self._settings.consumer_batch_size
        if linger <= 0 or len(msgs) >= want or not self._settings.consumer_batch_commit:
            return msgs
        try:
            more = await psub.fetch(want - len(msgs), timeout=linger)
        except (TimeoutError, nats.errors.TimeoutError, nats.js.errors.APIError):
            return msgs  # nothing more in time (or a refused pull): go with what there is
        return [*msgs, *more]

    def _heartbeat(self, psub: JetStreamContext.PullSubscription) -> float | None:
        """Idle heartbeat for a lingering pull (a dead connection shows within a second); None
        when messages are buffered (nats-py's no-wait request then has no expiry: refused)."""
        if psub.pending_msgs:
            return None
        return min(1.0, self._settings.consumer_fetch_timeout_s / 4)

    def _decode(self, subject: str, headers, data: bytes) -> tuple[Message, EventMeta]:  # noqa: ANN001
        """The event and its envelope; EnvelopeError or DecodeError when it is poison."""
        meta = parse_headers(headers)
        event_type = self._types.get(subject)
        if event_type is None:
            raise EnvelopeError(f"no handler for subject {subject}")
        return event_type.message.FromString(data), meta

    def _translate(self, subject: str, event: Message, meta: EventMeta) -> Work:
        """Each subscription's handler with its domain object; a translation shared by several
        subscriptions runs once. PoisonMessage when the event cannot be translated."""
        done: dict[Any, Any] = {}
        work: Work = []
        for sub in self._subscriptions[subject]:
            key = sub.translate
            if key not in done:
                done[key] = sub.translation(event, meta)
            work.append((sub.handler, done[key]))
        return work

    async def handle(
        self, stream: str, msg: Msg, translated: tuple[Work, EventMeta] | None = None
    ) -> None:
        """Process one message to a final ack / nak / term. Never raises. ``translated`` is
        what a rolled-back batch already made of the message (it is not translated again)."""
        deliveries = msg.metadata.num_delivered if msg.metadata else 1
        work: Work | None = None
        if translated is not None:
            work, meta = translated
        else:
            try:
                event, meta = self._decode(msg.subject, msg.headers, msg.data)
            except (EnvelopeError, DecodeError) as exc:
                await self._dead_letter(stream, msg, f"poison: {exc}", deliveries)
                return
        parent = propagate.extract(meta.headers)
        started = time.perf_counter()
        with tracer.start_as_current_span(
            f"consume {msg.subject}",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": msg.subject,
                "messaging.message.id": meta.id,
                "messaging.consumer.group.name": self.consumer,
                "suxin.service": self._settings.service_name,
                "suxin.deliveries": deliveries,
            },
        ) as span:
            try:
                if work is None:
                    work = self._translate(msg.subject, event, meta)
                async with self._working([msg]):
                    duplicate = await self._process(work, meta)
            except PoisonMessage as exc:
                span.set_status(Status(StatusCode.ERROR, str(exc)))
                await self._dead_letter(stream, msg, f"poison: {exc}", deliveries, meta)
                return
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                if deliveries >= self._settings.consumer_max_deliver and not database_unreachable(
                    exc
                ):
                    await self._dead_letter(
                        stream,
                        msg,
                        f"gave up after {deliveries} deliveries: {exc!r}",
                        deliveries,
                        meta,
                    )
                else:
                    delay = self._backoff(deliveries)
                    log.warning("retrying %s (%s) in %.1fs: %r", meta.id, msg.subject, delay, exc)
                    self._metrics.retried.add(1)
                    await _quietly(msg.nak(delay=delay))
                return
            span.set_attribute("suxin.duplicate", duplicate)
        self._metrics.handle_seconds.record(time.perf_counter() - started)
        if duplicate:
            self._metrics.duplicates.add(1)
        else:
            self._metrics.consumed.add(1)
        if self._settings.fault_redeliver_after_commit and deliveries == 1:
            # Test-only fault: behave like a crash between commit and ack.
            await _quietly(msg.nak())
            return
        self._maybe_crash_after_commit()
        await _quietly(msg.ack())

    async def handle_batch(self, stream: str, msgs: Sequence[Msg]) -> None:
        """Process a fetched batch in ONE transaction (one inbox row per message), then ack.

        Poison messages are dead-lettered on their own first. If any handler fails, the
        transaction is rolled back and the batch falls back to one message at a time, so only
        the failing message is retried or dead-lettered. Never raises.
        """
        decoded: list[tuple[Msg, Work, EventMeta, int]] = []
        for msg in msgs:
            deliveries = msg.metadata.num_delivered if msg.metadata else 1
            try:
                event, meta = self._decode(msg.subject, msg.headers, msg.data)
            except (EnvelopeError, DecodeError) as exc:
                await self._dead_letter(stream, msg, f"poison: {exc}", deliveries)
                continue
            try:
                work = self._translate(msg.subject, event, meta)
            except Exception:
                await self.handle(stream, msg)  # dead-lettered (poison) or retried, on its own
                continue
            decoded.append((msg, work, meta, deliveries))
        if not decoded:
            return
        started = time.perf_counter()
        spans = []
        try:
            async with (
                self._working([m for m, *_ in decoded]),
                UnitOfWork(self._sessions, source=self._source) as uow,
            ):
                claimed = await (await driver_connection(uow)).fetch(
                    _CLAIM_INBOX, self.consumer, [m.id for _, _, m, _ in decoded]
                )
                fresh = {row[0] for row in claimed}
                for msg, work, meta, deliveries in decoded:
                    if meta.id not in fresh:
                        continue
                    fresh.discard(meta.id)  # the same event twice in one batch runs once
                    span = tracer.start_span(
                        f"consume {msg.subject}",
                        context=propagate.extract(meta.headers),
                        kind=SpanKind.CONSUMER,
                        attributes={
                            "messaging.system": "nats",
                            "messaging.destination.name": msg.subject,
                            "messaging.message.id": meta.id,
                            "messaging.consumer.group.name": self.consumer,
                            "messaging.batch.message_count": len(decoded),
                            "suxin.service": self._settings.service_name,
                            "suxin.deliveries": deliveries,
                        },
                    )
                    spans.append(span)
                    with trace.use_span(span, end_on_exit=False):
                        for handler, obj in work:
                            await handler(uow, obj)
                await self._fault_delay()
                await uow.commit()
        except Exception as exc:
            for span in spans:
                span.set_status(Status(StatusCode.ERROR, "batch rolled back"))
                span.end()
            log.info("batch of %d on %s rolled back (%r); one at a time", len(decoded), stream, exc)
            for msg, work, meta, _ in decoded:
                await self.handle(stream, msg, (work, meta))
            return
        handled = len(spans)
        for span in spans:
            span.end()
        elapsed = time.perf_counter() - started
        for _ in range(handled):
            self._metrics.handle_seconds.record(elapsed / max(handled, 1))
        self._metrics.consumed.add(handled)
        if len(decoded) > handled:
            self._metrics.duplicates.add(len(decoded) - handled)
        for msg, _, _, deliveries in decoded:
            if self._settings.fault_redeliver_after_commit and deliveries == 1:
                await _quietly(msg.nak())  # test-only fault: crash between commit and ack
                continue
            self._maybe_crash_after_commit()
            await _quietly(msg.ack())

    async def _process(self, work: Work, meta: EventMeta) -> bool:
        """Run the handlers in one transaction with the inbox row. True if already handled."""
        async with UnitOfWork(self._sessions, source=self._source) as uow:
            claimed = await (await driver_connection(uow)).fetch(
                _CLAIM_INBOX, self.consumer, [meta.id]
            )
            if not claimed:
                return True
            for handler, obj in work:
                await handler(uow, obj)
            await self._fault_delay()
            await uow.commit()
        return False

    @contextlib.asynccontextmanager
    async def _working(self, msgs: Sequence[Msg]) -> AsyncIterator[None]:
        """Tell the server we are still working on ``msgs`` (``+WPI``) every third of ack_wait.

        Without it a handler slower than ack_wait gets its message redelivered while it still
        runs: wasted work, and a message that can never finish within ack_wait would reach
        max_deliver and be dropped by the server although each attempt would have succeeded.
        """
        every = max(self._settings.consumer_ack_wait_s / 3, 0.1)

        async def beat() -> None:
            while True:
                await asyncio.sleep(every)
                for msg in msgs:
                    with contextlib.suppress(Exception):
                        await msg.in_progress()

        task = asyncio.create_task(beat())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _fault_delay(self) -> None:
        if self._settings.fault_handler_delay_s:  # chaos suite only: a slow handler
            await asyncio.sleep(self._settings.fault_handler_delay_s)

    async def replay_dead_letter(self, letter_id: int) -> str:
        """Run the handlers again for a dead-lettered message (after a fix was deployed).

        Returns "replayed", or "duplicate" when the event had been handled meanwhile; the
        dead-letter row is deleted either way. Raises LookupError for an unknown id,
        PoisonMessage when the message still cannot be decoded or translated, and
        the handler's exception when it fails again — then the row stays, with the new error.
        """
        async with self._sessions() as session:
            row = (
                await session.execute(
                    sa.select(dead_letters).where(
                        dead_letters.c.id == letter_id, dead_letters.c.consumer == self.consumer
                    )
                )
            ).first()
        if row is None:
            raise LookupError(letter_id)
        try:
            event, meta = self._decode(row.subject, row.headers, row.payload)
        except (EnvelopeError, DecodeError) as exc:
            raise PoisonMessage(f"still undecodable: {exc}") from exc
        try:
            duplicate = await self._process(self._translate(row.subject, event, meta), meta)
        except Exception as exc:
            async with self._sessions() as session:
                await session.execute(
                    sa.update(dead_letters)
                    .where(dead_letters.c.id == letter_id)
                    .values(error=f"replay failed: {exc!r}"[:4000], deliveries=row.deliveries + 1)
                )
                await session.commit()
            raise
        async with self._sessions() as session:
            await session.execute(sa.delete(dead_letters).where(dead_letters.c.id == letter_id))
            await session.commit()
        log.info("replayed dead letter %s (%s, event %s)", letter_id, row.subject, meta.id)
        return "duplicate" if duplicate else "replayed"

    async def prune_inbox(self, older_than_s: float, *, batch: int = 10_000) -> int:
        """Delete this consumer's inbox rows older than ``older_than_s``; returns how many.

        Safe once no redelivery or relay resend of those events can still arrive: the
        retention must exceed the stream's duplicate window and the longest outage the relay
        may resend across (days, not minutes).
        """
        removed = 0
        while True:
            async with self._sessions() as session:
                result = await session.execute(
                    sa.text(
                        "DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox"
                        " WHERE consumer = :c AND processed_at < now() - make_interval(secs => :s)"
                        " LIMIT :n)"
                    ),
                    {"c": self.consumer, "s": older_than_s, "n": batch},
                )
                await session.commit()
            removed += result.rowcount or 0
            if (result.rowcount or 0) < batch:
                return removed

    async def _prune_loop(self, stop: asyncio.Event) -> None:
        every = self._settings.inbox_prune_interval_s
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), every)
                return
            try:
                n = await self.prune_inbox(self._settings.inbox_retention_s)
                if n:
                    log.info("pruned %d inbox rows of %s", n, self.consumer)
            except Exception as exc:  # the next round tries again
                log.warning("inbox pruning failed: %s", exc)

    def _maybe_crash_after_commit(self) -> None:
        """Chaos suite only: die like a killed pod, after the commit and before the ack."""
        rate = self._settings.fault_crash_after_commit_rate
        if rate and random.random() < rate:
            log.error("fault injection: exiting after commit, before ack")
            os._exit(137)

    def _backoff(self, deliveries: int) -> float:
        steps = self._settings.consumer_backoff_s or [1.0]
        return steps[min(deliveries - 1, len(steps) - 1)]

    async def _dead_letter(
        self, stream: str, msg: Msg, error: str, deliveries: int, meta: EventMeta | None = None
    ) -> None:
        headers = dict(msg.headers or {})
        seq = msg.metadata.sequence.stream if msg.metadata else 0
        try:
            async with self._sessions() as session:
                await session.execute(
                    pg_insert(dead_letters)
                    .values(
                        consumer=self.consumer,
                        stream=stream,
                        stream_seq=seq,
                        subject=msg.subject,
                        event_id=meta.id if meta else headers.get("ce-id"),
                        ce_type=meta.type if meta else headers.get("ce-type"),
                        headers=headers,
                        payload=msg.data or b"",
                        error=error[:4000],
                        deliveries=deliveries,
                    )
                    .on_conflict_do_nothing(constraint="uq_dead_letters_message")
                )
                await session.commit()
        except Exception:
            # Without the dead-letter row we must not drop the message: let it come back.
            log.exception("could not dead-letter %s/%s; will retry", stream, seq)
            await _quietly(msg.nak(delay=self._backoff(deliveries)))
            return
        log.error("dead-lettered %s seq %s (%s): %s", stream, seq, msg.subject, error)
        self._metrics.dead_lettered.add(1)
        await _quietly(msg.term())


async def _quietly(aw: Awaitable[None]) -> None:
    """Ack/nak/term failures only mean a redelivery, which the inbox absorbs."""
    try:
        await aw
    except Exception as exc:
        log.warning("ack/nak failed (the message will be redelivered): %s", exc)
