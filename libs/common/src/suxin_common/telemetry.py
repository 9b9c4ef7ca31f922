"""OpenTelemetry setup: one tracer and meter provider per process, OTLP export when configured.

Trace context crosses process boundaries in two places only: HTTP (W3C headers, handled by the
FastAPI instrumentation) and events (stored with the outbox row, carried in NATS headers).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from suxin_common.settings import ServiceSettings

log = logging.getLogger(__name__)


def setup_telemetry(settings: ServiceSettings) -> None:
    """Install SDK providers unless some are installed already (tests install their own)."""
    if settings.otel_sdk_disabled:
        return
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        resource = Resource.create({"service.name": settings.otel_name})
        provider = TracerProvider(resource=resource)
        if settings.otel_exporter_otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
    if not isinstance(metrics.get_meter_provider(), MeterProvider):
        readers = []
        if settings.otel_exporter_otlp_endpoint:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            readers.append(PeriodicExportingMetricReader(OTLPMetricExporter()))
        metrics.set_meter_provider(
            MeterProvider(
                resource=Resource.create({"service.name": settings.otel_name}),
                metric_readers=readers,
            )
        )


@dataclass(frozen=True)
class MessagingMetrics:
    published: metrics.Counter
    consumed: metrics.Counter
    duplicates: metrics.Counter
    retried: metrics.Counter
    dead_lettered: metrics.Counter
    handle_seconds: metrics.Histogram


@cache
def metrics_for(service: str) -> MessagingMetrics:
    meter = metrics.get_meter("suxin.messaging", attributes={"suxin.service": service})
    return MessagingMetrics(
        published=meter.create_counter("suxin.outbox.published", description="events published"),
        consumed=meter.create_counter("suxin.consumer.processed", description="events handled"),
        duplicates=meter.create_counter(
            "suxin.consumer.duplicates", description="redeliveries skipped"
        ),
        retried=meter.create_counter("suxin.consumer.retried", description="naks with backoff"),
        dead_lettered=meter.create_counter(
            "suxin.consumer.dead_lettered", description="to the DLQ"
        ),
        handle_seconds=meter.create_histogram("suxin.consumer.handle", unit="s"),
    )
