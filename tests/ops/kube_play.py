"""The dev overlay's objects for one service, made playable by `podman kube play` on a host
without a cluster. Every change is one of the gaps listed in docs/operations.md ("The manifests
under podman kube play"); the objects are otherwise as kustomize rendered them (image, command,
ConfigMap, security context, probes, resources).

1. image: the locally built tag instead of the registry's;
2. Secrets: values put in the env (podman 4.3 reads a Secret only from its own secret store,
   in a format of its own; the cluster's Secrets are created outside the repository anyway);
3. `$(VAR)` references in env values expanded here (Kubernetes does it; podman does not);
4. `fieldRef: metadata.namespace` replaced by the namespace (podman supports metadata.name only);
5. host network (the test PostgreSQL and NATS listen on 127.0.0.1): no containerPort mapping,
   the probes' named port replaced by the number, the service's PORT in its ConfigMap;
6. the migration Job played as a Pod with the Job's pod template (podman has no Job);
7. the database port in DATABASE_URL when the test PostgreSQL is not on 5432 (the template
   fixes 5432, the CNPG service's port).
"""

from __future__ import annotations

import copy
import re
from typing import Any

Obj = dict[str, Any]
_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


def _expand(value: str, known: dict[str, str]) -> str:
    return _REF.sub(lambda m: known.get(m.group(1), m.group(0)), value)


def pick(objs: list[Obj], service: str) -> tuple[Obj, Obj, Obj]:
    """The service's ConfigMap, API Deployment and migration Job (e.g. service="job-matching")."""
    config = next(
        o
        for o in objs
        if o["kind"] == "ConfigMap" and o["metadata"]["name"].startswith(f"{service}-config")
    )
    deployment = next(
        o for o in objs if o["kind"] == "Deployment" and o["metadata"]["name"] == f"{service}-api"
    )
    job = next(
        o for o in objs if o["kind"] == "Job" and o["metadata"]["name"] == f"{service}-migrate"
    )
    return copy.deepcopy(config), copy.deepcopy(deployment), copy.deepcopy(job)


def localize_config(config: Obj, data: dict[str, str]) -> Obj:
    config["data"] = {**config["data"], **data}
    return config


def _container(
    pod_spec: Obj, image: str, config: Obj, secrets: dict[str, dict[str, str]], port: int
) -> None:
    namespace = "suxin"
    for c in pod_spec["containers"]:
        c["image"] = image
        values: dict[str, str] = dict(config["data"])
        env = []
        for e in c.get("env", []):
            source = e.get("valueFrom") or {}
            if "secretKeyRef" in source:
                ref = source["secretKeyRef"]
                secret = secrets.get(ref["name"])
                if secret is None or ref["key"] not in secret:
                    if ref.get("optional"):
                        continue
                    raise KeyError(f"Secret {ref['name']}/{ref['key']} not given")
                e = {"name": e["name"], "value": secret[ref["key"]]}
            elif source.get("fieldRef", {}).get("fieldPath") == "metadata.namespace":
                e = {"name": e["name"], "value": namespace}
            if "value" in e:
                e = {
                    **e,
                    "value": _expand(e["value"], values),
                }
                values[e["name"]] = e["value"]
            env.append(e)
        c["env"] = env
        c.pop("ports", None)
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe in c and "httpGet" in c[probe]:
                c[probe]["httpGet"]["port"] = port


def localize_deployment(
    deployment: Obj, image: str, config: Obj, secrets: dict[str, dict[str, str]], port: int
) -> Obj:
    _container(deployment["spec"]["template"]["spec"], image, config, secrets, port)
    return deployment


def job_as_pod(job: Obj, image: str, config: Obj, secrets: dict[str, dict[str, str]]) -> Obj:
    spec = copy.deepcopy(job["spec"]["template"]["spec"])
    _container(spec, image, config, secrets, 0)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": job["metadata"]["name"],
            "labels": job["spec"]["template"]["metadata"]["labels"],
        },
        "spec": spec,
    }


def containers(obj: Obj) -> list[Obj]:
    spec = obj["spec"]["template"]["spec"] if "template" in obj["spec"] else obj["spec"]
    return spec["containers"]


def database_port(obj: Obj, port: int) -> Obj:
    for c in containers(obj):
        for e in c["env"]:
            if e["name"] == "DATABASE_URL":
                e["value"] = e["value"].replace(":5432/", f":{port}/")
    return obj
