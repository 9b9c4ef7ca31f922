"""The stack in the background, for scripts: `suxin dev up|down|status` (`make up` / `make down`).

``up`` starts ``suxin dev run`` detached in its own session (output in
``.devstack/logs/devstack.log``) and returns once it reports ready in ``.devstack/state.json``
and every ``/readyz`` answers 200. ``down`` sends SIGTERM to it (it then stops everything in
order), waits, and makes sure none of the processes the state file records is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from suxin_common.localstack import devstack_dir, read_state, repo_root
from suxin_devkit.devstack._proc import http_get, pid_alive, signal_group, tail, wait_gone
from suxin_devkit.devstack.stack_state import lock_holder, recorded_processes, still_running

# Enough for a cold initdb, six migrations and the 60 s readiness wait of `dev run`.
UP_TIMEOUT_S = 240.0
# The supervisor stops services (<= 15 s), NATS (<= 15 s) and PostgreSQL (<= 40 s) in turn.
DOWN_TIMEOUT_S = 90.0


def _readyz(state: dict[str, Any]) -> dict[str, int]:
    return {
        svc: http_get(f"{info['url']}/readyz", timeout=2.0)[0]
        for svc, info in (state.get("services") or {}).items()
    }


def _running_state(state_dir: Path) -> dict[str, Any] | None:
    state = read_state(state_dir)
    if state and pid_alive(state.get("pid", 0), state.get("pid_start")):
        return state
    return None


def up(
    run_args: Sequence[str] = (),
    *,
    state_dir: str | Path | None = None,
    timeout: float = UP_TIMEOUT_S,
    out: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    directory = devstack_dir(state_dir)
    holder = lock_holder(directory)
    if holder is not None:
        print(
            f"suxin dev: a dev stack is already running from {directory} (pid {holder}); "
            "see `suxin dev status`, stop it with `make down`",
            file=sys.stderr,
        )
        return 2
    log = directory / "logs" / "devstack.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1", SUXIN_DEVSTACK_DIR=str(directory))
    with open(log, "wb") as f:
        proc = subprocess.Popen(
            [sys.executable, "-m", "suxin_common.cli", "dev", "run", *run_args],
            stdin=subprocess.DEVNULL,
            stdout=f,
            stderr=subprocess.STDOUT,
            cwd=repo_root(),
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    try:
        while True:
            code = proc.poll()
            if code is not None:
                print(
                    f"suxin dev: the dev stack failed to start (exit {code}); "
                    f"last lines of {log}:\n{tail(log, 60)}",
                    file=sys.stderr,
                )
                return 1
            state = read_state(directory)
            if state and state.get("pid") == proc.pid and state.get("status") == "ready":
                answers = _readyz(state)
                if all(code == 200 for code in answers.values()):
                    print(state.get("banner", ""), file=out)
                    print(
                        f"Running in the background (pid {proc.pid}); stop it with `make down`.",
                        file=out,
                        flush=True,
                    )
                    return 0
            if time.monotonic() > deadline:
                print(
                    f"suxin dev: not ready within {timeout:.0f}s; stopping it. Last lines of "
                    f"{log}:\n{tail(log, 60)}",
                    file=sys.stderr,
                )
                _terminate(proc.pid, None, leader=True)
                return 1
            time.sleep(0.2)
    except KeyboardInterrupt:
        print("suxin dev: interrupted; stopping the stack ...", file=sys.stderr)
        _terminate(proc.pid, None, leader=True)
        return 130


def _terminate(
    pid: int, start: int | None, *, leader: bool, timeout: float = DOWN_TIMEOUT_S
) -> bool:
    """SIGTERM `pid` (its whole group if it leads one), wait, SIGKILL if it lingers."""
    if not pid_alive(pid, start):
        return True
    if leader:
        signal_group(pid, signal.SIGTERM)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    if wait_gone(pid, timeout, start):
        return True
    if leader:
        signal_group(pid, signal.SIGKILL)
    else:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return wait_gone(pid, 5.0, start)


def down(*, state_dir: str | Path | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    directory = devstack_dir(state_dir)
    state = read_state(directory)
    holder = lock_holder(directory)
    if state is None and holder is None:
        print("suxin dev: no dev stack is running.", file=out)
        return 0
    state = state or {}
    pid = state.get("pid") or (holder if holder and holder > 0 else None)
    if pid and pid_alive(pid, state.get("pid_start")):
        # A detached stack (`up`) leads its own process group; a foreground one may share its
        # group with a shell or a test runner, so only the process itself is signalled then.
        leader = state.get("pgid") == pid
        print(f"suxin dev: stopping the dev stack (pid {pid}) ...", file=out, flush=True)
        _terminate(pid, state.get("pid_start"), leader=leader)
    # Whatever the supervisor could not stop (it was killed, say): stop it here.
    for name, child, start in recorded_processes(state):
        if pid_alive(child, start):
            first = signal.SIGINT if name == "postgres" else signal.SIGTERM
            signal_group(child, first)
            if not wait_gone(child, 30.0, start):
                signal_group(child, signal.SIGKILL)
                wait_gone(child, 5.0, start)
    left = still_running(state)
    if pid and pid_alive(pid, state.get("pid_start")):
        left.append(("supervisor", pid))
    if left:
        print(
            "suxin dev: could not stop: " + ", ".join(f"{n} (pid {p})" for n, p in left),
            file=sys.stderr,
        )
        return 1
    if lock_holder(directory) is None:
        with contextlib.suppress(OSError):
            (directory / "state.json").unlink()
    print("suxin dev: stopped; nothing is left running.", file=out)
    return 0


def status(*, state_dir: str | Path | None = None, out: TextIO | None = None) -> int:
    """0 if running and every service is ready, 1 if running but not all ready, 3 if stopped."""
    out = out or sys.stdout
    directory = devstack_dir(state_dir)
    state = _running_state(directory)
    if state is None:
        print("suxin dev: not running.", file=out)
        return 3
    print(f"dev stack: {state.get('status')} (pid {state['pid']}, dir {directory})", file=out)
    pg, nats = state.get("postgres") or {}, state.get("nats") or {}
    print(
        f"  postgresql  {pg.get('admin_url')}  ({'embedded' if pg.get('embedded') else 'given'})",
        file=out,
    )
    print(
        f"  nats        {nats.get('url')}  ({'embedded' if nats.get('embedded') else 'given'})",
        file=out,
    )
    answers = _readyz(state)
    for svc, info in (state.get("services") or {}).items():
        code = answers.get(svc, 0)
        verdict = "ready" if code == 200 else (f"HTTP {code}" if code else "no answer")
        print(f"  {svc:<20}{info['url']:<24}{verdict}", file=out)
    return 0 if answers and all(c == 200 for c in answers.values()) else 1
