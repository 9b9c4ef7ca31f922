"""The alert rules as Prometheus loads them: `promtool check rules` accepts alerts.yml, and
`promtool test rules` runs deploy/prometheus/alerts.test.yml, in which every alert fires on the
series that should raise it and stays quiet before its `for:` and on healthy series.

promtool comes from Debian's prometheus package (scripts/ensure-promtool.sh); without it the
tests skip with that reason.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from ops.repo import ROOT

RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
UNIT_TESTS = ROOT / "deploy" / "prometheus" / "alerts.test.yml"


@pytest.fixture(scope="module")
def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        ensure = subprocess.run(
            ["bash", str(ROOT / "scripts" / "ensure-promtool.sh")],
            capture_output=True,
            text=True,
            timeout=600,
        )
        path = shutil.which("promtool")
        if path is None:
            pytest.skip(f"promtool not installed and not installable here: {ensure.stderr}")
    return path


def _run(promtool: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([promtool, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_promtool_accepts_the_rules(promtool):
    out = _run(promtool, "check", "rules", str(RULES), cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    alerts = [r for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]
    assert f"SUCCESS: {len(alerts)} rules found" in out.stdout


def test_every_alert_fires_in_the_rule_unit_tests(promtool):
    out = _run(promtool, "test", "rules", str(UNIT_TESTS), cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    alerts = {r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]}
    cases = [
        case
        for test in yaml.safe_load(UNIT_TESTS.read_text())["tests"]
        for case in test["alert_rule_test"]
    ]
    fired = {case["alertname"] for case in cases if case["exp_alerts"]}
    quiet = {case["alertname"] for case in cases if not case["exp_alerts"]}
    assert fired == alerts, alerts - fired
    assert quiet == alerts, alerts - quiet


def test_the_unit_tests_catch_a_wrong_threshold(promtool, tmp_path):
    # The same tests against rules whose outbox threshold is ten times too high must fail.
    text = RULES.read_text()
    assert "(suxin_outbox_lag_seconds) > 60" in text
    (tmp_path / "alerts.yml").write_text(
        text.replace("(suxin_outbox_lag_seconds) > 60", "(suxin_outbox_lag_seconds) > 600")
    )
    shutil.copy(UNIT_TESTS, tmp_path / "alerts.test.yml")
    out = _run(promtool, "test", "rules", "alerts.test.yml", cwd=tmp_path)
    assert out.returncode != 0
    assert "SuxinOutboxLag" in out.stdout + out.stderr
