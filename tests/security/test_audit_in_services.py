"""Every service database gets the kit's append-only, hash-chained audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from security.harness import SERVICES, migrated_database
from suxin_common.auth import Principal, Role
from suxin_common.security import audit

pytestmark = pytest.mark.integration

AUDITOR = Principal("auditor-1", frozenset({Role.AUDITOR}))


@pytest.mark.parametrize("service", SERVICES)
async def test_audit_log_is_append_only_and_tamper_evident(infra, service):
    engine = create_async_engine(await migrated_database(infra, service))
    try:
        async with engine.begin() as conn:
            for n in range(3):
                await audit.record(
                    conn, AUDITOR, action="read_personal_data", object_type="t", object_id=str(n)
                )
        assert (await audit.verify_chain(engine)).ok
        for statement in ("UPDATE audit_log SET object_id = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"):
                async with engine.begin() as conn:
                    await conn.execute(text(statement))
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
            await conn.execute(text("UPDATE audit_log SET object_id = 'x' WHERE object_id = '1'"))
        report = await audit.verify_chain(engine)
        assert not report.ok and report.problem == "content modified"
    finally:
        await engine.dispose()
