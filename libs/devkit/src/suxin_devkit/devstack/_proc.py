"""Small stdlib helpers for the devstack: ports, child processes, process identity, log tails.

Every process the devstack starts runs in its own session (so a Ctrl-C in the terminal reaches
only the supervisor, which then stops things in order) and, when started from the main thread,
with a parent-death signal (so a supervisor killed with SIGKILL does not leave orphans behind).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

_PR_SET_PDEATHSIG = 1

try:  # resolved once, here, so the pre-exec hook only makes a plain C call
    _libc = ctypes.CDLL(None, use_errno=True)
    _prctl = _libc.prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):  # pragma: no cover - non-glibc oddities
    _prctl = None


_HANDED_OUT: set[int] = set()
_PORTS_LOW, _PORTS_HIGH = 20000, 32700


def _port_range() -> tuple[int, int]:
    """This process's share of the free-port range: under pytest-xdist each worker (and the
    servers it starts, which inherit PYTEST_XDIST_WORKER) draws from its own slice, so two
    workers never hand out the same port between picking it and binding it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
    if not (worker.startswith("gw") and worker[2:].isdigit() and count.isdigit()):
        return _PORTS_LOW, _PORTS_HIGH
    index, count_n = int(worker[2:]), max(int(count), 1)
    width = (_PORTS_HIGH - _PORTS_LOW) // count_n
    low = _PORTS_LOW + (index % count_n) * width
    return low, low + width - 1


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free right now, below the kernel's ephemeral range (32768-60999 on
    Linux): a port the OS picked from that range could be taken by another test's outgoing
    connection before the server binds it (seen: a workbench server failing to bind). Never
    the same port twice in one process; under pytest-xdist, from this worker's own slice."""
    low, high = _port_range()
    for _ in range(200):
        port = random.randint(low, high)
        if port in _HANDED_OUT:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
        _HANDED_OUT.add(port)
        return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Could a server listen on `port` now? (SO_REUSEADDR, as uvicorn and most servers set it,
    so connections of an earlier run lingering in TIME_WAIT do not count.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def tcp_accepts(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


# Never send requests to 127.0.0.1 through an HTTP proxy from the environment.
_no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def http_get(url: str, timeout: float = 1.0) -> tuple[int, bytes]:
    """GET without proxies; (status, body), status 0 if nothing answered."""
    try:
        with _no_proxy.open(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (OSError, ValueError):
        return 0, b""


def _preexec(sig: int) -> Callable[[], None] | None:
    """A pre-exec hook asking the kernel to send `sig` to the child when we die.

    The kernel sends it when the *thread* that forked exits, so it is only used from the main
    thread (whose end is the process's end).
    """
    if _prctl is None or threading.current_thread() is not threading.main_thread():
        return None

    def hook() -> None:
        _prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)

    return hook


def spawn(
    argv: Sequence[str],
    *,
    log_file: Path,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    user: int | None = None,
    group: int | None = None,
    death_signal: int = signal.SIGTERM,
) -> subprocess.Popen[bytes]:
    """Start `argv` in a new session, output appended to `log_file`, stdin from /dev/null."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as log:
        kwargs: dict = {}
        if user is not None:
            kwargs.update(user=user, group=group, extra_groups=[])
        return subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=str(cwd) if cwd is not None else None,
            start_new_session=True,
            preexec_fn=_preexec(death_signal),
            **kwargs,
        )


def proc_start_time(pid: int) -> int | None:
    """Start time of `pid` in clock ticks since boot (None if gone): with the pid, an identity
    that survives pid reuse."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    if fields[0] == "Z":  # a zombie is as good as gone
        return None
    return int(fields[19])


def pid_alive(pid: int, start_time: int | None = None) -> bool:
    """True if `pid` runs (and, if given, is still the process that started at `start_time`)."""
    if pid <= 0:
        return False
    if Path("/proc").is_dir():
        st = proc_start_time(pid)
        return st is not None and (start_time is None or st == start_time)
    try:  # pragma: no cover - systems without /proc
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def proc_uid(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def signal_group(pid: int, sig: int) -> None:
    """Send `sig` to the process group led by `pid` (falls back to the pid alone)."""
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    except PermissionError:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def wait_gone(pid: int, timeout: float, start_time: int | None = None) -> bool:
    """Wait until `pid` is gone (reaping it if it is our child). True if it is gone."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)
        if not pid_alive(pid, start_time):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def stop_process(
    proc: subprocess.Popen[bytes],
    steps: Sequence[tuple[int, float]] = ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)),
    *,
    group: bool = True,
) -> bool:
    """Stop a child we started: each (signal, seconds to wait) in turn. True if it is gone."""
    for sig, wait_s in steps:
        if proc.poll() is not None:
            break
        if group:
            signal_group(proc.pid, sig)
        else:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            continue
    if group:  # sweep anything the child left in its group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.poll() is not None


def tail(path: Path, lines: int = 40) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            data = f.read().decode("utf-8", "replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(data.splitlines()[-lines:])


def private_tmpdir(prefix: str, dir: str | Path | None = None) -> Path:
    """A new temporary directory (below `dir`, else the system's temporary directory) others
    cannot list but can traverse (0711).

    Traversable so that the OS user PostgreSQL runs as (when we are root) can reach a data
    directory below it; not listable, so nobody else sees what is inside.
    """
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=dir))
    path.chmod(0o711)
    return path
