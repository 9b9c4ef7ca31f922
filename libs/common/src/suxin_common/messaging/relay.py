"""Transactional-outbox relay: outbox rows -> JetStream, at least once, safe with many replicas.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` and a lease, so replicas never publish the
same row at the same time and a crashed replica's rows are taken over once its lease expires.
A row is marked sent only after JetStream's PubAck; a republish after a crash carries the same
``Nats-Msg-Id`` and is dropped by the stream's duplicate window. LISTEN/NOTIFY only wakes the
relay early; polling always runs, so a lost notification delays nothing beyond one interval.
Published rows are kept for ``outbox_retention_s`` so an operator can replay them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import random
import socket
from collections import defaultdict
from datetime import datetime
from typing import Any

import asyncpg
from nats.js import JetStreamContext
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from suxin_common.db import OUTBOX_CHANNEL, asyncpg_dsn, autocommit_driver
from suxin_common.messaging.cloudevents import build_headers
from suxin_common.settings import ServiceSettings
from suxin_common.telemetry import metrics_for

log = logging.getLogger(__name__)
tracer = trace.get_tracer("suxin.outbox")

# Claim and mark are one statement each, sent outside any transaction (db.autocommit_driver):
# PostgreSQL runs each as its own transaction, so a claim is as atomic as before, and a pass
# costs two round trips instead of six (BEGIN and COMMIT around each). asyncpg keeps them
# prepared on each pooled connection.
_CLAIM = """
    UPDATE outbox SET claimed_until = now() + make_interval(secs => $1::float8),
                      claimed_by = $2, attempts = attempts + 1
    WHERE id IN (
        SELECT id FROM outbox
        WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
        ORDER BY created_at, id
        LIMIT $3
        FOR UPDATE SKIP LOCKED)
    RETURNING id, subject, ce_type, ce_source, ce_subject, payload, trace_headers, created_at
"""
_MARK_SENT = (
    "UPDATE outbox SET published_at = now(), claimed_until = NULL, last_error = NULL "
    "WHERE id = ANY($1::uuid[]) AND claimed_by = $2"
)
_MARK_FAILED = (
    "UPDATE outbox SET claimed_until = now() + make_interval(secs => $3::float8), "
    "last_error = $4 WHERE id = ANY($1::uuid[]) AND claimed_by = $2"
)
_CLEANUP = text(
    """
    DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => :keep)
        LIMIT 5000)
    """
)
_REQUEUE = text(
    "UPDATE outbox SET published_at = NULL, claimed_until = NULL, claimed_by = NULL "
    "WHERE published_at IS NOT NULL AND created_at >= :since "
    "AND (CAST(:subject AS text) IS NULL OR subject = :subject)"
)


class OutboxRelay:
    def __init__(
        self,
        engine: AsyncEngine,
        js: JetStreamContext,
        settings: ServiceSettings,
        *,
        worker_id: str | None = None,
    ) -> None:
        self._engine = engine
        self._js = js
        self._settings = settings
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()
        self._metrics = metrics_for(settings.service_name)

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop`` is set. Errors are logged and retried; the loop never dies."""
        listener = asyncio.create_task(self._listen(stop), name="outbox-listen")
        cleaner = asyncio.create_task(self._clean_periodically(stop), name="outbox-clean")
        try:
            while not stop.is_set():
                try:
                    sent = await self.relay_once()
                except Exception:
                    log.exception("outbox relay pass failed; retrying")
                    sent = 0
                if sent >= self._settings.outbox_batch_size:
                    continue  # more is waiting: go again at once
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        _first(self._wake.wait(), stop.wait()),
                        self._settings.outbox_poll_interval_s,
                    )
        finally:
            for task in (listener, cleaner):
                task.cancel()
            await asyncio.gather(listener, cleaner, return_exceptions=True)

    async def relay_once(self) -> int:
        """Claim one batch, publish it, mark what was acknowledged. Returns rows published."""
        async with autocommit_driver(self._engine) as conn:
            rows = await conn.fetch(
                _CLAIM,
                float(self._settings.outbox_lease_s),
                self.worker_id,
                self._settings.outbox_batch_size,
            )
        if not rows:
            return 0
        # Per aggregate key, publish in creation order; different keys go in parallel.
        by_key: dict[str, list[Any]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: (r["created_at"], r["id"])):
            by_key[row["ce_subject"]].append(row)
        results = await asyncio.gather(
            *(self._publish_in_order(group) for group in by_key.values())
        )
        sent = [row_id for ok, _ in results for row_id in ok]
        failed = [(row_id, err) for _, bad in results for row_id, err in bad]
        rate = self._settings.fault_relay_crash_after_puback_rate
        if sent and rate and random.random() < rate:
            # Chaos suite only: die like a killed pod, after PubAck, before marking sent.
            log.error("fault injection: exiting after PubAck of %d rows", len(sent))
            os._exit(137)
        if sent or failed:
            async with autocommit_driver(self._engine) as conn:
                if sent:
                    await conn.execute(_MARK_SENT, sent, self.worker_id)
                if failed:
                    await conn.execute(
                        _MARK_FAILED,
                        [row_id for row_id, _ in failed],
                        self.worker_id,
                        float(min(self._settings.outbox_lease_s, 5.0)),
                        failed[0][1][:2000],
                    )
        self._metrics.published.add(len(sent))
        if failed:
            log.warning(
                "outbox: %d of %d rows not published: %s", len(failed), len(rows), failed[0][1]
            )
        return len(sent)

    async def _publish_in_order(self, rows: list[Any]) -> tuple[list[Any], list[tuple[Any, str]]]:
        ok: list[Any] = []
        for index, row in enumerate(rows):
            try:
                await self._publish(row)
            except Exception as exc:  # later rows of this key wait, to keep the key's order
                return ok, [(r["id"], f"{type(exc).__name__}: {exc}") for r in rows[index:]]
            ok.append(row["id"])
        return ok, []

    async def _publish(self, row: Any) -> None:
        headers = row["trace_headers"] or {}
        if isinstance(headers, str):  # a connection without the dialect's JSON codec
            headers = json.loads(headers)
        parent = propagate.extract(headers)
        with tracer.start_as_current_span(
            f"publish {row['subject']}",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "nats",
                "messaging.destination.name": row["subject"],
                "messaging.message.id": str(row["id"]),
                "suxin.service": self._settings.service_name,
            },
        ):
            carrier: dict[str, str] = {}
            propagate.inject(carrier, context=otel_context.get_current())
            headers = build_headers(
                event_id=str(row["id"]),
                ce_type=row["ce_type"],
                source=row["ce_source"],
                subject=row["ce_subject"],
                time=row["created_at"],
                trace_headers=carrier,
            )
            await self._js.publish(row["subject"], bytes(row["payload"]), headers=headers)

    async def requeue(self, since: datetime, subject: str | None = None) -> int:
        """Replay: publish again every kept row created since ``since`` (optionally one subject).

        Rows inside the stream's duplicate window are dropped by JetStream; consumers' inboxes
        drop the rest, so a replay repairs a lost stream without double effects.
        """
        async with self._engine.begin() as conn:
            result = await conn.execute(_REQUEUE, {"since": since, "subject": subject})
        self._wake.set()
        return result.rowcount

    async def cleanup(self) -> int:
        async with self._engine.begin() as conn:
            result = await conn.execute(_CLEANUP, {"keep": self._settings.outbox_retention_s})
        return result.rowcount

    async def _clean_periodically(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.cleanup()
            except Exception:
                log.exception("outbox cleanup failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._settings.outbox_cleanup_interval_s)

    async def _listen(self, stop: asyncio.Event) -> None:
        """Keep a LISTEN connection open; reconnect quietly. Polling covers any gap."""
        while not stop.is_set():
            conn = None
            try:
                conn = await asyncpg.connect(asyncpg_dsn(self._settings.database_url), timeout=5)
                await conn.add_listener(OUTBOX_CHANNEL, lambda *_: self._wake.set())
                while not stop.is_set() and not conn.is_closed():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), 5.0)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("outbox LISTEN connection lost: %s", exc)
                await asyncio.sleep(1.0)
            finally:
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await conn.close(timeout=2)


async def _first(*aws: Any) -> None:
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for t in tasks:
            t.cancel()
