"""Platform and domain metrics, observed from outside the relay and the consumers.

A background task of each service samples, every ``interval`` seconds:

- the outbox: age of the oldest unpublished row (``suxin.outbox.lag``, the alert that the
  relay is stuck) and how many rows wait (``suxin.outbox.pending``);
- dead letters: rows in ``dead_letters`` per consumer (``suxin.dead_letters``);
- JetStream, per durable consumer of the service: messages not yet delivered
  (``suxin.consumer.lag`` = ``num_pending``), delivered but not acked
  (``suxin.consumer.ack_pending``) and being redelivered (``suxin.consumer.redelivered``);
- domain counters, from the rows this process's relay published: every event by type
  (``suxin.events.published``) and the numbers the province watches: hires recorded, orders
  covered, subsidy cases opened.

The gauges are read from the database and the stream, so every replica reports the same
value: aggregate them with ``max``, not ``sum``. The counters count only what the replica's
own relay published, so they add up across replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation
from sqlalchemy import text

if TYPE_CHECKING:
    from suxin_common.service import Runtime

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 15.0

_OUTBOX = text(
    "SELECT count(*) AS pending, "
    "COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) AS lag "
    "FROM outbox WHERE published_at IS NULL"
)
_DEAD_LETTERS = text("SELECT consumer, count(*) FROM dead_letters GROUP BY consumer")
_PUBLISHED = text(
    "SELECT subject, count(*) AS n, max(published_at) AS last FROM outbox "
    "WHERE claimed_by = :worker AND published_at > :since GROUP BY subject"
)
_PAYLOADS = text(
    "SELECT payload FROM outbox WHERE claimed_by = :worker AND subject = :subject "
    "AND published_at > :since AND published_at <= :until"
)


def _orders_in(payload: bytes) -> int:
    from suxin.insurance.v1.events_pb2 import OrdersCovered

    return sum(line.orders for line in OrdersCovered.FromString(payload).lines)


@dataclass(frozen=True)
class DomainCounter:
    """A counter of one event type; ``amount`` reads how much one event counts (default 1)."""

    name: str
    description: str
    unit: str
    amount: Callable[[bytes], int] | None = None


DOMAIN_COUNTERS: dict[str, DomainCounter] = {
    "suxin.hiring.hire_recorded.v1": DomainCounter(
        "suxin.hires.recorded", "hires recorded (the platform's central event)", "{hire}"
    ),
    "suxin.insurance.orders_covered.v1": DomainCounter(
        "suxin.orders.covered",
        "platform-work orders covered by injury protection",
        "{order}",
        _orders_in,
    ),  # fmt: skip
    "suxin.subsidy.subsidy_case_opened.v1": DomainCounter(
        "suxin.subsidy_cases.opened", "employment-subsidy cases opened", "{case}"
    ),
}


@dataclass
class Sample:
    """The latest observations of one service, read by the gauges' callbacks."""

    outbox_pending: int | None = None
    outbox_lag_s: float | None = None
    dead_letters: dict[str, int] = field(default_factory=dict)
    # (stream, consumer) -> value
    consumer_lag: dict[tuple[str, str], int] = field(default_factory=dict)
    ack_pending: dict[tuple[str, str], int] = field(default_factory=dict)
    redelivered: dict[tuple[str, str], int] = field(default_factory=dict)


class PlatformMetrics:
    """The instruments of one service; :meth:`sample` refreshes what the gauges report."""

    def __init__(self, service: str, meter_provider: metrics.MeterProvider | None = None) -> None:
        self.service = service
        self.current = Sample()
        meter = metrics.get_meter(
            "suxin.platform", meter_provider=meter_provider, attributes={"suxin.service": service}
        )
        base = {"suxin.service": service}

        def gauge(name: str, unit: str, description: str, read) -> None:  # noqa: ANN001
            def callback(options: CallbackOptions) -> Iterable[Observation]:
                return read(self.current, base)

            meter.create_observable_gauge(
                name, callbacks=[callback], unit=unit, description=description
            )

        gauge(
            "suxin.outbox.lag",
            "s",
            "age of the oldest unpublished outbox row (0: nothing waits)",
            lambda s, a: [] if s.outbox_lag_s is None else [Observation(s.outbox_lag_s, a)],
        )
        gauge(
            "suxin.outbox.pending",
            "{event}",
            "outbox rows not yet published",
            lambda s, a: [] if s.outbox_pending is None else [Observation(s.outbox_pending, a)],
        )
        gauge(
            "suxin.dead_letters",
            "{message}",
            "messages in the dead_letters table, per consumer",
            lambda s, a: [
                Observation(n, a | {"messaging.consumer.group.name": c})
                for c, n in s.dead_letters.items()
            ],
        )
        for name, attr, description in (
            ("suxin.consumer.lag", "consumer_lag", "messages in the stream not yet delivered"),
            ("suxin.consumer.ack_pending", "ack_pending", "delivered, not yet acknowledged"),
            ("suxin.consumer.redelivered", "redelivered", "messages being redelivered"),
        ):
            gauge(
                name,
                "{message}",
                description,
                lambda s, a, attr=attr: [
                    Observation(
                        n,
                        a
                        | {
                            "messaging.destination.name": stream,
                            "messaging.consumer.group.name": c,
                        },
                    )
                    for (stream, c), n in getattr(s, attr).items()
                ],
            )
        self.published = meter.create_counter(
            "suxin.events.published", unit="{event}", description="events published, by type"
        )
        self.domain = {
            subject: meter.create_counter(c.name, unit=c.unit, description=c.description)
            for subject, c in DOMAIN_COUNTERS.items()
        }
        # Watermark: the relay marks a batch sent in one transaction, so rows of a batch share
        # one published_at and later batches have later ones.
        self._since = datetime(1970, 1, 1, tzinfo=UTC)

    async def sample(self, runtime: Runtime) -> None:
        """One observation of the database and the stream; parts that fail are skipped."""
        fresh = Sample()
        try:
            async with runtime.engine.connect() as conn:
                row = (await conn.execute(_OUTBOX)).one()
                fresh.outbox_pending = int(row.pending)
                fresh.outbox_lag_s = max(0.0, float(row.lag))
                fresh.dead_letters = {
                    c: int(n) for c, n in (await conn.execute(_DEAD_LETTERS)).all()
                }
                if runtime.relay is not None:
                    await self._count_published(conn, runtime.relay.worker_id)
        except Exception as exc:
            log.debug("metrics: database sample failed: %s", exc)
        if runtime.js is not None and runtime.consumers is not None:
            name = runtime.consumers.consumer
            for stream in runtime.consumers.streams:
                try:
                    info = await runtime.js.consumer_info(stream.name, name)
                except Exception as exc:  # not bound yet, or NATS away: report nothing
                    log.debug("metrics: consumer info %s/%s: %s", stream.name, name, exc)
                    continue
                key = (stream.name, name)
                fresh.consumer_lag[key] = int(info.num_pending or 0)
                fresh.ack_pending[key] = int(info.num_ack_pending or 0)
                fresh.redelivered[key] = int(info.num_redelivered or 0)
        self.current = fresh

    async def _count_published(self, conn, worker: str) -> None:  # noqa: ANN001
        since = self._since
        rows = (await conn.execute(_PUBLISHED, {"worker": worker, "since": since})).all()
        if not rows:
            return
        until = max(r.last for r in rows)
        for subject, n, _ in rows:
            attrs = {"suxin.service": self.service, "event_type": subject}
            self.published.add(int(n), attrs)
            counter = DOMAIN_COUNTERS.get(subject)
            if counter is None:
                continue
            amount = int(n)
            if counter.amount is not None:
                payloads = await conn.execute(
                    _PAYLOADS,
                    {"worker": worker, "subject": subject, "since": since, "until": until},
                )
                amount = sum(counter.amount(bytes(p)) for (p,) in payloads.all())
            self.domain[subject].add(amount, {"suxin.service": self.service})
        self._since = until


def _consumer_attrs(stream: str, consumer: str) -> dict[str, str]:
    return {"messaging.destination.name": stream, "messaging.consumer.group.name": consumer}


_registry: dict[str, PlatformMetrics] = {}


def platform_metrics(service: str) -> PlatformMetrics:
    """One set of instruments per service name and process (instruments are registered once)."""
    if service not in _registry:
        _registry[service] = PlatformMetrics(service)
    return _registry[service]


def sample_interval(settings: object) -> float:
    configured = getattr(settings, "metrics_sample_interval_s", None)
    if configured is None:
        configured = os.environ.get("METRICS_SAMPLE_INTERVAL_S", DEFAULT_INTERVAL_S)
    value = float(configured)
    return value if math.isfinite(value) and value > 0 else DEFAULT_INTERVAL_S


async def run_sampler(runtime: Runtime, stop: asyncio.Event) -> None:
    """Sample every interval until ``stop``; never dies."""
    pm = platform_metrics(runtime.settings.service_name)
    interval = sample_interval(runtime.settings)
    while not stop.is_set():
        try:
            await pm.sample(runtime)
        except Exception:
            log.exception("metrics sampling failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
