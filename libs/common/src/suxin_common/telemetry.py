"""OpenTelemetry setup: one tracer and meter provider per process, OTLP export when configured.

Trace context crosses process boundaries in two places only: HTTP (W3C headers, handled by the
FastAPI instrumentation) and events (stored with the outbox row, carried in NATS headers).
"""

from __future__ import annotations

import logging
import os
import socket
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
    """Install SDK providers unless some are installed already (tests install their own).

    With ``OTEL_EXPORTER_OTLP_ENDPOINT`` set, spans and metrics go there over OTLP/HTTP
    (``/v1/traces``, ``/v1/metrics``; the metric interval is ``OTEL_METRIC_EXPORT_INTERVAL``,
    ms). Logs become JSON with trace and span ids (:mod:`suxin_common.logs`), except under
    tests, whose runner captures logs itself.
    """
    if settings.environment != "test":
        from suxin_common.logs import configure_logging

        configure_logging(settings.otel_name)
    if settings.otel_sdk_disabled:
        return
    resource = service_resource(settings)
    endpoint = otlp_endpoint(settings)
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        provider = TracerProvider(resource=resource)
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

            provider.add_span_processor(
                BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint}/v1/traces"))
            )
        trace.set_tracer_provider(provider)
    if not isinstance(metrics.get_meter_provider(), MeterProvider):
        readers = []
        if endpoint:
            from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
            from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

            readers.append(
                PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics"))
            )
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
    if endpoint:
        log.info("telemetry: traces and metrics are exported over OTLP to %s", endpoint)


def otlp_endpoint(settings: ServiceSettings) -> str | None:
    """The OTLP/HTTP base URL (no signal path), or None when export is off."""
    endpoint = (settings.otel_exporter_otlp_endpoint or "").strip().rstrip("/")
    return endpoint or None


def service_resource(settings: ServiceSettings) -> Resource:
    """service.name and the deployment environment; ``OTEL_RESOURCE_ATTRIBUTES`` adds to it
    (e.g. the pod name in Kubernetes)."""
    return Resource.create(
        {
            "service.name": settings.otel_name,
            "service.namespace": "suxin",
            "service.version": _version(),
            # Replicas must not merge their counters into one series.
            "service.instance.id": f"{socket.gethostname()}:{os.getpid()}",
            "deployment.environment.name": settings.environment,
        }
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("suxin-common")
    except PackageNotFoundError:
        return "0"


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
