"""The dev overlay under a real runner: `podman kube play` starts job-matching's migration Job
(as a Pod) and its Deployment, with the rendered ConfigMap, from the image built here, against
the test PostgreSQL and NATS. The migration completes, the probe endpoints the manifest names
answer within the startup probe's budget, the ConfigMap's settings reach the process, and the
pod runs as the manifest's user with its read-only root filesystem.

What podman cannot do and kube_play.py therefore changes is listed there and in
docs/operations.md. Podman does not run the probes itself here (it turns the liveness probe
into a healthcheck that needs systemd timers), so the test requests each probe's path.
"""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import yaml
from ops import kube_play
from ops.containers import built_image, podman
from ops.k8s import build
from ops.repo import ROOT
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_devkit.devstack._proc import free_port

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900)]
SERVICE = "job-matching"


@pytest.fixture(scope="module")
def image() -> str:
    return built_image()


def _play(path, *args: str) -> None:  # noqa: ANN001
    out = podman("kube", "play", "--network", "host", *args, str(path), check=False, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def _state(name: str) -> dict:
    out = podman("inspect", "-f", "{{json .State}}", name, check=False)
    return json.loads(out.stdout) if out.returncode == 0 else {}


async def test_the_dev_overlay_plays_migrates_configures_and_answers_its_probes(
    image, infra, tmp_path
):
    objs = build(ROOT / "deploy" / "k8s" / "overlays" / "dev")
    config, deployment, job = kube_play.pick(objs, SERVICE)
    db = await infra.service_database("job_matching", "kp_job_matching", migrate=False)
    url, owner = make_url(db.runtime_url), make_url(db.owner_url)
    port = free_port()
    config = kube_play.localize_config(
        config,
        {
            "DATABASE_HOST": url.host or "127.0.0.1",
            "DATABASE_NAME": url.database,
            # Without credentials: the pod signs in as its own user (the -nats Secret).
            "NATS_URL": "nats://" + infra.nats_url.split("@")[-1].removeprefix("nats://")
            if infra.nats_users
            else infra.nats_url,
            "PORT": str(port),
            "CONSUMER_FETCH_TIMEOUT_S": "0.5",
        },
    )
    nats_user = "job_matching"
    secrets = {
        f"{SERVICE}-db": {"username": url.username, "password": url.password or "x"},
        f"{SERVICE}-db-owner": {"username": owner.username, "password": owner.password or "x"},
        f"{SERVICE}-nats": {
            "username": nats_user,
            "password": infra.nats_users.get(nats_user, "x"),
        },
    }
    migrate = kube_play.job_as_pod(job, image, config, secrets)
    deployment = kube_play.localize_deployment(deployment, image, config, secrets, port)
    for obj in (migrate, deployment):
        kube_play.database_port(obj, url.port or 5432)
    migrate_yaml, app_yaml = tmp_path / "migrate.yaml", tmp_path / "app.yaml"
    migrate_yaml.write_text(yaml.safe_dump_all([config, migrate]))
    app_yaml.write_text(yaml.safe_dump_all([config, deployment]))
    try:
        # The migration Job's pod runs to completion.
        await asyncio.to_thread(_play, migrate_yaml)
        name = f"{SERVICE}-migrate-migrate"
        deadline = time.monotonic() + 180
        while _state(name).get("Status") not in ("exited", "stopped"):
            assert time.monotonic() < deadline, podman("logs", name, check=False).stderr
            await asyncio.sleep(1)
        logs = podman("logs", name, check=False)
        assert _state(name)["ExitCode"] == 0, logs.stdout + logs.stderr
        assert "job_matching: migrated to head" in logs.stdout + logs.stderr
        engine = create_async_engine(url, pool_size=1)
        try:
            async with engine.connect() as conn:
                head = (
                    await conn.execute(text("SELECT version_num FROM alembic_version_job_matching"))
                ).scalar()
        finally:
            await engine.dispose()
        assert head

        # The Deployment: every probe path answers within the startup probe's budget.
        await asyncio.to_thread(_play, app_yaml)
        app = f"{SERVICE}-api-pod-0-app"
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        startup = container["startupProbe"]
        budget = startup["failureThreshold"] * startup["periodSeconds"]
        deadline = time.monotonic() + budget
        answers: dict[str, int] = {}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", trust_env=False) as c:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                path = container[probe]["httpGet"]["path"]
                while True:
                    try:
                        answers[probe] = (await c.get(path, timeout=2)).status_code
                    except httpx.HTTPError:
                        answers[probe] = 0
                    if answers[probe] == 200 or time.monotonic() > deadline:
                        break
                    await asyncio.sleep(1)
        assert answers == dict.fromkeys(answers, 200), (
            answers,
            podman("logs", app, check=False).stderr[-3000:],
        )

        # The ConfigMap's settings reach the process; the pod runs as the manifest says.
        env = podman(
            "exec",
            app,
            "sh",
            "-c",
            "printenv SERVICE_NAME ENVIRONMENT LOG_FORMAT; id -u;"
            " touch /app/x 2>/dev/null || echo read-only",
        ).stdout.split()
        assert env[:3] == [
            config["data"]["SERVICE_NAME"],
            config["data"]["ENVIRONMENT"],
            config["data"]["LOG_FORMAT"],
        ]
        pod_sc = deployment["spec"]["template"]["spec"]["securityContext"]
        assert env[3] == str(pod_sc["runAsUser"])
        assert env[-1] == "read-only"
    finally:
        for path in (app_yaml, migrate_yaml):
            podman("kube", "down", str(path), check=False, timeout=120)
