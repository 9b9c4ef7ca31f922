"""Backups of the chaos stack's PostgreSQL and what an operator does to recover.

The stack's server archives every finished WAL segment (``archive_command``, harness.py), as
CloudNativePG's barman does in production. :func:`base_backup` is ``pg_basebackup``;
:func:`restore_to` is the point-in-time restore: the data directory replaced by the base
backup, ``restore_command`` reading the archive, ``recovery_target_time``, promote.
:func:`suxin_ops` runs the operators' command line (``suxin ops ...``) as a runbook would.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import nats
from chaos.harness import ChaosStack
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

SUXIN = str(Path(sys.executable).with_name("suxin"))


def _as_pg(stack: ChaosStack, argv: list[str]) -> subprocess.CompletedProcess:
    pg = stack.pg
    assert pg is not None
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        cwd="/",
        env=pg._env(),
        timeout=600,
        **pg._as_user(),
    )


def base_backup(stack: ChaosStack, name: str) -> Path:
    """``pg_basebackup`` of the whole cluster (every service's database) into root/backups."""
    pg = stack.pg
    assert pg is not None and pg.bin_dir is not None
    parent = stack.root / "backups"
    parent.mkdir(exist_ok=True)
    parent.chmod(0o777)
    dest = parent / name
    out = _as_pg(
        stack,
        [
            str(pg.bin_dir / "pg_basebackup"),
            "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",
            "-D", str(dest), "-X", "stream", "-c", "fast", "--no-sync",
        ],
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return dest


async def _one(stack: ChaosStack, sql: str):  # noqa: ANN202
    engine = create_async_engine(stack.pg.admin_url, pool_size=1)
    try:
        async with engine.begin() as conn:
            return (await conn.execute(text(sql))).scalar_one()
    finally:
        await engine.dispose()


async def server_now(stack: ChaosStack) -> datetime:
    return await _one(stack, "SELECT clock_timestamp()")


async def archive_current_wal(stack: ChaosStack, within_s: float = 60.0) -> str:
    """Close the current WAL segment and wait until the archiver copied it; its name."""
    segment = await _one(stack, "SELECT pg_walfile_name(pg_switch_wal())")
    deadline = time.monotonic() + within_s
    while not (stack.wal_archive / segment).exists():
        if time.monotonic() > deadline:
            failed = await _one(stack, "SELECT last_failed_wal FROM pg_stat_archiver")
            raise AssertionError(f"WAL segment {segment} not archived (last failed: {failed})")
        await asyncio.sleep(0.2)
    return segment


async def restore_to(stack: ChaosStack, backup: Path, target: datetime) -> Path:
    """Stop the server, replace its data directory by ``backup`` and replay the archived WAL
    up to ``target``; the server is promoted and running when this returns. Returns where
    the damaged data directory was moved."""
    pg = stack.pg
    assert pg is not None
    await asyncio.to_thread(pg.stop)
    damaged = pg.data_dir.with_name(pg.data_dir.name + ".damaged")
    pg.data_dir.rename(damaged)
    shutil.copytree(backup, pg.data_dir, symlinks=True)
    (pg.data_dir / "recovery.signal").touch()
    conf = pg.data_dir / "postgresql.auto.conf"
    conf.write_text(
        conf.read_text()
        + f"restore_command = 'cp {stack.wal_archive}/%f %p'\n"
        + f"recovery_target_time = '{target.isoformat()}'\n"
        + "recovery_target_action = 'promote'\n"
    )
    pg.start()  # main thread (see ChaosStack.restart_nats); chowns the copy to the server user
    deadline = time.monotonic() + 120
    while await _one(stack, "SELECT pg_is_in_recovery()"):
        assert time.monotonic() < deadline, "the restored server did not leave recovery"
        await asyncio.sleep(0.2)
    return damaged


async def delete_streams(stack: ChaosStack) -> list[str]:
    """Delete every Suxin stream (and with it every durable consumer): what the bus holds no
    longer matches the restored databases."""
    nc = await nats.connect(stack.nats_url, allow_reconnect=False)
    try:
        js = nc.jetstream()
        names = [
            s.config.name for s in await js.streams_info() if s.config.name.startswith("SUXIN_")
        ]
        for name in names:
            await js.delete_stream(name)
        return names
    finally:
        await nc.close()


async def stream_messages(stack: ChaosStack, stream: str = "SUXIN_HIRING") -> int:
    nc = await nats.connect(stack.nats_url, allow_reconnect=False)
    try:
        return (await nc.jetstream().stream_info(stream)).state.messages
    finally:
        await nc.close()


def lose_nats_store(stack: ChaosStack) -> None:
    """``kill -9`` the server and delete its whole store: every stream, message and consumer."""
    assert stack.nats is not None
    stack.kill_nats()
    shutil.rmtree(stack.nats.store_dir)


async def suxin_ops(*args: str) -> str:
    """Run ``suxin ops ARGS`` as an operator would; its standard output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "NATS_"))}
    proc = await asyncio.create_subprocess_exec(
        SUXIN,
        "ops",
        *args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env | {"ENVIRONMENT": "test"},
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, (args, out.decode(), err.decode())
    return out.decode()
