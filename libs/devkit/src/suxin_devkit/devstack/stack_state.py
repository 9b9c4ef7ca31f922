"""What the dev stack tells about itself: its lock, `state.json` (read by `suxin dev
status|down`), the banner `make run` prints, and the processes a state file records.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from suxin_common.localstack import devstack_dir
from suxin_devkit.devstack._proc import pid_alive, proc_start_time

OIDC_PROVIDER = "oidc_provider"


def lock_holder(state_dir: str | Path | None = None) -> int | None:
    """Pid of the stack running from `state_dir` (it holds run.lock), else None."""
    path = devstack_dir(state_dir) / "run.lock"
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            with contextlib.suppress(OSError, ValueError):
                return int(os.pread(fd, 32, 0).split()[0])
            return -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def identity(pid: int | None) -> dict[str, Any]:
    return {"pid": pid, "pid_start": proc_start_time(pid) if pid else None}


def rel(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def banner(stack: Any) -> str:
    """What `make run` prints once every service is ready."""
    width = max(len(s) for s in stack.services) + 2
    lines = ["", "Suxin dev stack is ready."]
    for svc, url in stack.urls.items():
        lines.append(f"  {svc.replace('_', '-'):<{width}}{url}   docs {url}/docs")
    pg = (
        f"embedded, data {rel(stack.postgres.data_dir)}"
        if stack.postgres
        else "given by DATABASE_URL"
    )
    nats = f"embedded, store {rel(stack.nats.store_dir)}" if stack.nats else "given by NATS_URL"
    lines += [
        f"  {'postgresql':<{width}}{stack.admin_database_url}   ({pg})",
        f"  {'nats':<{width}}{stack.nats_url}   ({nats})",
        f"  {'logs':<{width}}{rel(stack.log_dir)}/",
        f"  {'traces':<{width}}{telemetry_note(stack.extra_env)}",
        "",
        "Dev tokens: .venv/bin/suxin token --role ROLE [--uscc USCC] [--platform-id P] "
        "[--institution-id I] [--district D]" + known_roles(),
    ]
    lines += workbench_note(stack)
    if stack.demo_text:
        lines += ["", stack.demo_text.rstrip()]
    lines.append("")
    return "\n".join(lines)


def workbench_note(stack: Any) -> list[str]:
    if "staff_workbench" not in stack.services:
        return []
    lines = ["", f"Staff workbench (人社经办工作台): {stack.urls['staff_workbench']}/"]
    if stack.oidc_port is None:
        return lines + [f"  staff sign in at {stack.oidc_issuer} (OIDC_ISSUER)"]
    from suxin_devkit.oidc import DEMO_PASSWORD, DEMO_STAFF

    lines.append(
        f"  sign in (development OpenID provider {stack.oidc_issuer}), password {DEMO_PASSWORD}:"
    )
    for staff in DEMO_STAFF.values():
        lines.append(f"    {staff.username:<10}{staff.name} {staff.title} ({staff.district})")
    return lines


def write_state(stack: Any, status: str) -> None:
    """`state.json`: what runs (pids with their start times, URLs, logs), for `suxin dev
    status|down`; written atomically."""
    if stack._lock_fd is None:
        return
    state = {
        "status": status,
        **identity(os.getpid()),
        "pgid": os.getpgid(0),
        "dir": str(stack.dir),
        "updated_at": datetime.now(UTC).isoformat(),
        "postgres": {
            "admin_url": stack.admin_database_url,
            "embedded": stack.postgres is not None,
            **(identity(stack.postgres.pid) if stack.postgres else {}),
            **(
                {"data_dir": str(stack.postgres.data_dir), "log": str(stack.postgres.log_file)}
                if stack.postgres
                else {}
            ),
        },
        "nats": {
            "url": stack.nats_url,
            "embedded": stack.nats is not None,
            **(identity(stack.nats.pid) if stack.nats else {}),
            **(
                {"monitor_url": stack.nats.monitor_url, "log": str(stack.nats.log_file)}
                if stack.nats
                else {}
            ),
        },
        "services": {
            svc: {
                "url": stack.urls[svc],
                "docs": f"{stack.urls[svc]}/docs",
                "port": port,
                "database_url": stack.database_urls.get(svc),
                "log": str(stack.log_dir / f"{svc}.log"),
                **identity(stack.procs[svc].pid if svc in stack.procs else None),
            }
            for svc, port in stack.services.items()
        },
        "banner": stack.banner,
    }
    if stack.oidc_port is not None:
        proc = stack.procs.get(OIDC_PROVIDER)
        state[OIDC_PROVIDER] = {
            "url": stack.oidc_issuer,
            "log": str(stack.log_dir / f"{OIDC_PROVIDER}.log"),
            **identity(proc.pid if proc else None),
        }
    path = stack.dir / "state.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, indent=2))
    os.replace(tmp, path)


def telemetry_note(extra_env: Mapping[str, str]) -> str:
    """Where the services' traces and metrics go (OTEL_EXPORTER_OTLP_ENDPOINT), and where to
    look at them; without an endpoint they stay in the processes."""
    endpoint = extra_env.get("OTEL_EXPORTER_OTLP_ENDPOINT") or os.environ.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    if not endpoint:
        return (
            "not exported (set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 and run a "
            "collector, e.g. `docker compose up -d otel-collector jaeger prometheus`)"
        )
    viewer = os.environ.get("SUXIN_TRACE_VIEWER_URL") or "http://127.0.0.1:16686 (Jaeger)"
    return f"OTLP to {endpoint}; view them at {viewer}"


def known_roles() -> str:
    try:
        from suxin_common.auth import Role
    except Exception:  # the auth module is optional for the stack itself
        return ""
    return "\n            roles: " + ", ".join(r.value for r in Role)


def recorded_processes(state: Mapping[str, Any]) -> list[tuple[str, int, int | None]]:
    """(name, pid, start time) of every child a state file records, services first."""
    found = []
    for svc, info in (state.get("services") or {}).items():
        if info.get("pid"):
            found.append((svc, info["pid"], info.get("pid_start")))
    for name in (OIDC_PROVIDER, "nats", "postgres"):
        info = state.get(name) or {}
        if info.get("pid"):
            found.append((name, info["pid"], info.get("pid_start")))
    return found


def still_running(state: Mapping[str, Any]) -> list[tuple[str, int]]:
    return [(n, p) for n, p, st in recorded_processes(state) if pid_alive(p, st)]
