"""Real PostgreSQL and NATS for the test suite (used by the repository's root conftest.py).

Each of the two is chosen on its own, in this order:

1. ``TEST_DATABASE_URL`` / ``TEST_NATS_URL``: servers someone already runs (``TEST_NATS_URL``
   only without parallel pytest-xdist workers: each worker needs a NATS server of its own);
2. testcontainers, if a Docker engine answers within ~1.5 s (``DOCKER_HOST`` or the usual
   sockets); if starting the container fails, the embedded one is used instead, with a warning;
3. the embedded devstack (:class:`EmbeddedPostgres` / :class:`EmbeddedNats` in a temporary
   directory, stopped at the end of the session).

``SUXIN_TEST_INFRA=embedded|docker`` forces the choice for whatever has no URL.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from suxin_common.dbroles import ServiceDatabase
from suxin_devkit.devstack._proc import private_tmpdir
from suxin_devkit.devstack.postgres import create_database

PG_IMAGE = os.environ.get("SUXIN_TEST_PG_IMAGE", "postgres:16-alpine")
NATS_IMAGE = os.environ.get("SUXIN_TEST_NATS_IMAGE", "nats:2.10-alpine")


# --------------------------------------------------------------------------------------------
# choosing


def _ping_unix(path: str, timeout: float) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(path)
            s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            return b" 200 " in s.recv(64)
    except OSError:
        return False


def _ping_tcp(host: str, port: int, timeout: float, tls: bool) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            if tls:  # a TLS endpoint that accepts connections is taken as a live engine
                return True
            s.settimeout(timeout)
            s.sendall(f"GET /_ping HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            return b" 200 " in s.recv(64)
    except OSError:
        return False


def docker_engine(timeout: float = 1.5) -> str | None:
    """The address of a Docker engine that answers /_ping now, else None. Sets DOCKER_HOST when
    the engine was found on a socket the Docker client would not look at by itself."""
    host = os.environ.get("DOCKER_HOST")
    if host:
        parsed = urlparse(host)
        if parsed.scheme == "unix":
            return host if _ping_unix(parsed.path, timeout) else None
        if parsed.scheme in ("tcp", "http", "https") and parsed.hostname:
            tls = parsed.scheme == "https" or bool(os.environ.get("DOCKER_TLS_VERIFY"))
            port = parsed.port or (2376 if tls else 2375)
            return host if _ping_tcp(parsed.hostname, port, timeout, tls) else None
        return None
    candidates = ["/var/run/docker.sock"]
    if os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(os.path.join(os.environ["XDG_RUNTIME_DIR"], "docker.sock"))
    candidates.append(os.path.expanduser("~/.docker/run/docker.sock"))
    for path in candidates:
        if os.path.exists(path) and _ping_unix(path, timeout):
            if path != "/var/run/docker.sock":
                os.environ["DOCKER_HOST"] = f"unix://{path}"
            return f"unix://{path}"
    return None


@dataclass
class Choice:
    postgres: str  # "env" | "docker" | "embedded"
    nats: str
    reason: str

    def describe(self) -> str:
        return f"PostgreSQL={self.postgres}, NATS={self.nats} ({self.reason})"


def parallel_workers() -> int:
    """How many pytest-xdist workers this session is one of (1: not under xdist)."""
    count = os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
    return int(count) if count.isdigit() else 1


def choose() -> Choice:
    have_pg = bool(os.environ.get("TEST_DATABASE_URL"))
    # Tests start from empty streams (suxin_devkit.testing.fresh_streams): parallel workers
    # cannot share one NATS server, so each starts its own (PostgreSQL is shared safely: every
    # test makes databases of its own, and roles are created under an advisory lock).
    have_nats = bool(os.environ.get("TEST_NATS_URL")) and parallel_workers() == 1
    forced = os.environ.get("SUXIN_TEST_INFRA", "").strip().lower()
    if have_pg and have_nats:
        return Choice("env", "env", "TEST_DATABASE_URL and TEST_NATS_URL are set")
    if forced in ("embedded", "docker"):
        fallback, reason = forced, f"SUXIN_TEST_INFRA={forced}"
    else:
        engine = docker_engine()
        if engine:
            fallback, reason = "docker", f"Docker engine at {engine}"
        else:
            fallback = "embedded"
            where = os.environ.get("DOCKER_HOST") or "/var/run/docker.sock"
            reason = f"no Docker engine answered at {where}"
    return Choice("env" if have_pg else fallback, "env" if have_nats else fallback, reason)


# --------------------------------------------------------------------------------------------
# running


_NAME_RE = re.compile(r"[^a-z0-9_]+")


@dataclass
class TestInfra:
    """What the `infra` fixture gives: server URLs and fresh databases."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    admin_database_url: str
    nats_url: str
    description: str
    # NATS users of the embedded server (service -> password); empty: no per-service users.
    nats_users: dict = field(default_factory=dict)
    _closers: list = field(default_factory=list, repr=False)
    # service -> its migrated template database (service_database)
    _templates: dict = field(default_factory=dict, repr=False)

    async def create_database(self, name: str = "test") -> str:
        """A new, empty database named `name` plus a random suffix; returns its asyncpg URL
        (the administrator's: superuser). Services' databases: :meth:`service_database`."""
        base = _NAME_RE.sub("_", name.lower()).strip("_")[:50] or "test"
        return await create_database(self.admin_database_url, f"{base}_{secrets.token_hex(4)}")

    async def service_database(
        self, service: str, name: str | None = None, *, migrate: bool = True, clone: bool = True
    ) -> ServiceDatabase:
        """A new database for `service` as production has it: owned by ``<svc>_owner``, migrated
        by that role (unless ``migrate=False``), with the runtime role ``<svc>_app`` granted
        DML only. ``.runtime_url`` is what the service connects with, ``.owner_url`` runs
        migrations, ``.admin_url`` (superuser) is for tests that tamper on purpose.

        A migrated database is a copy (``CREATE DATABASE ... TEMPLATE``) of one that was
        migrated once per session and never connected to since, then given the runtime role's
        database-level rights (``grant_runtime``, as the migration ends): the same tables,
        rows, owners and grants, at a fifth of the cost of running every migration for every
        test. ``clone=False`` runs the migrations on the new database itself."""
        from suxin_common.dbroles import provision
        from suxin_common.migrate import upgrade_async

        base = _NAME_RE.sub("_", (name or service).lower()).strip("_")[:50] or "test"
        database = f"{base}_{secrets.token_hex(4)}"
        if migrate and clone:
            template = await self._migrated_template(service)
            return await _clone_service_database(self.admin_database_url, template, database)
        db = await provision(self.admin_database_url, service, database)
        if migrate:
            await upgrade_async(service, db.owner_url)
        return db

    async def drop_database(self, database: str) -> None:
        """Drop `database`, ending whatever connections it still has: fixtures drop a test's
        databases once it is done, so that a session keeps a few dozen, not a thousand."""
        import asyncpg

        from suxin_common.db import asyncpg_dsn

        conn = await asyncpg.connect(asyncpg_dsn(self.admin_database_url))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        finally:
            await conn.close()

    async def _migrated_template(self, service: str) -> ServiceDatabase:
        """`service`'s database migrated to head, made once per session (no lock: two callers
        racing would each make one, and the second is used from then on)."""
        key = service.strip().replace("-", "_")
        if key not in self._templates:
            db = await self.service_database(service, f"tpl_{key}", clone=False)
            self._templates[key] = db
        return self._templates[key]

    def nats_url_for(self, service: str) -> str:
        """The NATS URL with `service`'s own user (publish/subscribe limited to its subjects),
        when the test NATS is embedded; the shared URL otherwise (TEST_NATS_URL, Docker)."""
        from suxin_common.natsauth import service_user_url

        if not self.nats_users:
            return self.nats_url
        return service_user_url(self.nats_url, service, self.nats_users)

    def close(self) -> None:
        while self._closers:
            closer = self._closers.pop()
            with contextlib.suppress(Exception):
                closer()


async def _clone_service_database(
    admin_url: str, template: ServiceDatabase, database: str
) -> ServiceDatabase:
    """A copy of `template` named `database`, owned by the service's owner role, with the
    runtime role's rights on it (the per-database part of them is not copied by PostgreSQL)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from suxin_common.db import asyncpg_dsn
    from suxin_common.dbroles import grant_runtime, with_login

    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        await conn.execute(
            f'CREATE DATABASE "{database}" TEMPLATE "{template.database}" OWNER "{template.owner}"'
        )
    finally:
        await conn.close()
    owner_url = with_login(admin_url, template.owner, database=database)
    await grant_runtime(owner_url, template.service)
    return ServiceDatabase(
        service=template.service,
        database=database,
        admin_url=make_url(admin_url)
        .set(drivername="postgresql+asyncpg", database=database)
        .render_as_string(hide_password=False),
        owner_url=owner_url,
        runtime_url=with_login(admin_url, template.runtime, database=database),
    )


def _start_docker_postgres(infra: TestInfra) -> str:
    try:
        from testcontainers.community.postgres import PostgresContainer
    except ImportError:  # older testcontainers
        from testcontainers.postgres import PostgresContainer

    container = PostgresContainer(
        PG_IMAGE, username="postgres", password="postgres", dbname="postgres", driver="asyncpg"
    ).with_command(
        "postgres -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        "-c max_connections=300 -c shared_buffers=128MB"
    )
    container.start()
    infra._closers.append(container.stop)
    return container.get_connection_url()


def _start_docker_nats(infra: TestInfra) -> str:
    try:
        from testcontainers.community.nats import NatsContainer
    except ImportError:  # older testcontainers
        from testcontainers.nats import NatsContainer

    container = NatsContainer(NATS_IMAGE).with_command("-js -m 8222")
    container.start()
    infra._closers.append(container.stop)
    return container.nats_uri()


RAM_DIR = Path("/dev/shm")
RAM_DIR_MIN_FREE = 2 << 30  # bytes


def scratch_root() -> str | None:
    """Where the embedded servers of a test session keep their data: ``SUXIN_TEST_TMPDIR`` if
    set; else /dev/shm when it is RAM-backed (tmpfs) with at least 2 GiB free; else the system's
    temporary directory (None). A run makes a thousand databases of ~8 MB; on a disk mounted
    with online discard, removing their files once written back cost minutes (the embedded
    PostgreSQL runs with fsync off: nothing of it is meant to survive the session anyway)."""
    chosen = os.environ.get("SUXIN_TEST_TMPDIR")
    if chosen:
        return chosen
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
        stat = os.statvfs(RAM_DIR)
    except OSError:
        return None
    tmpfs = any(line.split()[1:3] == [str(RAM_DIR), "tmpfs"] for line in mounts)
    roomy = stat.f_bavail * stat.f_frsize >= RAM_DIR_MIN_FREE
    return str(RAM_DIR) if tmpfs and roomy and os.access(RAM_DIR, os.W_OK) else None


def _remove_in_background(directory: Path) -> None:
    """Delete the session's embedded servers' files without waiting: after a whole suite the
    PostgreSQL cluster holds a database per test (hundreds of thousands of files), and deleting
    them in the test process took up to 5 minutes of the run (and once a teardown timeout).
    The servers are stopped by then (closers run in reverse order, this one last)."""
    import subprocess

    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(directory)],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        shutil.rmtree(directory, ignore_errors=True)


def start(choice: Choice | None = None) -> TestInfra:
    """Start (or connect to) PostgreSQL and NATS as `choice` says; close() stops them."""
    choice = choice or choose()
    infra = TestInfra("", "", "")
    workdir: Path | None = None
    notes = []

    def embedded_dir() -> Path:
        nonlocal workdir
        if workdir is None:
            workdir = private_tmpdir("suxin-test-", scratch_root())
            infra._closers.insert(0, lambda: _remove_in_background(workdir))
        return workdir

    try:
        pg_kind, nats_kind = choice.postgres, choice.nats
        if pg_kind == "docker":
            try:
                infra.admin_database_url = _start_docker_postgres(infra)
            except Exception as e:  # e.g. the image cannot be pulled
                warnings.warn(
                    f"PostgreSQL container failed ({e}); using the embedded one", stacklevel=1
                )
                pg_kind = "embedded"
        if nats_kind == "docker":
            try:
                infra.nats_url = _start_docker_nats(infra)
            except Exception as e:
                warnings.warn(f"NATS container failed ({e}); using the embedded one", stacklevel=1)
                nats_kind = "embedded"

        if nats_kind == "embedded":
            from suxin_devkit.devstack.nats import EmbeddedNats
            from suxin_devkit.devstack.stack import SERVICES

            # One user per service of the registry (infra.nats_url_for); nats_url is the admin.
            nats = EmbeddedNats(embedded_dir() / "nats", services=SERVICES)
            infra._closers.append(nats.stop)
            nats.start()
            infra.nats_url = nats.url
            infra.nats_users = dict(nats.passwords)
            notes.append(f"nats-server {nats.binary}")
        elif nats_kind == "env":
            infra.nats_url = os.environ["TEST_NATS_URL"]

        if pg_kind == "embedded":
            from suxin_devkit.devstack.postgres import EmbeddedPostgres

            pg = EmbeddedPostgres(embedded_dir() / "pg")
            infra._closers.append(pg.stop)
            pg.start()
            infra.admin_database_url = pg.admin_url
            notes.append(
                f"postgres {pg.bin_dir}" + (f" as OS user {pg.os_user}" if pg.os_user else "")
            )
        elif pg_kind == "env":
            infra.admin_database_url = os.environ["TEST_DATABASE_URL"]
    except BaseException:
        infra.close()
        raise
    infra.description = Choice(pg_kind, nats_kind, choice.reason).describe() + (
        "; " + ", ".join(notes) if notes else ""
    )
    return infra
