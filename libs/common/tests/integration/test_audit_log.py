"""The access audit trail: appended in the business transaction, hash-chained, append-only."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from dataclasses import asdict
from types import SimpleNamespace

import nats
import pytest
from alembic import command
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from suxin_common.auth import Authenticator, Principal, Role, Tenant, mint_dev_token
from suxin_common.db import UnitOfWork, session_factory
from suxin_common.migrate import kit_alembic_config
from suxin_common.security import audit, audit_checkpoints
from suxin_common.settings import ServiceSettings
from suxin_common.web import install_problem_handlers
from suxin_devkit.testing import eventually, kit_database, scalar

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


# --- keyed chain and signed checkpoints ------------------------------------------------------

ATTACKER_KEY = b"the attacker does not have the chain key"


async def rewrite(engine, from_index: int, *, kid: str | None, key: bytes | None = None) -> None:
    """What a database superuser can do: switch the trigger off, change the row at `from_index`
    and recompute every following hash (plain SHA-256 when `kid` is None, else HMAC with `key`)."""
    keys = audit.ChainKeys({kid: key}, kid) if kid else None
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete"))
        rows = (await conn.execute(text("SELECT * FROM audit_log ORDER BY id"))).mappings().all()
        prev = rows[from_index - 1]["hash"] if from_index else audit.GENESIS_HASH
        for i, row in enumerate(rows[from_index:]):
            entry = dict(row)
            entry.update(prev_hash=prev, kid=kid)
            if i == 0:
                entry["details"] = {"amount_fen": 1}
            entry["hash"] = audit.entry_hash(entry, keys)
            await conn.execute(
                text(
                    "UPDATE audit_log SET details = CAST(:details AS jsonb),"
                    " prev_hash = :prev_hash,"
                    " hash = :hash, kid = :kid WHERE id = :id"
                ),
                {**entry, "details": json.dumps(entry["details"])},
            )
            prev = entry["hash"]
        await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete"))


async def ids(engine) -> list[int]:
    async with engine.connect() as conn:
        return [r[0] for r in await conn.execute(text("SELECT id FROM audit_log ORDER BY id"))]


async def test_entries_are_keyed_with_the_signing_key(audited):
    _, engine = audited
    await append(engine, 2)
    assert await scalar(engine, "SELECT string_agg(DISTINCT kid, ',') FROM audit_log") == "dev1"


@pytest.mark.parametrize(
    ("kid", "key", "problem"),
    [
        (None, None, "unkeyed entry after keyed entries"),  # downgrade to plain SHA-256
        ("dev1", ATTACKER_KEY, "content modified"),  # the right key id, a guessed key
        ("evil", ATTACKER_KEY, "signed with an unknown key"),
    ],
)
async def test_a_rewrite_with_all_following_hashes_recomputed_without_the_key_is_detected(
    audited, kid, key, problem
):
    _, engine = audited
    await append(engine, 5)
    await rewrite(engine, 2, kid=kid, key=key)
    report = await audit.verify_chain(engine)
    assert not report.ok
    assert report.first_bad_id == (await ids(engine))[2] and report.problem == problem


async def test_legacy_unkeyed_entries_still_verify_before_keyed_ones(audited):
    _, engine = audited
    await append(engine, 3)
    await rewrite(engine, 0, kid=None)  # as written before keying: plain SHA-256, no kid
    assert (await audit.verify_chain(engine)).ok
    await append(engine, 2)  # keyed from here on, chained onto the legacy head
    report = await audit.verify_chain(engine)
    assert report.ok and report.checked == 5
    assert await scalar(engine, "SELECT count(*) FROM audit_log WHERE kid IS NULL") == 3


async def test_key_rotation_keeps_old_entries_verifiable(audited, monkeypatch):
    _, engine = audited
    k1 = "k1:" + base64.b64encode(b"1" * 32).decode()
    k2 = "k2:" + base64.b64encode(b"2" * 32).decode()
    monkeypatch.setattr(audit, "_keys", audit.ChainKeys.from_spec(k1))
    await append(engine, 2)
    audit.use_keys(audit.ChainKeys.from_spec(f"{k2},{k1}"))  # new key first, old kept
    await append(engine, 2)
    kids = await scalar(engine, "SELECT string_agg(kid, ',' ORDER BY id) FROM audit_log")
    assert kids == "k1,k1,k2,k2"
    assert (await audit.verify_chain(engine)).ok
    # dropping the old key too early: its entries can no longer be checked
    report = await audit.verify_chain(engine, keys=audit.ChainKeys.from_spec(k2))
    assert not report.ok and report.problem == "signed with an unknown key"
    assert report.first_bad_id == (await ids(engine))[0]


@pytest.fixture
async def checkpoints(infra):
    nc = await nats.connect(infra.nats_url)
    js = nc.jetstream()
    await audit_checkpoints.ensure_stream(js)
    try:
        yield js, f"svc-{uuid.uuid4().hex[:8]}"
    finally:
        await nc.close()


async def test_a_head_rewritten_with_recomputed_hashes_is_caught_by_the_checkpoint(
    audited, checkpoints
):
    _, engine = audited
    js, service = checkpoints
    await append(engine, 4)
    published = await audit_checkpoints.publish(js, engine, service)
    checkpoint = await audit_checkpoints.latest(js, service)
    assert checkpoint == published and checkpoint.last_id == (await ids(engine))[-1]
    assert (await audit.verify_chain(engine, checkpoint=checkpoint)).ok
    # The whole chain rewritten as "legacy" plain SHA-256, head included: consistent inside the
    # database, so the chain alone cannot tell ...
    await rewrite(engine, 0, kid=None)
    assert (await audit.verify_chain(engine)).ok
    # ... but the signed head outside the database can.
    report = await audit.verify_chain(
        engine, checkpoint=await audit_checkpoints.latest(js, service)
    )
    assert not report.ok and report.first_bad_id == checkpoint.last_id
    assert report.problem.startswith("rewritten")


async def test_truncated_history_is_caught_by_the_checkpoint(audited, checkpoints):
    _, engine = audited
    js, service = checkpoints
    await append(engine, 4)
    await audit_checkpoints.publish(js, engine, service)
    await append(engine, 1)  # entries after the checkpoint are fine
    assert (
        await audit.verify_chain(engine, checkpoint=await audit_checkpoints.latest(js, service))
    ).ok
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete"))
        await conn.execute(
            text("DELETE FROM audit_log WHERE id >= :id"), {"id": (await ids(engine))[2]}
        )
    assert (await audit.verify_chain(engine)).ok  # a shorter chain is still a valid chain
    report = await audit.verify_chain(
        engine, checkpoint=await audit_checkpoints.latest(js, service)
    )
    assert not report.ok and report.problem.startswith("truncated") and report.checked == 2


async def test_a_forged_checkpoint_is_refused(checkpoints):
    js, service = checkpoints
    forged = audit_checkpoints.sign(
        service, 1, "00" * 32, audit.ChainKeys({"dev1": ATTACKER_KEY * 2}, "dev1")
    )
    await js.publish(audit_checkpoints.subject(service), json.dumps(asdict(forged)).encode())
    with pytest.raises(ValueError, match="signature"):
        await audit_checkpoints.latest(js, service)


async def test_the_auditor_api_verifies_against_the_latest_checkpoint(audited, checkpoints):
    _, engine = audited
    js, service = checkpoints
    settings = ServiceSettings(environment="test", service_name=service)
    app = FastAPI()
    app.state.settings = settings
    app.state.authenticator = Authenticator(settings)
    app.state.runtime = SimpleNamespace(engine=engine, js=js)
    install_problem_handlers(app)
    app.include_router(audit.audit_router())
    token = {"Authorization": "Bearer " + mint_dev_token(settings, "aud-1", [Role.AUDITOR])}
    await append(engine, 3)
    checkpoint = await audit_checkpoints.publish(js, engine, service)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        good = (await http.get("/v1/audit/verify", headers=token)).json()
        assert good["ok"] and good["checkpoint_id"] == checkpoint.last_id
        await rewrite(engine, 0, kid=None)
        bad = (await http.get("/v1/audit/verify", headers=token)).json()
    assert not bad["ok"] and bad["problem"].startswith("rewritten")
    assert bad["first_bad_id"] == checkpoint.last_id


async def test_the_background_checkpointer_follows_the_head(audited, checkpoints):
    _, engine = audited
    js, service = checkpoints
    stop = asyncio.Event()
    task = asyncio.create_task(audit_checkpoints.run(js, engine, service, stop, 0.05))

    async def checkpointed_head() -> bool:
        checkpoint = await audit_checkpoints.latest(js, service)
        return checkpoint is not None and checkpoint.last_id == (await ids(engine))[-1]

    try:
        await append(engine, 2)
        await eventually(checkpointed_head)
        await append(engine, 1)
        await eventually(checkpointed_head)
    finally:
        stop.set()
        await task
    checkpoint = await audit_checkpoints.latest(js, service)
    assert (await audit.verify_chain(engine, checkpoint=checkpoint)).ok


# --- several chains: transactions that audit do not wait for each other's COMMIT -------------


async def test_two_open_transactions_append_without_waiting_for_each_other(audited):
    _, engine = audited
    sessions = session_factory(engine)
    async with (
        UnitOfWork(sessions, source="/t") as first,
        UnitOfWork(sessions, source="/t") as second,
    ):
        one = await audit.record(first, STAFF, action="a", object_type="t", object_id="1")
        # With a single chain this would wait for `first` to commit (and never return here).
        two = await asyncio.wait_for(
            audit.record(second, STAFF, action="a", object_type="t", object_id="2"), 10
        )
        assert one["chain"] != two["chain"]
        await second.commit()
        await first.commit()
    report = await audit.verify_chain(engine)
    assert report.ok and report.checked == 2


async def test_a_row_moved_to_another_chain_is_detected(audited):
    _, engine = audited
    await append(engine, 3)
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete"))
        await conn.execute(
            text("UPDATE audit_log SET chain = (chain + 1) % :n WHERE id = :id"),
            {"n": audit.CHAINS, "id": (await ids(engine))[2]},
        )
    report = await audit.verify_chain(engine)
    assert not report.ok and report.first_bad_id == (await ids(engine))[2]


async def test_the_checkpoint_covers_the_head_of_every_chain(audited, checkpoints):
    _, engine = audited
    js, service = checkpoints
    sessions = session_factory(engine)
    async with (
        UnitOfWork(sessions, source="/t") as first,
        UnitOfWork(sessions, source="/t") as second,
    ):
        older = await audit.record(first, STAFF, action="a", object_type="t", object_id="1")
        await audit.record(second, STAFF, action="a", object_type="t", object_id="2")
        await first.commit()
        await second.commit()
    checkpoint = await audit_checkpoints.publish(js, engine, service)
    assert len(checkpoint.heads) == 2
    # The head of the chain that is not the newest row, removed.
    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete"))
        await conn.execute(text("DELETE FROM audit_log WHERE id = :id"), {"id": older["id"]})
    assert (await audit.verify_chain(engine)).ok  # a chain of one row less is still a chain
    report = await audit.verify_chain(
        engine, checkpoint=await audit_checkpoints.latest(js, service)
    )
    assert not report.ok and report.problem.startswith("truncated")
    assert report.first_bad_id == older["id"]
