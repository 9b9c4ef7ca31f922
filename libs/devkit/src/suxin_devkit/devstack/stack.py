"""The whole local stack in one process tree: `suxin dev run` (`make run`).

PostgreSQL and NATS are embedded unless ``DATABASE_URL`` (a server URL; the stack creates one
database ``suxin_<svc>`` per service on it) or ``NATS_URL`` are given. Then each service is
migrated and started as ``python -m uvicorn --factory <svc>.app:create_app``, the stack waits
until every ``GET /readyz`` answers 200, loads the demo data and prints the URLs.

Everything lives in ``.devstack/`` at the repository root (``$SUXIN_DEVSTACK_DIR`` overrides):
``pg/`` (cluster), ``nats/`` (JetStream store), ``logs/<name>.log``, ``state.json`` (what runs,
for ``suxin dev status|down``) and ``run.lock`` (one stack per checkout).

Stopping (Ctrl-C, SIGTERM, SIGHUP, or any failure) stops what was started, in order: services
(SIGTERM, SIGKILL after 10 s), then NATS, then PostgreSQL (fast shutdown).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import fcntl
import importlib.util
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from suxin_common.localstack import devstack_dir, read_state
from suxin_devkit.devstack import stack_state
from suxin_devkit.devstack._proc import (
    free_port,
    http_get,
    port_is_free,
    spawn,
    stop_process,
    tail,
)
from suxin_devkit.devstack.nats import EmbeddedNats, NatsError
from suxin_devkit.devstack.postgres import EmbeddedPostgres, PostgresError
from suxin_devkit.devstack.stack_state import lock_holder

SERVICES: tuple[str, ...] = (
    "job_matching",
    "gig_market",
    "injury_insurance",
    "training_vouchers",
    "talent_card",
    "employment_monitor",
    "data_exchange",
    "partners",
    "staff_workbench",
)
DEV_BASE_PORT = 8101
# The development OpenID provider (suxin_devkit.oidc) listens on the port after the staff
# workbench's (8110 by default), unless OIDC_ISSUER names a real identity provider.
OIDC_PROVIDER = stack_state.OIDC_PROVIDER
SERVICE_STOP_TIMEOUT_S = 10.0


class StackError(RuntimeError):
    """The stack could not start (the message says why, with a log tail where useful)."""


class StackAlreadyRunning(StackError):
    pass


class StackInterrupted(BaseException):
    """Raised in the main thread by SIGINT/SIGTERM/SIGHUP while the stack runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


# --------------------------------------------------------------------------------------------
# locations


def default_ports(base_port: int = DEV_BASE_PORT, services: Iterable[str] = SERVICES) -> dict:
    """Service -> port: the dev ports 8101..8107 in the order of SERVICES, from `base_port`."""
    wanted = set(services)
    return {svc: base_port + i for i, svc in enumerate(SERVICES) if svc in wanted} | {
        svc: base_port + len(SERVICES) + i for i, svc in enumerate(sorted(wanted - set(SERVICES)))
    }


def _run_async(coro: Any) -> Any:
    """Run `coro` on a private loop (no asyncio.run: it would reset the thread's loop)."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


# --------------------------------------------------------------------------------------------
# the stack


class Stack:
    """PostgreSQL + NATS (embedded unless URLs are given), migrations, services, demo data.

    ``start()`` returns once every service answers ``/readyz`` (or raises :class:`StackError`
    after stopping whatever it had started); ``stop()`` stops everything, idempotently;
    ``run()`` is the foreground command: start, print, supervise, stop on a signal.
    """

    def __init__(
        self,
        state_dir: str | Path | None = None,
        *,
        services: Mapping[str, int] | None = None,
        database_url: str | None = None,
        nats_url: str | None = None,
        ready_timeout: float = 60.0,
        load_demo: bool = True,
        extra_env: Mapping[str, str] | None = None,
        out: TextIO | None = None,
    ) -> None:
        self.dir = devstack_dir(state_dir)
        self.log_dir = self.dir / "logs"
        self.services: dict[str, int] = dict(services) if services else default_ports()
        self.given_database_url = database_url or os.environ.get("DATABASE_URL") or None
        self.given_nats_url = nats_url or os.environ.get("NATS_URL") or None
        self.ready_timeout = ready_timeout
        self.load_demo = load_demo
        self.extra_env = dict(extra_env or {})
        self.out = out or sys.stdout

        self.postgres: EmbeddedPostgres | None = None
        self.nats: EmbeddedNats | None = None
        self.admin_database_url: str | None = None
        self.nats_url: str | None = None
        self.database_urls: dict[str, str] = {}  # the runtime role's, per service
        self.databases: dict = {}  # service -> suxin_common.dbroles.ServiceDatabase
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        workbench = self.services.get("staff_workbench")
        self.oidc_port: int | None = None
        if workbench is not None and not os.environ.get("OIDC_ISSUER"):
            # 8110 beside the workbench's 8109 on the dev ports; any free port otherwise.
            self.oidc_port = workbench + 1 if workbench == DEV_BASE_PORT + 8 else free_port()
        self.demo_text = ""
        self.banner = ""
        self._lock_fd: int | None = None
        self._stopped = True

    # -- public -------------------------------------------------------------------------------

    @property
    def urls(self) -> dict[str, str]:
        return {svc: f"http://127.0.0.1:{port}" for svc, port in self.services.items()}

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._acquire_lock()
        self._stopped = False
        atexit.register(self.stop)
        try:
            self._write_state("starting")
            self._preflight()
            self._start_infra()
            self._migrate()
            t0 = time.monotonic()
            self._start_services()
            self._wait_ready()
            self._print(
                f"services    {len(self.services)} ready in {time.monotonic() - t0:.1f}s "
                "(GET /readyz answered 200)"
            )
            self._write_state("loading demo data")
            self._demo()
            self.banner = self._banner()
            self._write_state("ready")
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop services (SIGTERM, SIGKILL after 10 s), then NATS, then PostgreSQL."""
        if self._stopped:
            return
        self._stopped = True
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)
        procs, self.procs = self.procs, {}
        for proc in procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + SERVICE_STOP_TIMEOUT_S
        for proc in procs.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        for proc in procs.values():
            stop_process(proc, ((signal.SIGKILL, 5.0),))
        if self.nats is not None:
            self.nats.stop()
            self.nats = None
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                (self.dir / "state.json").unlink()
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    def run(self) -> int:
        """Foreground: start, print the URLs, supervise until a signal; 0 on a clean stop."""
        previous = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}

        def interrupt(signum: int, frame: object) -> None:
            raise StackInterrupted(signum)

        for sig in previous:
            signal.signal(sig, interrupt)
        code = 0
        try:
            try:
                self.start()
            except StackAlreadyRunning as e:
                print(f"suxin dev: {e}", file=sys.stderr)
                return 2
            except (StackError, PostgresError, NatsError) as e:
                print(f"suxin dev: could not start the stack: {e}", file=sys.stderr)
                return 1
            except Exception as e:  # unexpected: show where
                traceback.print_exc()
                print(f"suxin dev: could not start the stack: {e!r}", file=sys.stderr)
                return 1
            self._print(self.banner)
            self._print("Press Ctrl-C to stop.")
            code = self._supervise()
        except StackInterrupted as e:
            self._print(f"\nsuxin dev: {e} received, stopping ...")
        finally:

            def patience(signum: int, frame: object) -> None:
                print("suxin dev: still stopping, please wait ...", file=sys.stderr)

            for sig in previous:
                signal.signal(sig, patience)
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self._print("suxin dev: stopped.")
        return code

    # -- steps --------------------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        fd = os.open(self.dir / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = lock_holder(self.dir)
            state = read_state(self.dir) or {}
            raise StackAlreadyRunning(
                f"a dev stack is already running from {stack_state.rel(self.dir)} "
                f"(pid {holder if holder and holder > 0 else '?'}, {state.get('status', '?')}); "
                "stop it with `make down` (or `suxin dev down`)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _preflight(self) -> None:
        from suxin_common.migrate import MigrationsNotFound, migrations_dir

        problems = []
        for svc, port in self.services.items():
            try:
                migrations_dir(svc)
            except MigrationsNotFound as e:
                problems.append(str(e))
            try:
                has_app = importlib.util.find_spec(f"{svc}.app") is not None
            except (ImportError, ValueError):
                has_app = False
            if not has_app:
                problems.append(f"{svc}: no module {svc}.app (it must define create_app())")
            if not port_is_free(port):
                problems.append(
                    f"{svc}: port {port} on 127.0.0.1 is already in use "
                    "(stop what uses it, or use --base-port)"
                )
        if problems:
            raise StackError(
                "the services are not ready to run:\n"
                + "\n".join(f"  - {p}" for p in problems)
                + "\n(start a subset with `suxin dev run --only <svc>`)"
            )

    def _start_infra(self) -> None:
        if self.given_nats_url:
            self.nats_url = self.given_nats_url
        else:
            # One NATS user per service, limited to its own subjects (suxin_common.natsauth).
            self.nats = EmbeddedNats(
                self.dir / "nats", log_file=self.log_dir / "nats.log", services=self.services
            )
            self.nats.launch()  # becomes ready while PostgreSQL starts
        if self.given_database_url:
            self.admin_database_url = self.given_database_url
        else:
            t0 = time.monotonic()
            self.postgres = EmbeddedPostgres(
                self.dir / "pg", log_file=self.log_dir / "postgres.log"
            ).start()
            self.admin_database_url = self.postgres.admin_url
            how = "initialised and started" if self.postgres.initialised_now else "started"
            user = f", as OS user {self.postgres.os_user}" if self.postgres.os_user else ""
            self._print(
                f"PostgreSQL  {self.admin_database_url}  "
                f"({how} in {time.monotonic() - t0:.1f}s{user})"
            )
        if self.nats is not None:
            try:
                self.nats.wait_ready()
            except BaseException:
                self.nats.stop()
                raise
            self.nats_url = self.nats.url
            self._print(
                f"NATS        {self.nats_url}  (JetStream, monitor {self.nats.monitor_url})"
            )
        self._write_state("starting")

    def _migrate(self) -> None:
        """Per service: its owner and runtime roles and database ``suxin_<svc>``
        (suxin_common.dbroles), migrated as the owner; the service runs as the runtime role."""
        from suxin_common.dbroles import provision
        from suxin_common.migrate import upgrade

        assert self.admin_database_url is not None

        async def create_all() -> dict:
            return {
                svc: await provision(self.admin_database_url, svc, f"suxin_{svc}")
                for svc in self.services
            }

        try:
            self.databases = _run_async(create_all())
            self.database_urls = {svc: db.runtime_url for svc, db in self.databases.items()}
        except Exception as e:
            from sqlalchemy.engine import make_url

            where = make_url(self.admin_database_url).render_as_string(hide_password=True)
            given = " (from DATABASE_URL)" if self.given_database_url else ""
            raise StackError(
                f"could not create the service databases on {where}{given}: {e!r}"
            ) from e
        for svc, db in self.databases.items():
            t0 = time.monotonic()
            try:
                upgrade(svc, db.owner_url)
            except Exception as e:
                raise StackError(
                    f"migrating {svc} failed: {type(e).__name__}: {e}\n"
                    + "".join(traceback.format_exception(e)[-8:])
                ) from e
            self._print(f"migrated    {svc} ({time.monotonic() - t0:.1f}s)")

    def _service_env(self, svc: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.extra_env)
        env.update(
            DATABASE_URL=self.database_urls[svc],
            NATS_URL=self.service_nats_url(svc),
            SERVICE_NAME=svc.replace("_", "-"),
            ENVIRONMENT="development",
            PYTHONUNBUFFERED="1",
        )
        if svc == "data_exchange":
            # Batch files wait in the spool; the sharing platform's drop folder is the inbox.
            env.setdefault("SPOOL_DIR", str(self.dir / "data-exchange" / "spool"))
            env.setdefault("INBOX_DIR", str(self.inbox_dir))
        issuer = self.oidc_issuer
        if issuer:
            # Staff sign in at the identity provider: every service accepts its tokens.
            env.setdefault("AUTH_EXTRA_ISSUERS", issuer)
        if svc == "staff_workbench":
            env.setdefault("PUBLIC_URL", self.urls[svc])
            if issuer:
                env.setdefault("OIDC_ISSUER", issuer)
            for other in (
                "training_vouchers",
                "injury_insurance",
                "data_exchange",
                "job_matching",
                "employment_monitor",
            ):
                if other in self.services:
                    env.setdefault(f"{other.upper()}_URL", self.urls[other])
        jwks = [f"{issuer}/jwks.json"] if issuer else []
        partners = self.services.get("partners")
        if partners is not None:
            jwks.insert(0, f"http://127.0.0.1:{partners}/.well-known/jwks.json")
        if jwks:
            env.setdefault("AUTH_JWKS_URL", ",".join(jwks))
        if partners is not None:
            # Partner tokens come from the partners service's token endpoint; every service
            # trusts its JWKS beside the development secret.
            if svc == "partners":
                env.setdefault("TOKEN_ENDPOINT_URL", f"http://127.0.0.1:{partners}/oauth2/token")
        return env

    def service_nats_url(self, svc: str) -> str:
        """`svc`'s NATS URL: its own user on the embedded server; NATS_URL as given otherwise."""
        if self.nats is not None:
            return self.nats.url_for(svc)
        return self.nats_url or ""

    @property
    def oidc_issuer(self) -> str | None:
        """The staff identity provider: the development one this stack starts, or OIDC_ISSUER."""
        if self.oidc_port is not None:
            return f"http://127.0.0.1:{self.oidc_port}"
        return os.environ.get("OIDC_ISSUER") or None

    def _start_oidc_provider(self) -> None:
        if self.oidc_port is None:
            return
        argv = [sys.executable, "-m", "uvicorn", "--factory"]
        argv += ["suxin_devkit.oidc.provider:create_app", "--host", "127.0.0.1"]
        argv += ["--port", str(self.oidc_port)]
        env = dict(os.environ)
        env.update(self.extra_env)
        env["OIDC_DEV_ISSUER"] = f"http://127.0.0.1:{self.oidc_port}"
        env["OIDC_DEV_CLIENTS"] = f"staff-workbench={self.urls['staff_workbench']}/auth/callback"
        log = self.log_dir / f"{OIDC_PROVIDER}.log"
        self.procs[OIDC_PROVIDER] = spawn(argv, log_file=log, env=env)

    @property
    def inbox_dir(self) -> Path:
        """data-exchange's inbox directory (交换目录) in this stack."""
        return self.dir / "data-exchange" / "inbox"

    def _start_services(self) -> None:
        self._start_oidc_provider()
        for svc, port in self.services.items():
            argv = [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                f"{svc}.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ]
            log = self.log_dir / f"{svc}.log"
            with open(log, "ab") as f:
                f.write(f"\n--- {datetime.now(UTC).isoformat()} {' '.join(argv)}\n".encode())
            self.procs[svc] = spawn(argv, log_file=log, env=self._service_env(svc))
        self._write_state("starting")

    def _wait_ready(self) -> None:
        pending = dict(self.services)
        if self.oidc_port is not None:
            pending[OIDC_PROVIDER] = self.oidc_port
        deadline = time.monotonic() + self.ready_timeout
        while pending:
            for svc in list(pending):
                proc = self.procs[svc]
                if proc.poll() is not None:
                    raise StackError(self._died(svc, proc.returncode, "during start-up"))
                probe = f"{self.oidc_issuer}/livez" if svc == OIDC_PROVIDER else None
                status, _ = http_get(probe or f"{self.urls[svc]}/readyz", timeout=2.0)
                if status == 200:
                    del pending[svc]
            if not pending:
                return
            if time.monotonic() > deadline:
                details = []
                for svc in pending:
                    if svc == OIDC_PROVIDER:
                        details.append(f"{svc}: no answer at {self.oidc_issuer}/livez")
                        continue
                    status, body = http_get(f"{self.urls[svc]}/readyz", timeout=2.0)
                    answer = (
                        f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}"
                        if status
                        else "no answer"
                    )
                    log = self.log_dir / f"{svc}.log"
                    details.append(
                        f"{svc}: GET {self.urls[svc]}/readyz -> {answer}; last lines of "
                        f"{stack_state.rel(log)}:\n{tail(log, 30)}"
                    )
                raise StackError(
                    f"not ready within {self.ready_timeout:.0f}s:\n" + "\n\n".join(details)
                )
            time.sleep(0.2)

    def _demo(self) -> None:
        if not self.load_demo:
            return
        if set(self.services) != set(SERVICES):
            self.demo_text = "(demo data not loaded: only some services run)"
            return
        from suxin_devkit.devstack.demo import load_demo_data

        try:
            self.demo_text = load_demo_data(dict(self.urls), self.nats_url) or ""
        except Exception:
            self.demo_text = "WARNING: loading the demo data failed:\n" + traceback.format_exc()
            print(self.demo_text, file=sys.stderr)

    def _supervise(self) -> int:
        while True:
            for svc, proc in self.procs.items():
                if proc.poll() is not None:
                    print(f"suxin dev: {self._died(svc, proc.returncode, '')}", file=sys.stderr)
                    return 1
            for name, infra in (("NATS", self.nats), ("PostgreSQL", self.postgres)):
                if infra is not None and not infra.running:
                    print(
                        f"suxin dev: {name} exited unexpectedly; last lines of "
                        f"{stack_state.rel(infra.log_file)}:\n{tail(infra.log_file)}",
                        file=sys.stderr,
                    )
                    return 1
            time.sleep(0.5)

    # -- output and state ---------------------------------------------------------------------

    def _died(self, svc: str, code: int | None, when: str) -> str:
        log = self.log_dir / f"{svc}.log"
        return (
            f"{svc} exited with code {code} {when}".rstrip()
            + f"; last lines of {stack_state.rel(log)}:\n{tail(log, 40)}"
        )

    def _banner(self) -> str:
        return stack_state.banner(self)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _write_state(self, status: str) -> None:
        stack_state.write_state(self, status)
