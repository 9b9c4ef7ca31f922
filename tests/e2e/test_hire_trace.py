"""One trace covers a hire: the HTTP request and a consumer span in each of the four services."""

from __future__ import annotations

import asyncio

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from e2e.scenario import CONSUMERS, hire_graduate, open_enterprise

pytestmark = pytest.mark.e2e


@pytest.fixture
def spans():
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    yield exporter
    processor.shutdown()


async def test_one_trace_spans_the_http_request_and_all_four_consumers(spans, in_process):
    jm, tc = in_process.clients["job_matching"], in_process.clients["talent_card"]
    post_id = await open_enterprise(jm, 1)
    spans.clear()
    hire_id = await hire_graduate(jm, tc, post_id, 1)

    def hire_request_trace() -> int | None:
        for s in spans.get_finished_spans():
            if s.kind is SpanKind.SERVER and s.name == "POST /v1/hires":
                return s.context.trace_id
        return None

    def consumers_in(trace_id: int) -> set[str]:
        return {
            s.attributes.get("suxin.service")
            for s in spans.get_finished_spans()
            if s.kind is SpanKind.CONSUMER
            and s.context.trace_id == trace_id
            and s.name == "consume suxin.hiring.hire_recorded.v1"
        }

    expected = {svc.replace("_", "-") for svc in CONSUMERS}
    for _ in range(200):
        trace_id = hire_request_trace()
        if trace_id is not None and consumers_in(trace_id) >= expected:
            break
        await asyncio.sleep(0.1)
    assert trace_id is not None, "no server span for POST /v1/hires"
    assert consumers_in(trace_id) == expected

    def producer_spans() -> list:
        return [
            s
            for s in spans.get_finished_spans()
            if s.kind is SpanKind.PRODUCER and s.context.trace_id == trace_id
        ]

    # Consumers' own events leave through their outboxes a little later: wait for them.
    for _ in range(200):
        producer = producer_spans()
        if any(s.name == "publish suxin.subsidy.subsidy_case_opened.v1" for s in producer):
            break
        await asyncio.sleep(0.1)
    published = [s.name for s in producer if s.attributes["suxin.service"] == "job-matching"]
    # The hire (and, when it fills the post, the post's closing) is published once.
    assert published.count("publish suxin.hiring.hire_recorded.v1") == 1, published
    # Consumers' own events (e.g. SubsidyCaseOpened) continue the same trace.
    assert any(s.name == "publish suxin.subsidy.subsidy_case_opened.v1" for s in producer), hire_id
