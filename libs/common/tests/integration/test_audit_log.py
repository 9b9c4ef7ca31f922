"""The access audit trail: appended in the business transaction, hash-chained, append-only."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.auth import Principal, Role, Tenant
from suxin_common.db import UnitOfWork, session_factory
from suxin_common.migrate import kit_alembic_config
from suxin_common.security import audit
from suxin_devkit.testing import kit_database, scalar

pytestmark = pytest.mark.integration

STAFF = Principal("staff-7", frozenset({Role.HRSS_STAFF}), Tenant(district="3210"))


async def append(engine, n: int, *, commit: bool = True) -> None:
    async with UnitOfWork(session_factory(engine), source="/test") as uow:
        for i in range(n):
            await audit.record(
                uow,
                STAFF,
                action=audit.READ_PERSONAL_DATA,
                object_type="seeker",
                object_id=f"seeker-{i}",
                purpose="case review",
                details={"amount_fen": 250_000 + i},
            )
        if commit:
            await uow.commit()


@pytest.fixture
async def audited(infra):
    url, engine = await kit_database(infra, "audit")
    try:
        yield url, engine
    finally:
        await engine.dispose()


async def test_entries_commit_with_the_business_transaction_and_chain(audited):
    _, engine = audited
    await append(engine, 3)
    await append(engine, 2, commit=False)  # rolled back: leaves no entry and no broken link
    await append(engine, 1)
    report = await audit.verify_chain(engine)
    assert report.ok and report.checked == 4
    assert await scalar(engine, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") == (
        report.head_hash
    )
    assert await scalar(engine, "SELECT actor_roles FROM audit_log LIMIT 1") == "hrss_staff"


async def test_concurrent_appends_keep_one_unbroken_chain(audited):
    _, engine = audited
    await asyncio.gather(*(append(engine, 3) for _ in range(5)))
    report = await audit.verify_chain(engine)
    assert report.ok and report.checked == 15


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone-else'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
async def test_update_delete_and_truncate_are_refused_even_for_the_owner(audited, statement):
    _, engine = audited
    await append(engine, 2)
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as conn:
            await conn.execute(text(statement))
    assert await scalar(engine, "SELECT count(*) FROM audit_log") == 2


async def test_the_application_role_may_insert_and_read_but_not_change(infra, monkeypatch):
    role = f"suxin_app_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(infra.admin_database_url)
    async with admin.begin() as conn:
        await conn.execute(text(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'app-test'"))
    await admin.dispose()
    url = await infra.create_database("audit_roles")
    monkeypatch.setenv("SUXIN_APP_DB_ROLE", role)
    await asyncio.to_thread(command.upgrade, kit_alembic_config(url), "head")
    app_url = make_url(url).set(username=role, password="app-test")
    app_engine = create_async_engine(app_url)
    try:
        await append(app_engine, 2)
        assert (await audit.verify_chain(app_engine)).ok
        for statement in ("UPDATE audit_log SET purpose = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="permission denied"):
                async with app_engine.begin() as conn:
                    await conn.execute(text(statement))
    finally:
        await app_engine.dispose()


async def test_a_modified_row_is_detected(audited):
    _, engine = audited
    await append(engine, 4)
    # Tampering needs the owner to disable the trigger first: exactly what the chain is for.
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete"))
        second = (await conn.execute(text("SELECT id FROM audit_log ORDER BY id"))).all()[1][0]
        await conn.execute(
            text("UPDATE audit_log SET details = '{\"amount_fen\": 1}' WHERE id = :id"),
            {"id": second},
        )
    report = await audit.verify_chain(engine)
    assert not report.ok
    assert report.first_bad_id == second and report.problem == "content modified"
    assert report.checked == 1


async def test_a_deleted_row_is_detected(audited):
    _, engine = audited
    await append(engine, 4)
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete"))
        ids = [row[0] for row in (await conn.execute(text("SELECT id FROM audit_log ORDER BY id")))]
        await conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": ids[1]})
    report = await audit.verify_chain(engine)
    assert not report.ok and report.first_bad_id == ids[2]
    assert report.problem.startswith("link broken")
