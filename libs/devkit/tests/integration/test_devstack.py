"""The devstack against the real thing: embedded PostgreSQL and NATS, migrations, the Stack."""

from __future__ import annotations

import json
import os
import pwd
import sys
import textwrap
from pathlib import Path

import asyncpg
import nats
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common import migrate
from suxin_common.db import asyncpg_dsn
from suxin_common.localstack import read_state
from suxin_devkit.devstack._proc import (
    free_port,
    http_get,
    pid_alive,
    private_tmpdir,
    proc_uid,
    tcp_accepts,
)
from suxin_devkit.devstack.nats import EmbeddedNats
from suxin_devkit.devstack.postgres import PG_OS_USER, EmbeddedPostgres
from suxin_devkit.devstack.stack import Stack, StackAlreadyRunning, StackError

pytestmark = pytest.mark.integration


@pytest.fixture
def workdir():
    path = private_tmpdir("suxin-devstack-test-")
    yield path
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# PostgreSQL


async def test_embedded_postgres_initdb_start_query_restart(workdir: Path) -> None:
    pg = EmbeddedPostgres(workdir / "pg", log_file=workdir / "pg.log")
    with pg:
        assert pg.initialised_now
        assert (pg.data_dir / "PG_VERSION").exists()
        assert pg.admin_url == f"postgresql+asyncpg://postgres@127.0.0.1:{pg.port}/postgres"
        if os.geteuid() == 0:  # PostgreSQL refuses root: it must run as the dedicated user
            assert pg.os_user == PG_OS_USER
            assert proc_uid(pg.pid) == pwd.getpwnam(PG_OS_USER).pw_uid
            assert pg.data_dir.stat().st_uid == pwd.getpwnam(PG_OS_USER).pw_uid
        else:
            assert proc_uid(pg.pid) == os.geteuid()

        url = await pg.create_database("orders")
        assert url == f"postgresql+asyncpg://postgres@127.0.0.1:{pg.port}/orders"
        assert await pg.create_database("orders") == url  # idempotent

        engine = create_async_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.execute(text("CREATE TABLE t (id int PRIMARY KEY, name text)"))
                await conn.execute(text("INSERT INTO t VALUES (1, '苏心聘')"))
            async with engine.connect() as conn:
                assert (await conn.execute(text("SELECT name FROM t"))).scalar_one() == "苏心聘"
                settings = {
                    name: (await conn.execute(text(f"SHOW {name}"))).scalar_one()
                    for name in (
                        "fsync",
                        "synchronous_commit",
                        "full_page_writes",
                        "max_connections",
                        "shared_buffers",
                        "server_encoding",
                        "listen_addresses",
                    )
                }
                settings["datcollate"] = (
                    await conn.execute(
                        text(
                            "SELECT datcollate FROM pg_database WHERE datname = current_database()"
                        )
                    )
                ).scalar_one()
        finally:
            await engine.dispose()
        assert settings == {
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "300",
            "shared_buffers": "128MB",
            "server_encoding": "UTF8",
            "datcollate": "C",
            "listen_addresses": "127.0.0.1",
        }
        first_pid, port = pg.pid, pg.port

    assert not pid_alive(first_pid)
    assert not tcp_accepts("127.0.0.1", port)

    with pg:  # same data directory: no initdb, the data is still there
        assert not pg.initialised_now
        conn = await asyncpg.connect(asyncpg_dsn(pg.url("orders")))
        try:
            assert await conn.fetchval("SELECT name FROM t WHERE id = 1") == "苏心聘"
        finally:
            await conn.close()
    assert not pid_alive(pg.pid or first_pid)


def test_embedded_postgres_refuses_a_non_empty_foreign_directory(workdir: Path) -> None:
    (workdir / "pg").mkdir()
    (workdir / "pg" / "precious.txt").write_text("not a cluster")
    with pytest.raises(Exception, match="neither empty nor a PostgreSQL data directory"):
        EmbeddedPostgres(workdir / "pg").start()
    assert (workdir / "pg" / "precious.txt").read_text() == "not a cluster"


# --------------------------------------------------------------------------------------------
# NATS


async def test_embedded_nats_jetstream_publish_gets_puback(workdir: Path) -> None:
    server = EmbeddedNats(workdir / "nats")
    with server:
        status, body = http_get(f"{server.monitor_url}/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        nc = await nats.connect(server.url)
        try:
            js = nc.jetstream()
            await js.add_stream(name="DEVSTACK", subjects=["suxin.devstack.>"])
            ack = await js.publish("suxin.devstack.ping.v1", b"hello", headers={"Nats-Msg-Id": "1"})
            assert (ack.stream, ack.seq, ack.duplicate) == ("DEVSTACK", 1, None)
            again = await js.publish(
                "suxin.devstack.ping.v1", b"hello", headers={"Nats-Msg-Id": "1"}
            )
            assert again.duplicate is True and again.seq == 1
            info = await js.stream_info("DEVSTACK")
            assert info.state.messages == 1
            msg = await js.get_msg("DEVSTACK", 1)
            assert msg.data == b"hello"
        finally:
            await nc.close()
        pid, port = server.pid, server.port
    assert not pid_alive(pid)
    assert not tcp_accepts("127.0.0.1", port)
    assert (workdir / "nats" / "jetstream").is_dir()  # the store is where we said


# --------------------------------------------------------------------------------------------
# migrations


def _throwaway_service(root: Path, name: str, *, with_app: bool = True) -> Path:
    """services/<name>/{src/<name>/..., migrations/...} under `root`; returns the src dir."""
    service = root / "services" / name
    package = service / "src" / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "tables.py").write_text(
        textwrap.dedent("""
        import sqlalchemy as sa
        metadata = sa.MetaData()
        widgets = sa.Table("widgets", metadata, sa.Column("id", sa.Integer, primary_key=True),
                           sa.Column("name", sa.Text, nullable=False))
    """)
    )
    if with_app:
        (package / "app.py").write_text(
            textwrap.dedent("""
            import os
            from fastapi import FastAPI

            def create_app(settings=None):
                app = FastAPI()

                @app.get("/readyz")
                async def readyz():
                    return {"service": os.environ["SERVICE_NAME"],
                            "database_url": os.environ["DATABASE_URL"],
                            "nats_url": os.environ["NATS_URL"],
                            "environment": os.environ["ENVIRONMENT"]}

                return app
        """)
        )
    migrations = service / "migrations"
    (migrations / "versions").mkdir(parents=True)
    (migrations / "env.py").write_text(
        textwrap.dedent(f"""
        from suxin_common.migrate import run_migrations_env
        from {name}.tables import metadata
        run_migrations_env(metadata, version_table="{name}_alembic_version")
    """)
    )
    (migrations / "script.py.mako").write_text(
        textwrap.dedent('''
        """${message}"""
        revision = ${repr(up_revision)}
        down_revision = ${repr(down_revision)}
        def upgrade():
            ${upgrades if upgrades else "pass"}
        def downgrade():
            ${downgrades if downgrades else "pass"}
    ''')
    )
    (migrations / "versions" / "0001_widgets.py").write_text(
        textwrap.dedent("""
        import sqlalchemy as sa
        from alembic import op
        revision = "0001"
        down_revision = None
        def upgrade():
            op.create_table("widgets", sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column("name", sa.Text, nullable=False))
            op.execute("INSERT INTO widgets (id, name) VALUES (1, 'first')")
        def downgrade():
            op.drop_table("widgets")
    """)
    )
    return service / "src"


async def test_migrate_upgrade_runs_service_migrations_with_own_version_table(
    infra, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = _throwaway_service(tmp_path, "throwaway_svc_mig", with_app=False)
    monkeypatch.syspath_prepend(str(src))
    assert (
        migrate.migrations_dir("throwaway-svc-mig")
        == tmp_path / "services" / "throwaway_svc_mig" / "migrations"
    )

    url = await infra.create_database("migrate")
    await migrate.upgrade_async("throwaway_svc_mig", url)
    await migrate.upgrade_async("throwaway-svc-mig", url)  # at head already: a no-op

    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        # the service's own stream, and the kit's stream (audit log, idempotency keys) after it
        assert tables == {
            "widgets",
            "throwaway_svc_mig_alembic_version",
            "alembic_version_suxin_kit",
            "audit_log",
            "idempotency_keys",
            "approvals",
            "rate_limit_windows",
        }  # no plain alembic_version
        assert (
            await conn.fetchval("SELECT version_num FROM throwaway_svc_mig_alembic_version")
            == "0001"
        )
        assert await conn.fetchval("SELECT count(*) FROM widgets") == 1
    finally:
        await conn.close()


def test_migrate_offline_mode_renders_sql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from alembic import command

    src = _throwaway_service(tmp_path, "throwaway_svc_sql", with_app=False)
    monkeypatch.syspath_prepend(str(src))
    cfg = migrate.alembic_config("throwaway_svc_sql", "postgresql+asyncpg://u@127.0.0.1:1/none")
    command.upgrade(cfg, "head", sql=True)
    sql = capsys.readouterr().out
    assert "CREATE TABLE throwaway_svc_sql_alembic_version" in sql
    assert "CREATE TABLE widgets" in sql


def test_migrate_reports_a_missing_migrations_directory() -> None:
    with pytest.raises(migrate.MigrationsNotFound, match="no importable package"):
        migrate.migrations_dir("no_such_service_anywhere")


# --------------------------------------------------------------------------------------------
# the stack


def test_stack_starts_migrates_serves_and_stops_everything(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "throwaway_svc_stack"
    src = _throwaway_service(workdir / "repo", name)
    monkeypatch.syspath_prepend(str(src))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("NATS_URL", raising=False)
    pythonpath = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))
    port = free_port()
    state_dir = workdir / "devstack"
    stack = Stack(
        state_dir, services={name: port}, extra_env={"PYTHONPATH": pythonpath}, out=sys.stderr
    )
    stack.start()
    try:
        status, body = http_get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200
        seen = json.loads(body)
        assert seen["service"] == "throwaway-svc-stack"
        assert seen["database_url"].endswith(f"/suxin_{name}")
        assert seen["nats_url"] == stack.service_nats_url(name)  # its own NATS user
        assert f"//{name}_app:" in seen["database_url"]  # its runtime role
        assert seen["environment"] == "development"

        state = read_state(state_dir)
        assert state["status"] == "ready" and state["pid"] == os.getpid()
        assert state["services"][name]["url"] == f"http://127.0.0.1:{port}"
        assert f"http://127.0.0.1:{port}/docs" in stack.banner

        with pytest.raises(StackAlreadyRunning, match="already running"):
            Stack(state_dir, services={name: free_port()}).start()

        import asyncio

        async def version() -> str:
            conn = await asyncpg.connect(asyncpg_dsn(stack.database_urls[name]))
            try:
                return await conn.fetchval(f"SELECT version_num FROM {name}_alembic_version")
            finally:
                await conn.close()

        loop = asyncio.new_event_loop()
        try:
            assert loop.run_until_complete(version()) == "0001"
        finally:
            loop.close()
        pids = [stack.procs[name].pid, stack.nats.pid, stack.postgres.pid]
    finally:
        stack.stop()
    assert not any(pid_alive(p) for p in pids)
    assert read_state(state_dir) is None
    assert (state_dir / "pg" / "PG_VERSION").exists()  # the cluster is kept for next time


def test_stack_failure_is_clear_and_cleans_up(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "throwaway_svc_broken"
    src = _throwaway_service(workdir / "repo", name)
    (src / name / "app.py").write_text("raise RuntimeError('boom at import')\n")
    monkeypatch.syspath_prepend(str(src))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("NATS_URL", raising=False)
    stack = Stack(
        workdir / "devstack",
        services={name: free_port()},
        extra_env={"PYTHONPATH": str(src)},
        out=sys.stderr,
    )
    started: list[int] = []
    original = stack._start_services

    def spy() -> None:
        original()
        started.extend([stack.procs[name].pid, stack.nats.pid, stack.postgres.pid])

    stack._start_services = spy
    with pytest.raises(StackError) as err:
        stack.start()
    assert f"{name} exited with code" in str(err.value)
    assert "boom at import" in str(err.value)  # the log tail is in the message
    assert len(started) == 3 and not any(pid_alive(p) for p in started)
    assert read_state(workdir / "devstack") is None
