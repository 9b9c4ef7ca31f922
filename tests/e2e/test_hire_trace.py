"""One trace covers a hire: the HTTP request and a consumer span in each of the four services;
the consumers' own events continue the trace of the event that caused them."""

from __future__ import annotations

import asyncio

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from e2e.scenario import CONSUMERS, hire_graduate, open_enterprise, seeker_headers
from suxin_devkit.testing import make_resident_id

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
    hire_id = await hire_graduate(jm, tc, post_id, 1, confirm=False)

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

    def producer_spans(trace: int) -> list:
        return [
            s
            for s in spans.get_finished_spans()
            if s.kind is SpanKind.PRODUCER and s.context.trace_id == trace
        ]

    async def published_in(trace: int, name: str) -> list:
        """The trace's producer spans, once one named `name` is among them (or after 20 s):
        consumers' own events leave through their outboxes a little later."""
        for _ in range(200):
            producer = producer_spans(trace)
            if any(s.name == name for s in producer):
                break
            await asyncio.sleep(0.1)
        return producer

    producer = await published_in(trace_id, "publish suxin.subsidy.subsidy_case_opened.v1")
    published = [s.name for s in producer if s.attributes["suxin.service"] == "job-matching"]
    # The hire (and, when it fills the post, the post's closing) is published once.
    assert published.count("publish suxin.hiring.hire_recorded.v1") == 1, published
    # Consumers' own events (e.g. SubsidyCaseOpened) continue the same trace.
    assert any(s.name == "publish suxin.subsidy.subsidy_case_opened.v1" for s in producer), hire_id

    # The person confirms the hire (录用确认) only now: confirmed at once, training-vouchers could
    # handle HireConfirmed first and open the case in the confirmation's trace instead. What
    # waits for the confirmation continues its trace: talent-card's TalentFlowRecorded.
    r = await jm.post(
        f"/v1/hires/{hire_id}/confirmation",
        headers=seeker_headers(make_resident_id(1), 1),
        json={"decision": "confirm"},
    )
    assert r.status_code == 200, r.text
    confirmation = next(
        s.context.trace_id
        for s in spans.get_finished_spans()
        if s.kind is SpanKind.SERVER and s.name == "POST /v1/hires/{hire_id}/confirmation"
    )
    producer = await published_in(confirmation, "publish suxin.talent.talent_flow_recorded.v1")
    assert any(s.name == "publish suxin.talent.talent_flow_recorded.v1" for s in producer), hire_id
