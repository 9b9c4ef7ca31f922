"""Alembic migrations, run programmatically (ARCHITECTURE.md: each service has `migrations/`).

Every service's ``migrations/env.py`` is two lines::

    from suxin_common.migrate import run_migrations_env
    from <svc>.adapters.tables import metadata
    run_migrations_env(metadata, version_table="<svc>_alembic_version")

and ``upgrade("<svc>", database_url)`` (or ``suxin migrate <svc>``) brings a database to head.
It then runs the kit's own stream (``suxin_common/migrations``: audit log, idempotency keys;
version table ``alembic_version_suxin_kit``) on the same database, so kit-owned tables reach
every service database without touching the services' migration chains.
No alembic.ini is needed: the script location is found from the service package
(``services/<svc>/src/<svc>/__init__.py`` -> ``services/<svc>/migrations``).

alembic runs env.py synchronously and env.py drives an async engine on an event loop of its own,
so :func:`upgrade` is for synchronous callers; code already inside an event loop awaits
:func:`upgrade_async`, which runs it in a worker thread.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

KIT_VERSION_TABLE = "alembic_version_suxin_kit"
KIT_SERVICE_NAME = "suxin_kit"


class MigrationsNotFound(LookupError):
    """The service package or its `migrations/` directory could not be found."""


def normalise_service(service: str) -> str:
    """`job-matching` -> `job_matching` (the package name)."""
    return service.strip().replace("-", "_")


def migrations_dir(service: str) -> Path:
    """``<repo>/services/<svc>/migrations``, found from the service package's location."""
    package = normalise_service(service)
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise MigrationsNotFound(f"no importable package {package!r} (is it in the workspace?)")
    if spec.origin and spec.origin not in ("namespace", "built-in"):
        package_dir = Path(spec.origin).resolve().parent
    elif spec.submodule_search_locations:
        package_dir = Path(next(iter(spec.submodule_search_locations))).resolve()
    else:
        raise MigrationsNotFound(f"cannot locate package {package!r} on disk")
    # services/<svc>/src/<svc> -> services/<svc>
    path = package_dir.parent.parent / "migrations"
    if not (path / "env.py").is_file():
        raise MigrationsNotFound(
            f"{package}: no alembic environment at {path}/env.py "
            "(every service keeps its migrations in services/<svc>/migrations)"
        )
    return path


def kit_migrations_dir() -> Path:
    """The kit's own alembic stream (``suxin_common/migrations``)."""
    return Path(__file__).resolve().parent / "migrations"


def kit_alembic_config(database_url: str):
    """An alembic config for the kit's stream on a service database."""
    return alembic_config(KIT_SERVICE_NAME, database_url, script_location=kit_migrations_dir())


def to_async_url(url: str) -> str:
    """A PostgreSQL URL with the asyncpg driver (other drivers are left alone)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2", "postgresql+psycopg"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def alembic_config(service: str, database_url: str, *, script_location: str | Path | None = None):
    """An in-memory `alembic.config.Config` for `service` against `database_url`."""
    from alembic.config import Config

    location = Path(script_location) if script_location else migrations_dir(service)
    cfg = Config()
    cfg.set_main_option("script_location", str(location))
    cfg.set_main_option("path_separator", "os")
    # ConfigParser interpolation: a literal % (percent-encoded passwords) must be doubled.
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["service"] = normalise_service(service)
    return cfg


def upgrade(
    service: str,
    database_url: str,
    revision: str = "head",
    *,
    script_location: str | Path | None = None,
    kit: bool = True,
    grant: bool = True,
) -> None:
    """`alembic upgrade <revision>` for `service` on `database_url` (synchronous), then the
    kit's stream to its head (unless ``kit=False``), then the runtime role's rights on every
    table (``suxin_common.dbroles.grant_runtime``; when that role exists, unless
    ``grant=False``). Run it as the service's owner (migration) role."""
    from alembic import command

    command.upgrade(
        alembic_config(service, database_url, script_location=script_location), revision
    )
    if kit:
        command.upgrade(kit_alembic_config(database_url), "head")
    if grant:
        from suxin_common.dbroles import grant_runtime

        _run_coroutine(grant_runtime(database_url, service))


async def upgrade_async(
    service: str,
    database_url: str,
    revision: str = "head",
    *,
    script_location: str | Path | None = None,
    kit: bool = True,
    grant: bool = True,
) -> None:
    """:func:`upgrade` for callers inside an event loop (runs it in a worker thread)."""
    await asyncio.to_thread(
        upgrade,
        service,
        database_url,
        revision,
        script_location=script_location,
        kit=kit,
        grant=grant,
    )


# --------------------------------------------------------------------------------------------
# the body of every service's migrations/env.py


def run_migrations_env(
    target_metadata: Any,
    version_table: str,
    *,
    version_table_schema: str | None = None,
    **configure_kwargs: Any,
) -> None:
    """Run the migrations alembic asked for, online (async engine) or offline (SQL script).

    The URL is the config's ``sqlalchemy.url`` or else ``$DATABASE_URL``. A caller may hand in
    an open synchronous connection as ``config.attributes["connection"]``; it is then used as is.
    """
    from alembic import context

    config = context.config
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL")
    options: dict[str, Any] = {
        "target_metadata": target_metadata,
        "version_table": version_table,
        "version_table_schema": version_table_schema,
        "compare_type": True,
        **configure_kwargs,
    }

    if context.is_offline_mode():
        if not url:
            raise RuntimeError("offline migrations need sqlalchemy.url or DATABASE_URL")
        context.configure(
            url=url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **options
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on_connection(connection, options)
        return
    if not url:
        raise RuntimeError("no database URL: set sqlalchemy.url or DATABASE_URL")
    _run_coroutine(_run_online(to_async_url(url), options))


def _run_on_connection(connection: Any, options: dict[str, Any]) -> None:
    from alembic import context

    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(url: str, options: dict[str, Any]) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlalchemy.pool import NullPool

    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_on_connection, options)
    finally:
        await engine.dispose()


def _run_coroutine(coro: Coroutine[Any, Any, None]) -> None:
    """Run `coro` to completion on a private loop, without touching the thread's current loop
    (unlike asyncio.run, which would reset it under pytest-asyncio). Inside a running loop, the
    private loop runs in a helper thread and this call blocks until it is done."""

    def run() -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(coro)
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        run()
        return
    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            run()
        except BaseException as e:  # re-raised in the caller's thread
            errors.append(e)

    worker = threading.Thread(target=in_thread, name="suxin-migrate")
    worker.start()
    worker.join()
    if errors:
        raise errors[0]
