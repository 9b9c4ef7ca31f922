"""Every service's migrations: they build exactly the schema its tables.py describes (plus
the platform tables and the kit's own stream: audit log, idempotency keys), keep their own
version table, and downgrade to nothing and back (the kit stream is left to its own version
table)."""

from __future__ import annotations

import asyncio
import importlib

import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.migrate import (
    KIT_VERSION_TABLE,
    alembic_config,
    kit_alembic_config,
    upgrade_async,
)
from suxin_devkit.testing import schema_drift

pytestmark = pytest.mark.integration

KIT_TABLES = ["approvals", "audit_log", "idempotency_keys", "rate_limit_windows"]

SERVICES = [
    "job_matching",
    "gig_market",
    "injury_insurance",
    "training_vouchers",
    "talent_card",
    "employment_monitor",
    "data_exchange",
    "partners",
    "staff_workbench",
]


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_match_tables_and_round_trip(infra, service):
    url = await infra.create_database(service)
    await upgrade_async(service, url)
    metadata = importlib.import_module(f"{service}.adapters.tables").metadata
    engine = create_async_engine(url)
    try:
        assert await schema_drift(engine, metadata) == []
        version_table = f"alembic_version_{service}"
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert {version_table, "outbox", "inbox", "dead_letters"} <= set(tables)
        assert {KIT_VERSION_TABLE, *KIT_TABLES} <= set(tables)

        await asyncio.to_thread(command.downgrade, alembic_config(service, url), "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert sorted(tables) == sorted([version_table, KIT_VERSION_TABLE, *KIT_TABLES])

        await asyncio.to_thread(command.downgrade, kit_alembic_config(url), "base")
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        assert sorted(tables) == sorted([version_table, KIT_VERSION_TABLE])

        await upgrade_async(service, url)
        assert await schema_drift(engine, metadata) == []
    finally:
        await engine.dispose()
