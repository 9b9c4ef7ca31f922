"""Declarative JetStream consumer runner.

A service lists its subscriptions (``consumers.py``); the runner keeps one durable pull
consumer per (service, stream) and, for every message:

1. parses the CloudEvents headers and decodes the protobuf payload — if either fails the
   message is poison: a dead-letter row is written and the message is ``term()``-ed;
2. opens a unit of work, inserts ``(consumer, event id)`` into the inbox — a conflict means
   the event was already handled, so it is acked and skipped;
3. runs the handlers and commits, and only then acks (STYLE.md: never ack before commit);
4. on an error, ``nak(delay)`` with backoff; after ``consumer_max_deliver`` deliveries the
   message is dead-lettered and terminated, so it never blocks the messages behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import nats.errors
import nats.js.errors
from google.protobuf.message import DecodeError, Message
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from suxin_common.db import UnitOfWork
from suxin_common.messaging.catalog import EventType, StreamSpec
from suxin_common.messaging.cloudevents import EnvelopeError, EventMeta, parse_headers
from suxin_common.settings import ServiceSettings
from suxin_common.tables import dead_letters, inbox
from suxin_common.telemetry import metrics_for

log = logging.getLogger(__name__)
tracer = trace.get_tracer("suxin.consumer")

Handler = Callable[[UnitOfWork, Message, EventMeta], Awaitable[None]]


class PoisonMessage(Exception):
    """Raise from a handler when retrying can never succeed (e.g. an impossible event)."""


@dataclass(frozen=True)
class Subscription:
    """Handle ``event`` with ``handler``: the declarative unit a service's consumers.py lists."""

    event: EventType
    handler: Handler


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
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        self._streams: dict[str, StreamSpec] = {}
        self._subjects: dict[str, list[str]] = defaultdict(list)
        for sub in subscriptions:
            self._handlers[sub.event.subject].append(sub.handler)
            self._streams[sub.event.stream.name] = sub.event.stream
            if sub.event.subject not in self._subjects[sub.event.stream.name]:
                self._subjects[sub.event.stream.name].append(sub.event.subject)
        self._types = {s.event.subject: s.event for s in subscriptions}
        self._metrics = metrics_for(settings.service_name)
        self.ready = asyncio.Event()

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
            # The runner dead-letters at consumer_max_deliver; the server's limit is a backstop
            # for a process that dies while handling a message again and again.
            max_deliver=s.consumer_max_deliver + 2,
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
        bound: set[str] = set()
        while not stop.is_set():
            try:
                if psub is None:
                    psub = await self._bind(stream)
                    bound.add(stream)
                    if bound == set(self._streams):
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
                for index, msg in enumerate(msgs):
                    if stop.is_set():
                        # Draining: hand the rest back at once so another replica takes them.
                        for rest in msgs[index:]:
                            with contextlib.suppress(Exception):
                                await rest.nak()
                        break
                    await self.handle(stream, msg)
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

    def _heartbeat(self, psub: JetStreamContext.PullSubscription) -> float | None:
        """Idle heartbeat for a lingering pull, so a dead connection shows within a second.

        None when messages are already buffered: then nats-py sends a no-wait request without
        an expiry, and the server refuses a heartbeat on such a request.
        """
        if psub.pending_msgs:
            return None
        return min(1.0, self._settings.consumer_fetch_timeout_s / 4)

    async def handle(self, stream: str, msg: Msg) -> None:
        """Process one message to a final ack / nak / term. Never raises."""
        deliveries = msg.metadata.num_delivered if msg.metadata else 1
        try:
            meta = parse_headers(msg.headers)
            event_type = self._types.get(msg.subject)
            if event_type is None:
                raise EnvelopeError(f"no handler for subject {msg.subject}")
            event = event_type.message.FromString(msg.data)
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
                duplicate = await self._process(msg.subject, event, meta)
            except PoisonMessage as exc:
                span.set_status(Status(StatusCode.ERROR, str(exc)))
                await self._dead_letter(stream, msg, f"poison: {exc}", deliveries, meta)
                return
            except Exception as exc:
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                if deliveries >= self._settings.consumer_max_deliver:
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
        await _quietly(msg.ack())

    async def _process(self, subject: str, event: Message, meta: EventMeta) -> bool:
        """Run the handlers in one transaction with the inbox row. True if already handled."""
        async with UnitOfWork(self._sessions, source=self._source) as uow:
            claimed = await uow.session.execute(
                pg_insert(inbox)
                .values(consumer=self.consumer, event_id=meta.id)
                .on_conflict_do_nothing()
                .returning(inbox.c.event_id)
            )
            if claimed.first() is None:
                return True
            for handler in self._handlers[subject]:
                await handler(uow, event, meta)
            await uow.commit()
        return False

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
