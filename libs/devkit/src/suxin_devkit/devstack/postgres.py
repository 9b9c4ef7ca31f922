"""An embedded PostgreSQL for development and tests (ARCHITECTURE.md, "devstack").

Binaries come from the `pgserver` wheel (`pgserver/pginstall/bin`), else from the system
(`/usr/lib/postgresql/<highest>/bin`); `SUXIN_PG_BIN` overrides both. The server listens on
127.0.0.1 on a free TCP port, its unix socket lives in a private temporary directory, and it is
tuned for speed, not durability (fsync off): it is for development and tests only.

PostgreSQL refuses to run as root. When we are root, the cluster is owned by, and the server
runs as, the system user `suxin-pg` (created on first use).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

from sqlalchemy.engine import make_url

from suxin_common.db import asyncpg_dsn
from suxin_devkit.devstack._proc import (
    free_port,
    pid_alive,
    spawn,
    stop_process,
    tail,
    tcp_accepts,
)
from suxin_devkit.devstack.pg_auth import write_hba

PG_OS_USER = "suxin-pg"
SUPERUSER = "postgres"

# Development and test speed over durability. Passed on the command line at every start, so a
# change here applies to existing clusters too.
DEV_SETTINGS: dict[str, str] = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "300",
    "shared_buffers": "128MB",
}


class PostgresError(RuntimeError):
    """The embedded PostgreSQL could not be found, initialised or started."""


# --------------------------------------------------------------------------------------------
# binaries


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", path.parent.name)) or (0,)


def find_pg_bin() -> Path:
    """The directory holding `initdb` and `postgres`.

    Order: `$SUXIN_PG_BIN`, the pgserver wheel's `pginstall/bin`, `/usr/lib/postgresql/*/bin`
    (highest version), then `postgres` on PATH.
    """
    override = os.environ.get("SUXIN_PG_BIN")
    if override:
        path = Path(override)
        if not (path / "postgres").exists():
            raise PostgresError(f"SUXIN_PG_BIN={override} has no `postgres` binary")
        return path
    spec = importlib.util.find_spec("pgserver")  # located, not imported (its import has effects)
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidate = Path(location) / "pginstall" / "bin"
            if (candidate / "postgres").exists() and (candidate / "initdb").exists():
                return candidate
    system = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    if system:
        return max(system, key=_version_key)
    on_path = shutil.which("postgres")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    raise PostgresError(
        "no PostgreSQL binaries found: install the `pgserver` wheel (a dependency of "
        "suxin-common, see `make venv`) or a system PostgreSQL server package, "
        "or set SUXIN_PG_BIN"
    )


def server_version(bin_dir: Path) -> str:
    """Major version of the binaries in `bin_dir`, e.g. "16"."""
    out = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if not match:
        raise PostgresError(f"cannot read the version of {bin_dir / 'postgres'}: {out!r}")
    return match.group(1)


# --------------------------------------------------------------------------------------------
# running as a non-root user when we are root


def ensure_os_user(name: str = PG_OS_USER) -> pwd.struct_passwd:
    """The system user `name`, created (no home, no login) if missing. Needs root."""
    with contextlib.suppress(KeyError):
        return pwd.getpwnam(name)
    attempts = [
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--user-group",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],
        ["adduser", "--system", "--no-create-home", "--group", name],  # Debian adduser
        ["adduser", "-S", "-D", "-H", name],  # busybox
    ]
    errors = []
    for argv in attempts:
        try:
            result = subprocess.run(argv, capture_output=True, text=True)
        except FileNotFoundError:
            continue
        with contextlib.suppress(KeyError):  # created, or created meanwhile by another process
            return pwd.getpwnam(name)
        errors.append(f"{' '.join(argv)}: {result.stderr.strip()}")
    raise PostgresError(
        f"PostgreSQL cannot run as root and the system user {name!r} could not be created: "
        + ("; ".join(errors) or "no useradd/adduser found")
    )


def _reachable_by(path: Path, uid: int, gid: int) -> bool:
    """Can `uid` traverse every directory above `path`? (mode bits; ACLs are not consulted)."""
    for parent in reversed(path.resolve().parents):
        try:
            st = parent.stat()
        except OSError:
            return False
        if st.st_uid == uid:
            bit = 0o100
        elif st.st_gid == gid:
            bit = 0o010
        else:
            bit = 0o001
        if not st.st_mode & bit:
            return False
    return True


def _usable_by(bin_dir: Path, uid: int, gid: int) -> bool:
    """Can `uid` run the binaries (and, for a relocatable install, read its share dir)?"""
    share = bin_dir.parent / "share"
    probe = share / "postgres.bki" if (share / "postgres.bki").exists() else bin_dir / "postgres"
    try:
        result = subprocess.run(
            [
                "/bin/sh",
                "-c",
                'test -r "$1" && exec "$0" --version',
                str(bin_dir / "postgres"),
                str(probe),
            ],
            capture_output=True,
            user=uid,
            group=gid,
            extra_groups=[],
            cwd="/",
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _readable_copy(bin_dir: Path) -> Path:
    """Copy the relocatable install holding `bin_dir` to a world-readable temporary place.

    For a repository (and so the venv) under a home directory the PostgreSQL user cannot enter.
    The wheel's binaries find their bundled libraries through ``$ORIGIN/../../../pgserver.libs``,
    so the copy keeps that layout: ``<copy>/pgserver/pginstall`` and ``<copy>/pgserver.libs``.
    It is keyed by source path and version, made once, and reused.
    """
    install = bin_dir.parent
    if not (install / "share").is_dir() or not (install / "lib").is_dir():
        raise PostgresError(
            f"OS user {PG_OS_USER!r} cannot run the PostgreSQL binaries in {bin_dir} and they "
            "are not a relocatable install that could be copied; make them readable"
        )
    key = hashlib.sha256(f"{install.resolve()}:{server_version(bin_dir)}".encode()).hexdigest()
    target = Path(tempfile.gettempdir()) / f"suxin-pginstall-{key[:12]}"
    copied_bin = target / install.parent.name / install.name / "bin"
    if (target / ".complete").exists():
        return copied_bin
    staging = Path(tempfile.mkdtemp(prefix="suxin-pginstall-", dir=target.parent))
    try:
        tree = staging / "t"
        shutil.copytree(install, tree / install.parent.name / install.name, symlinks=True)
        libs = install.parent.with_name(install.parent.name + ".libs")  # auditwheel's libs
        if libs.is_dir():
            shutil.copytree(libs, tree / libs.name, symlinks=True)
        for root, dirs, files in os.walk(tree):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                p = os.path.join(root, f)
                if not os.path.islink(p):
                    os.chmod(p, os.stat(p).st_mode | 0o444)
        tree.chmod(0o755)
        (tree / ".complete").touch()
        try:
            os.rename(tree, target)
        except OSError:  # another process won the race
            if not (target / ".complete").exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return copied_bin


# --------------------------------------------------------------------------------------------
# URLs and databases


def database_url(admin_url: str, name: str) -> str:
    """`admin_url` pointed at database `name`, with the asyncpg driver."""
    return (
        make_url(admin_url)
        .set(drivername="postgresql+asyncpg", database=name)
        .render_as_string(hide_password=False)
    )


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def create_database(admin_url: str, name: str) -> str:
    """Create database `name` on the server of `admin_url` unless it exists; return its URL."""
    import asyncpg

    if not name or len(name.encode()) > 63:
        raise ValueError(f"invalid database name {name!r} (1..63 bytes)")
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            try:
                await conn.execute(f"CREATE DATABASE {_quote_ident(name)}")
            except asyncpg.DuplicateDatabaseError:
                pass  # created concurrently: fine, the call is idempotent
            except asyncpg.UniqueViolationError:
                pass  # the same race, caught one step earlier in pg_database's unique index
    finally:
        await conn.close()
    return database_url(admin_url, name)


# --------------------------------------------------------------------------------------------
# the server


class EmbeddedPostgres:
    """A private PostgreSQL server on 127.0.0.1.

    ``EmbeddedPostgres(data_dir).start()`` initialises `data_dir` if it is empty (trust auth,
    UTF8, locale C, superuser ``postgres``), starts the server and waits until it accepts
    connections. Use as a context manager or call :meth:`stop`.
    """

    def __init__(
        self,
        data_dir: str | Path,
        port: int | None = None,
        *,
        log_file: str | Path | None = None,
        settings: dict[str, str] | None = None,
        bin_dir: str | Path | None = None,
        start_timeout: float = 60.0,
    ) -> None:
        self.requested_data_dir = Path(data_dir).absolute()
        self.data_dir = self.requested_data_dir
        self.requested_port = port
        self.port: int | None = port
        self.host = "127.0.0.1"
        self.log_file = (
            Path(log_file).absolute()
            if log_file
            else self.data_dir.with_name(self.data_dir.name + ".log")
        )
        self.settings = {**DEV_SETTINGS, **(settings or {})}
        self.bin_dir: Path | None = Path(bin_dir) if bin_dir else None
        self.start_timeout = start_timeout
        self.os_user: str | None = None  # the OS user the server runs as, when not ourselves
        self._uid: int | None = None
        self._gid: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._socket_dir: Path | None = None
        self.initialised_now = False  # True if start() ran initdb

    # -- public -------------------------------------------------------------------------------

    @property
    def admin_url(self) -> str:
        """``postgresql+asyncpg://postgres@127.0.0.1:<port>/postgres``."""
        return self.url("postgres")

    def url(self, database: str) -> str:
        if self.port is None or not self.running:
            raise PostgresError("the embedded PostgreSQL is not running")
        return f"postgresql+asyncpg://{SUPERUSER}@{self.host}:{self.port}/{database}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    async def create_database(self, name: str) -> str:
        """Create `name` unless it exists (idempotent); return its asyncpg URL."""
        return await create_database(self.admin_url, name)

    def start(self) -> Self:
        if self.running:
            return self
        self.initialised_now = False
        self._prepare()
        attempts = 1 if self.requested_port is not None else 3
        for attempt in range(attempts):
            self.port = self.requested_port or free_port(self.host)
            try:
                self._launch_and_wait()
                return self
            except _PortTaken:
                if attempt == attempts - 1:
                    raise PostgresError(
                        f"PostgreSQL could not bind 127.0.0.1:{self.port}; log {self.log_file}:\n"
                        + tail(self.log_file)
                    ) from None
            except BaseException:
                self.stop()
                raise
        raise AssertionError("unreachable")

    def stop(self, timeout: float = 30.0) -> None:
        """Fast shutdown (SIGINT: roll back sessions, checkpoint) and wait; escalate if stuck."""
        proc, self._proc = self._proc, None
        if proc is not None:
            stop_process(
                proc,
                ((signal.SIGINT, timeout), (signal.SIGQUIT, 5.0), (signal.SIGKILL, 5.0)),
                group=False,  # backends run in their own sessions; the postmaster stops them
            )
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = f"port={self.port}" if self.running else "stopped"
        return f"EmbeddedPostgres({str(self.data_dir)!r}, {state})"

    # -- internals ----------------------------------------------------------------------------

    def _as_user(self) -> dict:
        if self._uid is None:
            return {}
        return {"user": self._uid, "group": self._gid, "extra_groups": []}

    def _prepare(self) -> None:
        if self.bin_dir is None:
            self.bin_dir = find_pg_bin()
        if os.geteuid() == 0:
            entry = ensure_os_user(PG_OS_USER)
            self.os_user, self._uid, self._gid = entry.pw_name, entry.pw_uid, entry.pw_gid
            if not _usable_by(self.bin_dir, self._uid, self._gid):
                self.bin_dir = _readable_copy(self.bin_dir)
            if not _reachable_by(self.requested_data_dir, self._uid, self._gid):
                # e.g. a repository under a 0700 home: keep the cluster in a stable place instead
                key = hashlib.sha256(str(self.requested_data_dir).encode()).hexdigest()[:12]
                self.data_dir = Path(tempfile.gettempdir()) / f"suxin-pgdata-{key}"
                print(
                    f"devstack: {self.requested_data_dir} is not reachable by OS user "
                    f"{PG_OS_USER!r}; keeping the PostgreSQL cluster in {self.data_dir}",
                    file=sys.stderr,
                )

        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._uid is not None and self.data_dir.stat().st_uid != self._uid:
            for root, dirs, files in os.walk(self.data_dir):
                for name in (*dirs, *files):
                    os.lchown(os.path.join(root, name), self._uid, self._gid)
            os.chown(self.data_dir, self._uid, self._gid)
        self.data_dir.chmod(0o700)

        version_file = self.data_dir / "PG_VERSION"
        if version_file.exists():
            have, want = version_file.read_text().strip(), server_version(self.bin_dir)
            if have != want:
                raise PostgresError(
                    f"{self.data_dir} holds a PostgreSQL {have} cluster but the binaries in "
                    f"{self.bin_dir} are version {want}; delete the directory to start afresh"
                )
            self._refuse_if_running()
        elif any(self.data_dir.iterdir()):
            raise PostgresError(
                f"{self.data_dir} is neither empty nor a PostgreSQL data directory; "
                "refusing to initialise it"
            )
        else:
            self._initdb()
        write_hba(self.data_dir, SUPERUSER, self._uid, self._gid)

    def _refuse_if_running(self) -> None:
        pidfile = self.data_dir / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return
        if pid_alive(pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                cmdline = ""
            if "postgres" in cmdline or not cmdline:
                raise PostgresError(
                    f"a PostgreSQL server (pid {pid}) is already running on {self.data_dir}; "
                    "stop it first (`make down`, or kill that pid)"
                )

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env.update(LC_ALL="C", LANG="C")
        return env

    def _initdb(self) -> None:
        assert self.bin_dir is not None
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        argv = [
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ]
        try:
            with open(self.log_file, "ab") as log:
                result = subprocess.run(
                    argv,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env=self._env(),
                    cwd="/",
                    **self._as_user(),
                )
        except BaseException:
            # Interrupted (subprocess.run killed initdb): leave the directory empty again, as we
            # found it, so that the next start initialises it instead of refusing it.
            self._empty_data_dir()
            raise
        if result.returncode != 0:
            self._empty_data_dir()
            raise PostgresError(
                f"initdb failed (exit {result.returncode}); log {self.log_file}:\n"
                + tail(self.log_file)
            )
        self.initialised_now = True

    def _empty_data_dir(self) -> None:
        for child in self.data_dir.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    child.unlink()

    def _launch_and_wait(self) -> None:
        assert self.bin_dir is not None and self.port is not None
        _sweep_socket_dirs()
        self._socket_dir = Path(tempfile.mkdtemp(prefix=_SOCKET_PREFIX))
        if self._uid is not None:
            os.chown(self._socket_dir, self._uid, self._gid)
        argv = [
            str(self.bin_dir / "postgres"),
            "-D",
            str(self.data_dir),
            "-p",
            str(self.port),
            "-c",
            f"listen_addresses={self.host}",
            "-c",
            f"unix_socket_directories={self._socket_dir}",
        ]
        for key, value in self.settings.items():
            argv += ["-c", f"{key}={value}"]
        log_start = self.log_file.stat().st_size if self.log_file.exists() else 0
        self._proc = spawn(
            argv,
            log_file=self.log_file,
            env=self._env(),
            cwd="/",
            user=self._uid,
            group=self._gid,
            death_signal=signal.SIGINT,
        )
        deadline = time.monotonic() + self.start_timeout
        while True:
            if self._proc.poll() is not None:
                text = self._log_since(log_start)
                self._proc = None
                shutil.rmtree(self._socket_dir, ignore_errors=True)
                self._socket_dir = None
                if "could not bind" in text or "Address already in use" in text:
                    raise _PortTaken
                raise PostgresError(
                    f"PostgreSQL exited during start-up; log {self.log_file}:\n"
                    + tail(self.log_file)
                )
            if self._ready() and tcp_accepts(self.host, self.port):
                return
            if time.monotonic() > deadline:
                raise PostgresError(
                    f"PostgreSQL did not accept connections within {self.start_timeout:.0f}s; "
                    f"log {self.log_file}:\n" + tail(self.log_file)
                )
            time.sleep(0.05)

    def _ready(self) -> bool:
        """postmaster.pid's status line says "ready" once connections are accepted."""
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
        except OSError:
            return False
        return (
            len(lines) >= 8
            and lines[7].strip() == "ready"
            and lines[0].strip() == str(self._proc.pid if self._proc else "")
        )

    def _log_since(self, offset: int) -> str:
        try:
            with open(self.log_file, "rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


class _PortTaken(Exception):
    pass


_SOCKET_PREFIX = "suxin-pg-sock-"


def _sweep_socket_dirs(min_age_s: float = 300.0) -> None:
    """Remove empty socket directories left by servers whose supervisor was killed.

    A live server keeps its socket and lock file in its directory, so an empty one that is old
    enough (no server is still starting in it) is garbage.
    """
    now = time.time()
    for path in Path(tempfile.gettempdir()).glob(_SOCKET_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > min_age_s and not any(path.iterdir()):
                path.rmdir()
