"""deploy/k8s builds, validates against the Kubernetes schemas offline, and meets the pod
policy; every service has its full set of objects; secrets are only referenced."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from ops.k8s import (
    K8S,
    OVERLAYS,
    build,
    by_kind,
    name_of,
    pod_spec,
    policy_problems,
    schema_problems,
    selects,
    workloads,
)
from ops.repo import SERVICES

TARGETS = ("base", *OVERLAYS)


def _path(target: str) -> Path:
    return K8S / "base" if target == "base" else K8S / "overlays" / target


@cache
def _rendered(target: str) -> tuple[dict[str, Any], ...]:
    return tuple(build(_path(target)))


@pytest.fixture(params=TARGETS)
def rendered(request) -> tuple[dict[str, Any], ...]:
    return _rendered(request.param)


def _env(container: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e for e in container.get("env", [])}


def _config_of(objs, deployment: dict[str, Any]) -> dict[str, str]:
    maps = by_kind(objs, "ConfigMap")
    data: dict[str, str] = {}
    for source in pod_spec(deployment)["containers"][0].get("envFrom", []):
        data |= maps[source["configMapRef"]["name"]]["data"]
    return data


def test_every_build_validates_against_the_kubernetes_schemas(rendered):
    assert rendered
    assert schema_problems(rendered) == []


def test_every_workload_meets_the_pod_policy(rendered):
    found = list(workloads(rendered))
    assert found
    problems = [p for w in found for p in policy_problems(w)]
    assert problems == []


def test_every_service_has_its_deployment_service_pdb_hpa_config_job_ingress_database(rendered):
    for svc in SERVICES:
        name = svc.replace("_", "-")
        deployment = by_kind(rendered, "Deployment")[f"{name}-api"]
        assert f"{name}-api" in by_kind(rendered, "Service")
        assert f"{name}-api" in by_kind(rendered, "PodDisruptionBudget")
        assert f"{name}-api" in by_kind(rendered, "HorizontalPodAutoscaler")
        assert f"{name}-api" in by_kind(rendered, "Ingress")
        assert f"{name}-migrate" in by_kind(rendered, "Job")
        database = by_kind(rendered, "Database")[f"{name}-database"]
        config = _config_of(rendered, deployment)
        assert config["SERVICE"] == svc
        assert config["SERVICE_NAME"] == name
        assert config["DATABASE_NAME"] == f"suxin_{svc}"
        owner = f"{svc}_owner"  # the migration role owns the database; the service runs as _app
        assert database["spec"] == database["spec"] | {"name": f"suxin_{svc}", "owner": owner}
        env = _env(pod_spec(deployment)["containers"][0])
        assert env["DATABASE_USER"]["valueFrom"]["secretKeyRef"]["name"] == f"{name}-db"
        assert env["NATS_USER"]["valueFrom"]["secretKeyRef"]["name"] == f"{name}-nats"
        assert env["NATS_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == f"{name}-nats"
        job = _env(pod_spec(by_kind(rendered, "Job")[f"{name}-migrate"])["containers"][0])
        assert job["DATABASE_USER"]["valueFrom"]["secretKeyRef"]["name"] == f"{name}-db-owner"
        host = by_kind(rendered, "Ingress")[f"{name}-api"]["spec"]["rules"][0]["host"]
        assert host.startswith(f"{name}.")


def test_probes_use_readyz_for_readiness_and_livez_for_liveness(rendered):
    for deployment in by_kind(rendered, "Deployment").values():
        if deployment["metadata"]["labels"].get("app.kubernetes.io/component") != "api":
            continue
        app = pod_spec(deployment)["containers"][0]
        assert app["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert app["livenessProbe"]["httpGet"]["path"] == "/livez"
        assert app["startupProbe"]["httpGet"]["path"] == "/livez"


def test_references_resolve_within_the_build(rendered):
    deployments = by_kind(rendered, "Deployment")
    services = by_kind(rendered, "Service")
    configmaps = by_kind(rendered, "ConfigMap")
    pod_labels = {n: d["spec"]["template"]["metadata"]["labels"] for n, d in deployments.items()}
    for name, d in deployments.items():
        assert selects(d["spec"]["selector"], pod_labels[name]), name
    for w in workloads(rendered):
        for c in pod_spec(w)["containers"]:
            for source in c.get("envFrom", []):
                assert source["configMapRef"]["name"] in configmaps, name_of(w)
        for volume in pod_spec(w).get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps, name_of(w)
    for name, s in services.items():
        matched = [
            d
            for d, labels in pod_labels.items()
            if selects({"matchLabels": s["spec"]["selector"]}, labels)
        ]
        assert len(matched) == 1, f"Service {name} selects {matched}"
    for name, pdb in by_kind(rendered, "PodDisruptionBudget").items():
        matched = [
            d for d, labels in pod_labels.items() if selects(pdb["spec"]["selector"], labels)
        ]
        assert matched == [name], f"PDB {name} selects {matched}"
    for name, hpa in by_kind(rendered, "HorizontalPodAutoscaler").items():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments, name
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    for ingress in by_kind(rendered, "Ingress").values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["backend"]["service"]["name"] in services


def test_network_policies_deny_by_default_and_cover_every_pod(rendered):
    policies = list(by_kind(rendered, "NetworkPolicy").values())
    deny = [
        p
        for p in policies
        if p["spec"]["podSelector"] == {}
        and set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"}
        and not p["spec"].get("ingress")
        and not p["spec"].get("egress")
    ]
    assert deny, "no default-deny NetworkPolicy"
    specific = [p for p in policies if p["spec"]["podSelector"]]
    for w in workloads(rendered):
        labels = w["spec"]["template"]["metadata"]["labels"]
        allowed = [p for p in specific if selects(p["spec"]["podSelector"], labels)]
        assert allowed, f"{name_of(w)}: no NetworkPolicy lets it reach anything"
        assert any(p["spec"].get("egress") for p in allowed), name_of(w)
    # No service may reach another service: APIs' egress goes to infrastructure only.
    api = by_kind(rendered, "NetworkPolicy")["api"]
    for rule in api["spec"]["egress"]:
        for peer in rule["to"]:
            labels = (peer.get("podSelector") or {}).get("matchLabels") or {}
            assert labels.get("app.kubernetes.io/component") != "api"


def test_namespace_enforces_the_restricted_pod_security_standard(rendered):
    namespace = by_kind(rendered, "Namespace")["suxin"]
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {o["metadata"].get("namespace") for o in rendered if o["kind"] != "Namespace"} == {
        "suxin"
    }


def test_secrets_are_referenced_never_committed():
    for path in K8S.rglob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict):
                assert doc.get("kind") != "Secret", path
                assert "secretGenerator" not in doc, path
    for target in TARGETS:
        assert not [o for o in _rendered(target) if o["kind"] == "Secret"]


def test_prod_runs_replicated_jetstream_ha_postgres_and_production_settings():
    objs = _rendered("prod")
    for d in by_kind(objs, "Deployment").values():
        if d["metadata"]["labels"].get("app.kubernetes.io/component") == "api":
            assert d["spec"]["replicas"] >= 3
            config = _config_of(objs, d)
            assert config["ENVIRONMENT"] == "production"
            assert config["STREAM_REPLICAS"] == "3"
    for hpa in by_kind(objs, "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["minReplicas"] >= 3
    cluster = by_kind(objs, "Cluster")["suxin-pg"]
    assert cluster["spec"]["instances"] == 3
    # Point-in-time recovery: continuous WAL archive, kept 30 days, and a nightly base backup.
    store = cluster["spec"]["backup"]["barmanObjectStore"]
    assert store["destinationPath"].startswith("s3://") and store["wal"]
    assert cluster["spec"]["backup"]["retentionPolicy"] == "30d"
    nightly = by_kind(objs, "ScheduledBackup")["suxin-pg-nightly"]
    assert nightly["spec"]["cluster"]["name"] == "suxin-pg"
    assert nightly["spec"]["method"] == "barmanObjectStore"
    managed = cluster["spec"]["managed"]["roles"]
    roles = {r["name"]: r["passwordSecret"]["name"] for r in managed}
    assert roles == {
        f"{svc}_{kind}": f"{svc.replace('_', '-')}-db" + ("-owner" if kind == "owner" else "")
        for svc in SERVICES
        for kind in ("owner", "app")
    }
    for role in managed:  # least privilege: no role is more than a login
        for attribute in ("superuser", "createdb", "createrole", "replication", "bypassrls"):
            assert role.get(attribute) is False, (role["name"], attribute)
    owners = {d["spec"]["owner"] for d in by_kind(objs, "Database").values()}
    assert owners == {f"{svc}_owner" for svc in SERVICES}
    assert "otel-collector" in by_kind(objs, "Deployment")
    nats = yaml.safe_load((K8S / "overlays" / "prod" / "nats-values.yaml").read_text())
    assert nats["config"]["cluster"] == {"enabled": True, "replicas": 3}
    assert nats["config"]["jetstream"]["enabled"] is True
    assert nats["config"]["jetstream"]["fileStore"]["enabled"] is True
    assert nats["config"]["jetstream"]["fileStore"]["pvc"]["enabled"] is True


def test_dev_runs_one_replica_with_development_settings():
    objs = _rendered("dev")
    for d in by_kind(objs, "Deployment").values():
        assert d["spec"]["replicas"] == 1
        if d["metadata"]["labels"].get("app.kubernetes.io/component") == "api":
            assert _config_of(objs, d)["ENVIRONMENT"] == "development"
    assert by_kind(objs, "Cluster")["suxin-pg"]["spec"]["instances"] == 1
    nats = yaml.safe_load((K8S / "overlays" / "dev" / "nats-values.yaml").read_text())
    assert nats["config"]["jetstream"]["fileStore"]["enabled"] is True


def test_services_come_from_one_template():
    """Each service's kustomization holds only its names; everything else is the template
    and opt-in components."""
    folders = sorted(p.name for p in (K8S / "base" / "services").iterdir())
    assert folders == sorted(svc.replace("_", "-") for svc in SERVICES)
    for folder in folders:
        files = list((K8S / "base" / "services" / folder).iterdir())
        assert [f.name for f in files] == ["kustomization.yaml"], folder
        k = yaml.safe_load(files[0].read_text())
        # The template, then opt-in components (e.g. a shared spool volume) if any.
        assert k["components"][0] == "../../service"
        assert all(c.startswith("../../../components/") for c in k["components"][1:])
        assert set(k) <= {"apiVersion", "kind", "namePrefix", "labels", "components"} | {
            "configMapGenerator"
        }


def test_the_policy_check_catches_each_violation():
    import copy

    deployment = by_kind(_rendered("prod"), "Deployment")["job-matching-api"]
    assert policy_problems(deployment) == []
    breaks = {
        "runAsNonRoot": lambda pod, c: (
            pod["securityContext"].pop("runAsNonRoot"),
            c["securityContext"].pop("runAsNonRoot"),
        ),
        "readOnlyRootFilesystem": lambda pod, c: c["securityContext"].pop("readOnlyRootFilesystem"),
        "drop ALL": lambda pod, c: c["securityContext"]["capabilities"].update(drop=[]),
        "seccompProfile": lambda pod, c: pod["securityContext"].pop("seccompProfile"),
        "automountServiceAccountToken": lambda pod, c: pod.pop("automountServiceAccountToken"),
        "resources.limits.memory": lambda pod, c: c["resources"]["limits"].pop("memory"),
        "livenessProbe": lambda pod, c: c.pop("livenessProbe"),
        "allowPrivilegeEscalation": lambda pod, c: c["securityContext"].pop(
            "allowPrivilegeEscalation"
        ),
    }
    for rule, breaker in breaks.items():
        broken = copy.deepcopy(deployment)
        pod = pod_spec(broken)
        breaker(pod, pod["containers"][0])
        problems = policy_problems(broken)
        assert any(rule in p for p in problems), (rule, problems)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_services_point_at_infrastructure_the_overlay_provides(overlay):
    objs = _rendered(overlay)
    services = by_kind(objs, "Service")
    cluster = next(iter(by_kind(objs, "Cluster")))
    for d in by_kind(objs, "Deployment").values():
        if d["metadata"]["labels"].get("app.kubernetes.io/component") != "api":
            continue
        config = _config_of(objs, d)
        collector = config["OTEL_EXPORTER_OTLP_ENDPOINT"].split("//")[1].split(":")[0]
        assert collector in services
        assert config["DATABASE_HOST"] == f"{cluster}-rw"  # CloudNativePG's read-write Service
        # NATS comes from the Helm release "nats", whose client Service is "nats".
        assert config["NATS_URL"] == "nats://nats:4222"
