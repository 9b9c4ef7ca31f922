"""The migrations build exactly the schema adapters/tables.py describes, and undo it."""

from __future__ import annotations

import asyncio

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from suxin_common.migrate import alembic_config
from suxin_common.tables import platform_metadata
from training_vouchers.adapters.tables import metadata

pytestmark = pytest.mark.integration


def _differences(connection) -> list:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, kind, _: (
                not (kind == "table" and name.startswith("alembic_"))
            ),
        },
    )
    return compare_metadata(context, [metadata, platform_metadata])


async def test_migrations_match_the_tables(runtime) -> None:
    async with runtime.engine.connect() as conn:
        assert await conn.run_sync(_differences) == []
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert "alembic_version_training_vouchers" in tables


async def test_downgrade_removes_everything_but_the_version_table(runtime) -> None:
    config = alembic_config("training-vouchers", runtime.settings.database_url)
    await asyncio.to_thread(command.downgrade, config, "base")

    async with runtime.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert tables == ["alembic_version_training_vouchers"]
