"""Least privilege in PostgreSQL: per service a migration (owner) role and a runtime role.

``<svc>_owner`` owns the service's database, its schema and every table: alembic runs as it
(``suxin migrate``, the Kubernetes migration Job). ``<svc>_app`` is what the service connects
with: LOGIN, not superuser, no CREATEDB/CREATEROLE/REPLICATION/BYPASSRLS, owner of nothing. So
it cannot run DDL (no CREATE on the schema, and ALTER/DROP/TRUNCATE need ownership or a grant it
does not have), cannot switch triggers off (``ALTER TABLE ... DISABLE TRIGGER`` needs ownership,
``SET session_replication_role`` needs superuser) and has only DML:

- SELECT, INSERT, UPDATE, DELETE on the service's and the kit's tables (outbox, inbox, dead
  letters, idempotency keys, approvals, rate-limit windows, ...), granted after every migration
  and by default privileges for tables the owner creates later;
- SELECT and INSERT only on the append-only tables (:data:`APPEND_ONLY_TABLES`: the audit log);
- SELECT only on alembic's version tables;
- CONNECT and TEMPORARY on its database (bulk paths COPY into a session's temporary table).

:func:`grant_runtime` runs at the end of :func:`suxin_common.migrate.upgrade`, as the owner,
for the role named by ``SUXIN_APP_DB_ROLE`` or else ``<svc>_app`` when it exists. The roles
themselves are created by whoever administers the server: :func:`provision` in the dev stack and
the tests (superuser), ``deploy/compose/init-databases.sql`` in compose, the CloudNativePG
``managed.roles`` in Kubernetes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from sqlalchemy.engine import make_url

OWNER_SUFFIX = "_owner"
RUNTIME_SUFFIX = "_app"
# Tables the runtime role may only read and append to (the trigger refuses changes as well).
APPEND_ONLY_TABLES: tuple[str, ...] = ("audit_log",)
# Development and test passwords are derived from this public seed and the role name, so that
# concurrent test sessions on one server agree on them; production passwords come from Secrets.
DEV_DB_PASSWORD_SEED = "suxin-dev-db-password-seed-not-for-production"
ROLE_ATTRIBUTES = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
_ROLE_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
# Serialises role creation across processes sharing a server (advisory lock key).
_ROLES_LOCK = 0x5355_5849_4E52_4F4C


def _service(service: str) -> str:
    return service.strip().replace("-", "_")


def owner_role(service: str) -> str:
    """The migration role of `service`: owns its database and tables."""
    return _checked(_service(service) + OWNER_SUFFIX)


def runtime_role(service: str) -> str:
    """The role `service` runs as: DML only."""
    return _checked(_service(service) + RUNTIME_SUFFIX)


def _checked(role: str) -> str:
    if not _ROLE_RE.fullmatch(role):
        raise ValueError(f"not a plain role name: {role!r}")
    return role


def dev_password(role: str) -> str:
    """The development/test password of `role` (URL-safe; public, like the other dev secrets)."""
    digest = hmac.new(DEV_DB_PASSWORD_SEED.encode(), role.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def with_login(
    url: str, role: str, password: str | None = None, database: str | None = None
) -> str:
    """`url` logging in as `role` (with its dev password unless given), asyncpg driver."""
    parsed = make_url(url).set(
        drivername="postgresql+asyncpg",
        username=role,
        password=password if password is not None else dev_password(role),
    )
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


@dataclass(frozen=True)
class ServiceDatabase:
    """One service database and the three ways into it."""

    service: str
    database: str
    admin_url: str  # the server's administrator (superuser in dev/tests): for tests that tamper
    owner_url: str  # the migration role: run alembic with this
    runtime_url: str  # the runtime role: the service connects with this

    @property
    def owner(self) -> str:
        return owner_role(self.service)

    @property
    def runtime(self) -> str:
        return runtime_role(self.service)


async def ensure_roles(admin_url: str, service: str) -> tuple[str, str]:
    """Create `service`'s owner and runtime roles with their dev passwords unless they exist
    (needs CREATEROLE; idempotent and safe to race). Returns (owner, runtime)."""
    import asyncpg

    from suxin_common.db import asyncpg_dsn

    roles = (owner_role(service), runtime_role(service))
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _ROLES_LOCK)
            for role in roles:
                if await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
                    continue
                await conn.execute(
                    f"CREATE ROLE {_ident(role)} {ROLE_ATTRIBUTES} "
                    f"PASSWORD {_literal(dev_password(role))}"
                )
    finally:
        await conn.close()
    return roles


async def provision(admin_url: str, service: str, database: str) -> ServiceDatabase:
    """`service`'s roles, and `database` (created if missing) handed to its owner role.

    Run by the server's administrator (the dev stack's and the tests' superuser). The runtime
    role gets its rights from :func:`grant_runtime` when the owner migrates."""
    import asyncpg

    from suxin_common.db import asyncpg_dsn

    owner, _ = await ensure_roles(admin_url, service)
    conn = await asyncpg.connect(asyncpg_dsn(admin_url))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database):
            try:
                await conn.execute(f"CREATE DATABASE {_ident(database)} OWNER {_ident(owner)}")
            except (asyncpg.DuplicateDatabaseError, asyncpg.UniqueViolationError):
                pass  # created concurrently
        await conn.execute(f"ALTER DATABASE {_ident(database)} OWNER TO {_ident(owner)}")
    finally:
        await conn.close()
    admin_db_url = make_url(admin_url).set(drivername="postgresql+asyncpg", database=database)
    conn = await asyncpg.connect(asyncpg_dsn(admin_db_url))
    try:
        # PostgreSQL < 15 gives the public schema to the bootstrap superuser; 15+ to the
        # database owner. Either way the owner role gets it, so it can manage its grants.
        await conn.execute(f"ALTER SCHEMA public OWNER TO {_ident(owner)}")
        await _adopt(conn, owner)
    finally:
        await conn.close()
    return ServiceDatabase(
        service=_service(service),
        database=database,
        admin_url=admin_db_url.render_as_string(hide_password=False),
        owner_url=with_login(admin_url, owner, database=database),
        runtime_url=with_login(admin_url, runtime_role(service), database=database),
    )


async def _adopt(conn, owner: str) -> None:  # noqa: ANN001
    """Hand what another role owns in the public schema (a database migrated before the roles
    existed, as the superuser) to `owner`, so its next migration may alter it."""
    rows = await conn.fetch(
        """
        SELECT 'TABLE' AS kind, format('%I', c.relname) AS name FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND pg_get_userbyid(c.relowner) <> $1
           AND NOT (c.relkind = 'S' AND EXISTS (
               SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
        UNION ALL
        SELECT 'FUNCTION', format('%I(%s)', p.proname, pg_get_function_identity_arguments(p.oid))
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> $1
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
        UNION ALL
        SELECT 'TYPE', format('%I', t.typname) FROM pg_type t
          JOIN pg_namespace n ON n.oid = t.typnamespace
         WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
           AND pg_get_userbyid(t.typowner) <> $1
           AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
        """,
        owner,
    )
    for row in rows:
        kind = row["kind"]
        if kind == "TABLE":
            # ALTER TABLE also takes views, sequences and foreign tables.
            await conn.execute(f"ALTER TABLE public.{row['name']} OWNER TO {_ident(owner)}")
        else:
            await conn.execute(f"ALTER {kind} public.{row['name']} OWNER TO {_ident(owner)}")


def runtime_grants(role: str, database: str, version_tables: list[str]) -> list[str]:
    """The statements that give `role` exactly the runtime rights (run as the owner)."""
    r, db = _ident(role), _ident(database)
    statements = [
        f"REVOKE ALL ON DATABASE {db} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {r}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        # Tables and sequences the owner creates later (the next migration) are covered too.
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {r}",
    ]
    for table in (*APPEND_ONLY_TABLES, *version_tables):
        statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {_ident(table)} FROM {r}")
        if table in APPEND_ONLY_TABLES:
            statements.append(f"GRANT SELECT, INSERT ON {_ident(table)} TO {r}")
    return statements


def configured_runtime_role(service: str) -> str:
    """``SUXIN_APP_DB_ROLE`` if set, else ``<svc>_app``."""
    return _checked(os.environ.get("SUXIN_APP_DB_ROLE") or runtime_role(service))


async def grant_runtime(database_url: str, service: str) -> str | None:
    """Give the runtime role of `service` its rights on the database of `database_url` (run
    as the owner, after migrating). Returns the role, or None when it does not exist."""
    import asyncpg

    from suxin_common.db import asyncpg_dsn

    role = configured_runtime_role(service)
    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role):
            return None
        database = await conn.fetchval("SELECT current_database()")
        tables = await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename LIKE '%alembic_version%'"
        )
        present = {
            r["tablename"]
            for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename = ANY($1::text[])",
                list(APPEND_ONLY_TABLES),
            )
        }
        statements = runtime_grants(role, database, [r["tablename"] for r in tables])
        missing = set(APPEND_ONLY_TABLES) - present
        async with conn.transaction():
            for statement in statements:
                if any(_ident(t) in statement for t in missing):
                    continue
                await conn.execute(statement)
    finally:
        await conn.close()
    return role


async def role_rights(database_url: str) -> dict[str, bool]:
    """What the connected role may do beyond DML (for readiness checks and tests)."""
    import asyncpg

    from suxin_common.db import asyncpg_dsn

    conn = await asyncpg.connect(asyncpg_dsn(database_url))
    try:
        row = await conn.fetchrow(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
            "FROM pg_roles WHERE rolname = current_user"
        )
        owns = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND tableowner = current_user"
        )
        create = await conn.fetchval("SELECT has_schema_privilege('public', 'CREATE')")
    finally:
        await conn.close()
    return {**dict(row), "owns_tables": bool(owns), "create_on_public": bool(create)}
