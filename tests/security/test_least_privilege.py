"""Least privilege (issue 22, item 2): each service's runtime database role has DML only, and
its NATS user may publish only its own subjects.

The roles are derived from the service registry (the dev stack's SERVICES), so a new service
is covered without touching this file.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import sys
from pathlib import Path

import asyncpg
import nats
import pytest
from nats.js.api import ConsumerConfig

from suxin_common import natsauth
from suxin_common.db import asyncpg_dsn
from suxin_common.dbroles import dev_password, role_rights, runtime_role
from suxin_common.messaging.catalog import GIG, HIRING
from suxin_common.messaging.streams import ensure_stream
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack.stack import SERVICES
from suxin_devkit.testing import fresh_streams

REFUSED = [
    "CREATE TABLE intruder (i int)",
    "CREATE SCHEMA intruder",
    "ALTER TABLE audit_log ADD COLUMN intruder int",
    "ALTER TABLE audit_log DISABLE TRIGGER USER",
    "ALTER TABLE outbox DISABLE TRIGGER ALL",
    "SET session_replication_role = replica",
    "TRUNCATE outbox",
    "TRUNCATE audit_log",
    "DROP TABLE outbox",
    "DROP TRIGGER audit_log_no_update_delete ON audit_log",
    "CREATE INDEX intruder ON outbox (id)",
    "UPDATE audit_log SET actor = 'x'",
    "DELETE FROM audit_log",
    "DELETE FROM alembic_version_suxin_kit",
    "ALTER ROLE CURRENT_USER SUPERUSER",
]


@pytest.mark.parametrize("service", SERVICES)
async def test_the_runtime_role_has_dml_only(infra, service):
    # Migrated here, not copied from the session's template: the rights under test are the
    # ones the migration itself leaves.
    db = await infra.service_database(service, f"lp_{service}", clone=False)
    assert f"//{runtime_role(service)}:" in db.runtime_url
    rights = await role_rights(db.runtime_url)
    assert rights == {
        "rolsuper": False,
        "rolcreaterole": False,
        "rolcreatedb": False,
        "rolreplication": False,
        "rolbypassrls": False,
        "owns_tables": False,
        "create_on_public": False,
    }
    conn = await asyncpg.connect(asyncpg_dsn(db.runtime_url))
    try:
        refused = []
        for statement in REFUSED:
            try:
                async with conn.transaction():
                    await conn.execute(statement)
            except asyncpg.InsufficientPrivilegeError:
                refused.append(statement)
        assert refused == REFUSED
        # What the service does need still works: the kit's tables take DML.
        async with conn.transaction():
            await conn.execute("INSERT INTO rate_limit_windows VALUES ('lp', 1, 1)")
            await conn.execute("UPDATE rate_limit_windows SET count = 2 WHERE key = 'lp'")
            await conn.execute("DELETE FROM rate_limit_windows WHERE key = 'lp'")
            await conn.execute("SELECT count(*) FROM audit_log")
    finally:
        await conn.close()


async def test_a_wrong_password_is_refused_where_the_server_checks_passwords(infra):
    """The embedded server asks the service roles for their password (the machine's own
    PostgreSQL may trust local connections: then there is nothing to show)."""
    db = await infra.service_database("job_matching", "lp_password", migrate=False)
    admin = await asyncpg.connect(asyncpg_dsn(infra.admin_database_url))
    try:
        methods = await admin.fetch(
            "SELECT auth_method FROM pg_hba_file_rules WHERE 'all' = ANY(user_name) "
            "AND type = 'host'"
        )
    except asyncpg.PostgresError:
        methods = []
    finally:
        await admin.close()
    if not methods or any(m["auth_method"] == "trust" for m in methods):
        pytest.skip("this PostgreSQL trusts local connections")
    wrong = db.runtime_url.replace(dev_password(runtime_role("job_matching")), "wrong")
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(asyncpg_dsn(wrong))


@pytest.fixture
async def streams(infra):
    if not infra.nats_users:
        pytest.skip("NATS users exist on the embedded test server only")
    await fresh_streams(infra.nats_url)
    admin = await nats.connect(infra.nats_url)
    js = admin.jetstream()
    for spec in (HIRING, GIG):
        await ensure_stream(js, spec, ServiceSettings())
    yield js
    await admin.close()


async def test_a_service_may_not_publish_on_another_services_subjects(infra, streams):
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    url = infra.nats_url_for("job_matching")
    nc = await nats.connect(url, error_cb=on_error, inbox_prefix=natsauth.inbox_prefix(url))
    try:
        js = nc.jetstream()
        ack = await js.publish("suxin.hiring.lp_probe.v1", b"own", timeout=5)
        assert ack.stream == HIRING.name
        with pytest.raises(nats.errors.TimeoutError):
            await js.publish("suxin.gig.platform_registered.v1", b"forged", timeout=1)
        with pytest.raises(nats.errors.TimeoutError):  # nor delete another service's stream
            await js.delete_stream(GIG.name)
        with pytest.raises(nats.errors.TimeoutError):  # nor read through another's consumer
            await js.add_consumer(GIG.name, ConsumerConfig(durable_name="gig-market"))
    finally:
        await nc.close()
    assert (await streams.stream_info(GIG.name)).state.messages == 0
    violations = [str(e) for e in errors if "permissions violation" in str(e).lower()]
    assert any("suxin.gig.platform_registered.v1" in v for v in violations), errors
    assert any("stream.delete" in v.lower() for v in violations), errors


async def test_a_service_consumes_through_its_own_consumer_only(infra, streams):
    await streams.publish("suxin.hiring.lp_probe.v1", b"event", timeout=5)
    url = infra.nats_url_for("talent_card")
    nc = await nats.connect(url, inbox_prefix=natsauth.inbox_prefix(url))
    try:
        js = nc.jetstream()
        config = ConsumerConfig(durable_name="talent-card", filter_subject="suxin.hiring.>")
        await js.add_consumer(HIRING.name, config)
        sub = await js.pull_subscribe_bind(durable="talent-card", stream=HIRING.name)
        [msg] = await sub.fetch(1, timeout=5)
        await msg.ack_sync()
        assert msg.data == b"event"
        with pytest.raises(nats.errors.TimeoutError):
            await js.add_consumer(HIRING.name, ConsumerConfig(durable_name="job-matching"))
    finally:
        await nc.close()


def test_the_nats_users_are_derived_from_the_services_as_they_are():
    """bus_map.json (what each service publishes and consumes) and the generated server
    configs match the code; `scripts/nats_users.py` rewrites them."""
    spec = importlib.util.spec_from_file_location(
        "nats_users", Path(__file__).resolve().parents[2] / "scripts" / "nats_users.py"
    )
    script = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("nats_users", script)
    spec.loader.exec_module(script)
    current = script.current_bus_map(SERVICES)
    stale = "stale: run .venv/bin/python scripts/nats_users.py"
    assert json.loads(natsauth.BUS_MAP_FILE.read_text()) == current, stale
    assert script.COMPOSE_CONF.read_text() == natsauth.server_config(SERVICES), stale
    assert script.HELM_VALUES.read_text() == script.helm_values(SERVICES), stale
    for service, use in current.items():
        allowed = natsauth.permissions(service)["publish"]["allow"]
        events = [a for a in allowed if a.startswith("suxin.") and ".audit." not in a]
        assert len(events) == len(use["publishes"]), service


def test_the_checkpoint_permissions_follow_the_kits_names():
    from suxin_common.security import audit_checkpoints

    assert natsauth.CHECKPOINT_STREAM == audit_checkpoints.STREAM
    assert natsauth.CHECKPOINT_PREFIX == audit_checkpoints.SUBJECT_PREFIX


async def test_a_service_receives_replies_on_its_own_inbox_only(infra, streams):
    """Replies (JetStream API answers, fetched messages) go to the requester's inbox: a service
    may not listen on another service's inbox prefix, nor on the default ``_INBOX``."""
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    url = infra.nats_url_for("talent_card")
    assert natsauth.inbox_prefix(url) == "_INBOX_talent_card"
    nc = await nats.connect(url, error_cb=on_error, inbox_prefix=natsauth.inbox_prefix(url))
    try:
        for subject in ("_INBOX_job_matching.>", "_INBOX.>"):
            await nc.subscribe(subject)
        await nc.flush()
        await asyncio.sleep(0.5)  # the server's -ERR arrives asynchronously
        info = await nc.jetstream().stream_info(HIRING.name)  # its own replies do arrive
    finally:
        await nc.close()
    assert info.config.name == HIRING.name
    # (nats-py lower-cases the server's -ERR text)
    violations = " ".join(
        str(e).lower() for e in errors if "permissions violation" in str(e).lower()
    )
    assert '"_inbox_job_matching.>"' in violations and '"_inbox.>"' in violations, errors
