"""The alert rules use only metrics the services emit, and each has its runbook entry."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader

from suxin_common.metrics import DOMAIN_COUNTERS, PlatformMetrics, Sample

ROOT = Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((ROOT / "deploy" / "prometheus" / "alerts.yml").read_text())
ALERTS = [rule for group in RULES["groups"] for rule in group["rules"]]
# From the FastAPI instrumentation (OpenTelemetry's HTTP semantic conventions).
INSTRUMENTATION = {"http_server_duration_milliseconds"}
UNIT_SUFFIX = {"s": "_seconds", "ms": "_milliseconds", "By": "_bytes"}


def _prometheus_names() -> set[str]:
    """The kit's instruments, named as the collector's Prometheus exporter names them."""
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    pm = PlatformMetrics("probe", meter_provider=provider)
    key = ("S", "c")
    pm.current = Sample(1, 1.0, {"c": 1}, {key: 1}, {key: 1}, {key: 1})
    pm.published.add(1)
    for counter in pm.domain.values():
        counter.add(1)
    names = set()
    for rm in reader.get_metrics_data().resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                name = metric.name.replace(".", "_") + UNIT_SUFFIX.get(metric.unit or "", "")
                if type(metric.data).__name__ == "Sum" and metric.data.is_monotonic:
                    name += "_total"
                names.add(name)
    return names


def test_every_metric_an_alert_uses_is_emitted():
    emitted = _prometheus_names() | INSTRUMENTATION
    assert {"suxin_outbox_lag_seconds", "suxin_hires_recorded_total"} <= emitted
    for alert in ALERTS:
        used = set(re.findall(r"\b(suxin_[a-z_]+|http_server_[a-z_]+)", alert["expr"]))
        used = {re.sub(r"_(bucket|count|sum)$", "", name) for name in used}
        assert used, alert["alert"]
        assert used <= emitted, (alert["alert"], used - emitted)


def test_every_alert_has_a_severity_a_summary_and_a_runbook_entry():
    runbook = (ROOT / "docs" / "operations.md").read_text()
    headings = {
        re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-")
        for h in re.findall(r"^#+ (.+)$", runbook, flags=re.M)
    }
    for alert in ALERTS:
        assert alert["labels"]["severity"] in {"page", "ticket"}
        assert alert["annotations"]["summary"]
        url = alert["annotations"]["runbook_url"]
        assert url == f"docs/operations.md#{alert['alert'].lower()}"
        assert alert["alert"].lower() in headings, f"no runbook section for {alert['alert']}"


def test_domain_counters_cover_hires_orders_and_subsidy_cases():
    names = {c.name for c in DOMAIN_COUNTERS.values()}
    assert names == {"suxin.hires.recorded", "suxin.orders.covered", "suxin.subsidy_cases.opened"}
