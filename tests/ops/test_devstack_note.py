"""`make run` says where traces go: to the configured OTLP endpoint, or nowhere (and how to
send them somewhere)."""

from __future__ import annotations

from suxin_devkit.devstack.stack_state import telemetry_note as _telemetry_note


def test_without_an_endpoint_it_says_traces_are_not_exported(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    note = _telemetry_note({})
    assert note.startswith("not exported")
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" in note


def test_with_an_endpoint_it_names_it_and_the_viewer(monkeypatch):
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    monkeypatch.setenv("SUXIN_TRACE_VIEWER_URL", "http://jaeger.local:16686")
    assert (
        _telemetry_note({})
        == "OTLP to http://127.0.0.1:4318; view them at http://jaeger.local:16686"
    )
