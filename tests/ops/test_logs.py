"""Logs are JSON lines carrying the current trace and span ids."""

from __future__ import annotations

import json
import logging

from opentelemetry.sdk.trace import TracerProvider

from suxin_common.logs import JsonFormatter


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.getLogger("suxin.test").makeRecord(
        "suxin.test", logging.WARNING, __file__, 1, message, (), None, extra=extra
    )
    return record


def test_a_log_line_is_json_with_the_trace_and_span_of_the_moment():
    tracer = TracerProvider().get_tracer("test")
    formatter = JsonFormatter("job-matching")
    with tracer.start_as_current_span("POST /v1/hires") as span:
        line = formatter.format(_record("hire %s recorded", hire_id="h-1"))
    entry = json.loads(line)
    context = span.get_span_context()
    assert entry["trace_id"] == format(context.trace_id, "032x")
    assert entry["span_id"] == format(context.span_id, "016x")
    assert entry["service"] == "job-matching"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "suxin.test"
    assert entry["hire_id"] == "h-1"
    assert "\n" not in line


def test_outside_a_span_there_are_no_trace_ids_and_exceptions_are_kept():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = _record("failed")
        record.exc_info = sys.exc_info()
    entry = json.loads(formatter.format(record))
    assert "trace_id" not in entry
    assert entry["message"] == "failed"
    assert "ValueError: boom" in entry["exception"]


def test_probe_requests_are_left_out_of_the_access_log():
    from suxin_common.logs import _SkipHealthChecks

    def access(path: str) -> logging.LogRecord:
        args = ("10.0.0.1:5000", "GET", path, "1.1", 200)
        return logging.LogRecord("uvicorn.access", 20, "", 0, '%s - "%s %s HTTP/%s" %d', args, None)

    keep = _SkipHealthChecks()
    assert not keep.filter(access("/readyz"))
    assert not keep.filter(access("/livez"))
    assert keep.filter(access("/v1/hires"))
