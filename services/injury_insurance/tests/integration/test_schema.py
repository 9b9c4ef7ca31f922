"""The migrations build exactly the schema adapters/tables.py describes."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from injury_insurance.adapters.tables import metadata
from suxin_common.tables import platform_metadata

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
