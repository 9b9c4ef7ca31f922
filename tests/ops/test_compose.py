"""docker-compose.yml (it cannot be started here: no Docker engine) has the whole stack: every
service with a health check, the infrastructure, the migration step and a sane start order."""

from __future__ import annotations

import pytest
import yaml
from ops.repo import ROOT, SERVICES

from suxin_common import natsauth
from suxin_common.dbroles import dev_password, owner_role, runtime_role

INFRA = {"postgres", "nats", "migrate", "otel-collector", "jaeger", "prometheus"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _depends(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {d: "service_started" for d in deps}
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def test_every_service_is_there_with_its_own_database_and_a_readiness_health_check(compose):
    services = compose["services"]
    assert set(services) == INFRA | {svc.replace("_", "-") for svc in SERVICES}
    ports = []
    for svc in SERVICES:
        s = services[svc.replace("_", "-")]
        env = s["environment"]
        assert env["SERVICE"] == svc
        assert env["SERVICE_NAME"] == svc.replace("_", "-")
        assert env["DATABASE_URL"].endswith(f"@postgres:5432/suxin_{svc}")
        # Least privilege: the runtime role (DML only) and the service's own NATS user.
        app = runtime_role(svc)
        assert f"//{app}:{dev_password(app)}@" in env["DATABASE_URL"]
        assert env["NATS_URL"] == "nats://nats:4222"
        assert env["NATS_USER"] == svc
        assert env["NATS_PASSWORD"] == natsauth.dev_password(svc)
        nats_env = services["nats"]["environment"]
        assert nats_env[natsauth.password_env(svc)] == env["NATS_PASSWORD"]
        assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
        assert "/readyz" in " ".join(s["healthcheck"]["test"])
        assert s["read_only"] is True and s["cap_drop"] == ["ALL"]
        ports += s["ports"]
    assert len(ports) == len(set(ports)), "host ports collide"


def test_start_order_waits_for_healthy_infrastructure_and_the_migration(compose):
    services = compose["services"]
    for svc in SERVICES:
        assert _depends(services[svc.replace("_", "-")]) == {
            "postgres": "service_healthy",
            "nats": "service_healthy",
            "migrate": "service_completed_successfully",
            "otel-collector": "service_started",
        }
    assert _depends(services["migrate"]) == {"postgres": "service_healthy"}
    for name in ("postgres", "nats", "prometheus"):
        assert services[name]["healthcheck"]["test"], name
    # Every dependency exists and the graph has no cycle.
    seen: dict[str, str] = {}

    def visit(name: str) -> None:
        assert name in services, f"unknown dependency {name}"
        if seen.get(name) == "done":
            return
        assert seen.get(name) != "visiting", f"dependency cycle through {name}"
        seen[name] = "visiting"
        for dep in _depends(services[name]):
            visit(dep)
        seen[name] = "done"

    for name in services:
        visit(name)


def test_the_migration_step_migrates_every_service_database(compose):
    script = " ".join(compose["services"]["migrate"]["command"])
    for svc in SERVICES:
        assert svc in script
    assert "suxin migrate" in script
    init = (ROOT / "deploy" / "compose" / "init-databases.sql").read_text()
    for svc in SERVICES:
        owner = owner_role(svc)
        assert f"CREATE DATABASE suxin_{svc} OWNER {owner};" in init
        assert f"//{owner}:{dev_password(owner)}@postgres:5432/suxin_{svc}" in script
        assert f"CREATE ROLE {runtime_role(svc)} LOGIN NOSUPERUSER" in init
    assert "/etc/nats/users.conf" in compose["services"]["nats"]["command"]


def test_mounted_files_exist_and_observability_is_wired(compose):
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_file(), f"{name}: {source} missing"
    collector = yaml.safe_load((ROOT / "deploy" / "compose" / "otel-collector.yaml").read_text())
    pipelines = collector["service"]["pipelines"]
    assert pipelines["traces"]["exporters"] == ["otlp/jaeger"]
    assert "prometheus" in pipelines["metrics"]["exporters"]
    prometheus = yaml.safe_load((ROOT / "deploy" / "prometheus" / "prometheus.yml").read_text())
    targets = [
        t
        for job in prometheus["scrape_configs"]
        for c in job["static_configs"]
        for t in c["targets"]
    ]
    assert "otel-collector:8889" in targets
