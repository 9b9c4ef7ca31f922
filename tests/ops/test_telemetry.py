"""A service started with OTEL_EXPORTER_OTLP_ENDPOINT sends its spans and metrics there: HTTP
request spans and metrics, the relay's publish spans, outbox and dead-letter gauges, domain
counters; its logs are JSON. The consumer gauges read JetStream's consumer info."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import uuid
from types import SimpleNamespace

import httpx
import nats
import pytest
from nats.js.api import ConsumerConfig, StreamConfig
from opentelemetry.trace import SpanKind
from ops.otlp_receiver import OtlpReceiver
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.metrics import PlatformMetrics
from suxin_common.migrate import upgrade_async
from suxin_common.tables import dead_letters, outbox
from suxin_devkit.devstack._proc import free_port, spawn, stop_process, tail
from suxin_devkit.testing import hire_event

pytestmark = pytest.mark.integration

SERVER = SpanKind.SERVER.value + 1  # OTLP's enum counts from UNSPECIFIED = 0
PRODUCER = SpanKind.PRODUCER.value + 1
HIRE_SUBJECT = "suxin.hiring.hire_recorded.v1"


async def _seed(url: str) -> uuid.UUID:
    """One hire waiting in the outbox, one dead letter."""
    engine = create_async_engine(url)
    event_id = uuid.uuid4()
    try:
        async with engine.begin() as conn:
            await conn.execute(
                insert(outbox).values(
                    id=event_id,
                    subject=HIRE_SUBJECT,
                    ce_type=HIRE_SUBJECT,
                    ce_source="/suxin/job-matching",
                    ce_subject="hire-1",
                    payload=hire_event(1).SerializeToString(),
                )
            )
            await conn.execute(
                insert(dead_letters).values(
                    consumer="talent-card",
                    stream="SUXIN_HIRING",
                    stream_seq=7,
                    subject=HIRE_SUBJECT,
                    payload=b"\x00",
                    error="poison: test",
                    deliveries=1,
                )
            )
    finally:
        await engine.dispose()
    return event_id


async def _until(check, what: str, log, within: float = 40.0) -> None:  # noqa: ANN001
    for _ in range(int(within / 0.2)):
        if check():
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"{what} not received within {within}s; service log:\n{tail(log, 30)}")


async def test_a_service_exports_spans_metrics_and_json_logs_over_otlp(infra, tmp_path):
    url = await infra.create_database("ops_otlp_job_matching")
    await upgrade_async("job_matching", url)
    event_id = await _seed(url)
    port = free_port()
    log = tmp_path / "job_matching.log"
    with OtlpReceiver() as receiver:
        env = {
            **os.environ,
            "ENVIRONMENT": "development",
            "DATABASE_URL": url,
            "NATS_URL": infra.nats_url,
            "OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint,
            "OTEL_METRIC_EXPORT_INTERVAL": "500",
            "OTEL_BSP_SCHEDULE_DELAY": "100",
            "METRICS_SAMPLE_INTERVAL_S": "0.3",
            "OUTBOX_POLL_INTERVAL_S": "0.2",
            "LOG_FORMAT": "json",
        }
        argv = [sys.executable, "-m", "uvicorn", "--factory", "job_matching.app:create_app"]
        proc = spawn([*argv, "--host", "127.0.0.1", "--port", str(port)], log_file=log, env=env)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                for _ in range(300):
                    assert proc.poll() is None, tail(log)
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get("/readyz")).status_code == 200:
                            break
                    await asyncio.sleep(0.1)
                answered = (await client.get(f"/v1/job-posts/{uuid.uuid4()}")).status_code

            def server_spans():
                return [
                    s
                    for s in receiver.spans()
                    if s["kind"] == SERVER and s["resource"].get("service.name") == "job-matching"
                ]

            await _until(server_spans, "a server span", log)
            span = server_spans()[0]
            assert span["attributes"].get("http.status_code", answered) == answered
            assert span["resource"]["deployment.environment.name"] == "development"

            def publish_span():
                return [
                    s
                    for s in receiver.spans()
                    if s["kind"] == PRODUCER and s["name"] == f"publish {HIRE_SUBJECT}"
                ]

            await _until(publish_span, "the relay's publish span", log)
            assert publish_span()[0]["attributes"]["messaging.message.id"] == str(event_id)

            def latest(name: str, **attrs: object) -> float | None:
                points = [
                    v
                    for a, v in receiver.metric_points().get(name, [])
                    if a["service.name"] == "job-matching" and attrs.items() <= a.items()
                ]
                return points[-1] if points else None

            await _until(lambda: latest("suxin.hires.recorded") == 1, "the hire counter", log)
            await _until(lambda: latest("suxin.outbox.pending") == 0, "outbox drained", log)
            assert latest("suxin.outbox.lag") == 0
            assert latest("suxin.events.published", event_type=HIRE_SUBJECT) == 1
            assert latest("suxin.outbox.published") == 1  # the relay's own counter still works
            assert (
                latest("suxin.dead_letters", **{"messaging.consumer.group.name": "talent-card"})
                == 1
            )
            http = {"http.server.duration", "http.server.request.duration"}
            await _until(lambda: http & set(receiver.metric_points()), "HTTP request metrics", log)
        finally:
            stop_process(proc)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert any(
        entry.get("service") == "job-matching" and "OTLP" in entry["message"] for entry in lines
    ), tail(log)
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in lines)


async def test_consumer_gauges_read_lag_and_redeliveries_from_jetstream(infra):
    stream, consumer = f"OPS_METRICS_{uuid.uuid4().hex[:6].upper()}", "ops-probe"
    nc = await nats.connect(infra.nats_url)
    try:
        js = nc.jetstream()
        await js.add_stream(StreamConfig(name=stream, subjects=[f"{stream.lower()}.>"]))
        await js.add_consumer(stream, ConsumerConfig(durable_name=consumer, ack_wait=30))
        await js.publish(f"{stream.lower()}.x", b"0")
        psub = await js.pull_subscribe_bind(durable=consumer, stream=stream)
        (first,) = await psub.fetch(1, timeout=5)
        await first.nak()  # back for redelivery
        (again,) = await psub.fetch(1, timeout=5)  # the redelivery, left unacked
        assert again.metadata.num_delivered == 2
        for n in range(1, 5):
            await js.publish(f"{stream.lower()}.x", f"{n}".encode())

        url = await infra.create_database("ops_metrics_probe")
        await upgrade_async("job_matching", url)
        engine = create_async_engine(url)
        runtime = SimpleNamespace(
            engine=engine,
            js=js,
            relay=None,
            consumers=SimpleNamespace(consumer=consumer, streams=[SimpleNamespace(name=stream)]),
        )
        pm = PlatformMetrics(f"probe-{uuid.uuid4().hex[:6]}")
        try:
            await pm.sample(runtime)
        finally:
            await engine.dispose()
        key = (stream, consumer)
        assert pm.current.consumer_lag[key] == 4
        assert pm.current.ack_pending[key] == 1
        assert pm.current.redelivered[key] == 1
        assert pm.current.outbox_pending == 0
        assert pm.current.outbox_lag_s == 0
        assert pm.current.dead_letters == {}
        await js.delete_stream(stream)
    finally:
        await nc.close()
