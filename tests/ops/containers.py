"""The Suxin image built and run on this machine with podman (scripts/podman.sh).

:func:`built_image` builds it once per test session (``make image``'s script: the base from
Debian packages and the image's layers are reused, so an unchanged tree costs seconds);
:class:`Container` runs one service of it as the Kubernetes pod spec does: non-root (the
image's uid 10001), read-only root filesystem, no capabilities, only ``/tmp`` writable.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import subprocess
import time
from collections.abc import Mapping

import httpx
import pytest
from ops.repo import ROOT

PODMAN = str(ROOT / "scripts" / "podman.sh")
TAG = os.environ.get("SUXIN_TEST_IMAGE", "localhost/suxin:test")
_built: dict[str, str] = {}


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PODMAN, *args], capture_output=True, text=True, timeout=timeout, check=check
    )


def built_image() -> str:
    """The image's tag, built (or found up to date) once per session; skips with the reason
    when no container runtime can be installed on this machine."""
    if TAG in _built:
        return _built[TAG]
    ensure = subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-containers.sh")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    if ensure.returncode != 0:
        pytest.skip(f"no container runtime here and none could be installed: {ensure.stderr}")
    t0 = time.monotonic()
    build = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-image.sh"), TAG],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    print(f"\nimage {TAG} built in {time.monotonic() - t0:.1f}s")
    _built[TAG] = TAG
    return TAG


class Container:
    """One service of the image, serving on the host network at ``url``."""

    def __init__(
        self, image: str, svc: str, port: int, env: Mapping[str, str], command: str = "serve"
    ) -> None:
        self.image = image
        self.svc = svc
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.name = f"suxin-test-{svc.replace('_', '-')}-{secrets.token_hex(3)}"
        self.env = {"SERVICE": svc, "PORT": str(port), **env}
        self.command = command

    def run_args(self) -> list[str]:
        args = [
            "--name",
            self.name,
            "--network",
            "host",
            "--read-only",
            "--cap-drop",
            "ALL",
            "--security-opt",
            "no-new-privileges",
        ]
        for key, value in self.env.items():
            args += ["-e", f"{key}={value}"]
        return [*args, self.image, self.command]

    def start(self) -> None:
        podman("run", "-d", *self.run_args())

    def logs(self) -> str:
        out = podman("logs", "--tail", "60", self.name, check=False)
        return out.stdout + out.stderr

    def exec(self, *argv: str) -> subprocess.CompletedProcess:
        return podman("exec", self.name, *argv, check=False)

    def running(self) -> bool:
        out = podman("inspect", "-f", "{{.State.Running}}", self.name, check=False)
        return out.stdout.strip() == "true"

    async def wait_ready(self, within_s: float = 120.0) -> None:
        deadline = time.monotonic() + within_s
        async with httpx.AsyncClient(trust_env=False) as client:
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/readyz", timeout=2)).status_code == 200:
                        return
                if not await asyncio.to_thread(self.running):
                    break
                await asyncio.sleep(0.5)
        raise AssertionError(f"{self.name} not ready:\n{self.logs()}")

    def remove(self) -> None:
        podman("rm", "-f", "-t", "10", self.name, check=False, timeout=60)


def run_once(image: str, svc: str, env: Mapping[str, str], command: str) -> str:
    """Run a one-off command of the image (e.g. ``migrate``) as the Job would; its output."""
    c = Container(image, svc, 0, env, command)
    out = podman("run", "--rm", *c.run_args(), check=False, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    return out.stdout + out.stderr
