"""Test support shared by integration and end-to-end tests: a database with the platform
tables, fresh streams on a shared NATS server, event factories and waiting for outcomes."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import nats
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.messaging.catalog import STREAMS
from suxin_common.settings import ServiceSettings
from suxin_common.tables import platform_metadata


async def platform_database(infra, name: str) -> tuple[str, AsyncEngine]:
    url = await infra.create_database(name)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(platform_metadata.create_all)
    return url, engine


async def fresh_streams(nats_url: str) -> None:
    """Tests share one NATS server: start each from empty Suxin streams (the audit log's
    checkpoints too: they name a service, not the database they were taken of)."""
    from suxin_common.security.audit_checkpoints import STREAM as CHECKPOINTS

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for name in (*(spec.name for spec in STREAMS), CHECKPOINTS):
            try:
                await js.delete_stream(name)
            except nats.js.errors.NotFoundError:
                pass
    finally:
        await nc.close()


async def forget_audit_checkpoints(nats_url: str, service_name: str) -> None:
    """Remove `service_name`'s signed audit checkpoints from the shared NATS server, before a
    test runs that service on a new database (and verifies its audit chain against them)."""
    from suxin_common.security.audit_checkpoints import STREAM, SUBJECT_PREFIX

    nc = await nats.connect(nats_url)
    try:
        await nc.jsm().purge_stream(STREAM, subject=SUBJECT_PREFIX + service_name)
    except nats.js.errors.NotFoundError:
        pass
    finally:
        await nc.close()


def settings_for(db_url: str, nats_url: str, **overrides) -> ServiceSettings:
    values = dict(
        environment="test",
        service_name=f"probe-{uuid.uuid4().hex[:8]}",
        database_url=db_url,
        nats_url=nats_url,
        consumer_fetch_timeout_s=0.5,
        consumer_backoff_s=[0.05, 0.1, 0.2],
        outbox_poll_interval_s=0.2,
    )
    values.update(overrides)
    return ServiceSettings(**values)


def hire_event(n: int = 0) -> hiring.HireRecorded:
    return hiring.HireRecorded(
        hire_id=str(uuid.uuid4()),
        version=1,
        enterprise_uscc="91320100711234567E",
        city_code="3210",
        district_code="321002",
        industry_code="C",
        person_key=f"pk_{n:032x}",
        start_date=Date(year=2026, month=11, day=1),
        job_kind=hiring.JOB_KIND_FULL_TIME,
    )


def headers_for(event_id: str, ce_type: str = "suxin.hiring.hire_recorded.v1") -> dict[str, str]:
    return {
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-type": ce_type,
        "ce-source": "/test",
        "ce-subject": event_id,
        "ce-time": datetime.now(UTC).isoformat(),
        "ce-datacontenttype": "application/protobuf",
        "Nats-Msg-Id": event_id,
    }


async def eventually(check: Callable[[], Awaitable[bool]], *, within: float = 20.0) -> None:
    """Wait until ``check()`` holds; fail with the timeout otherwise."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        if await check():
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(0.05)


async def scalar(engine: AsyncEngine, sql: str, **params):
    async with engine.connect() as conn:
        return (await conn.execute(text(sql), params)).scalar()


def make_resident_id(n: int, *, district: str = "321002", born: str = "19980101") -> str:
    """A well-formed, synthetic resident ID (valid check digit) for tests and demo data.

    The sequence part has three digits, so person ``n`` ≥ 1000 is born ``n // 1000`` days after
    ``born``: every ``n`` is a different person (the full chaos run registers 10,000)."""
    from datetime import datetime, timedelta

    from stdnum.cn import ric

    if n >= 1000:
        born = (datetime.strptime(born, "%Y%m%d") + timedelta(days=n // 1000)).strftime("%Y%m%d")
    body = f"{district}{born}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(n: int, *, region: str = "321002") -> str:
    """A well-formed, synthetic USCC (valid check character) for tests and demo data."""
    from stdnum.cn import uscc

    body = f"91{region}{n:09d}"[:17]
    return body + uscc.calc_check_digit(body)


@contextlib.asynccontextmanager
async def service_runtime(infra, service: str, settings_cls: type[ServiceSettings]):
    """A service's runtime on a fresh, migrated database, without NATS or background workers:
    for integration tests that call handlers and the API directly. It connects as the service's
    runtime role (DML only); ``runtime.database`` (a ``ServiceDatabase``) has the owner and
    admin URLs. The database is dropped on the way out."""
    from suxin_common.db import session_factory
    from suxin_common.privacy import PersonalData
    from suxin_common.service import Runtime

    db = await infra.service_database(service)
    settings = settings_cls(
        environment="test", database_url=db.runtime_url, nats_url=infra.nats_url_for(service)
    )
    engine = create_async_engine(db.runtime_url)
    try:
        runtime = Runtime(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            personal_data=PersonalData.from_settings(settings),
            source=f"/suxin/{settings.service_name}",
        )
        # The database's owner/admin URLs, for tests that must change what the runtime
        # role may not (runtime.engine connects as the service's runtime role).
        runtime.database = db
        yield runtime
    finally:
        await engine.dispose()
        await infra.drop_database(db.database)


@contextlib.asynccontextmanager
async def api_client(app, runtime):
    """An HTTP client on ``app`` using ``runtime`` as the lifespan would have set it."""
    import httpx

    from suxin_common.service import install_runtime

    install_runtime(app, runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=f"http://{runtime.settings.service_name}"
    ) as c:
        yield c


@contextlib.asynccontextmanager
async def lifespan_client(infra, service: str, database: str, settings_cls, create_app):
    """A service's app on a fresh, migrated database ``database``, run through its own lifespan
    (NATS connected as the service's user, background workers off; PostgreSQL as its runtime
    role), and an HTTP client on it; the client's ``database_url`` attribute is the database's
    admin URL, for tests that look at rows directly (``service_database``: all its URLs). The
    database is dropped on the way out."""
    import httpx

    db = await infra.service_database(service, database)
    url = db.admin_url
    settings = settings_cls(
        environment="test",
        database_url=db.runtime_url,
        nats_url=infra.nats_url_for(service),
        run_background_workers=False,
    )
    # The audit log's signed checkpoints are kept per service name on the shared NATS server:
    # those another test's database of this service left would not match this new database.
    await forget_audit_checkpoints(infra.nats_url, settings.service_name)
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app), base_url=f"http://{database}"
            ) as client:
                client.database_url = url
                client.service_database = db
                yield client
    finally:
        await infra.drop_database(db.database)


async def schema_drift(engine, metadata) -> list:
    """What differs between a migrated database and a service's tables (empty: none).

    The platform tables and the kit's tables (audit log, idempotency keys: created by the
    kit's own migration stream, which ``upgrade`` runs too) are compared as well; alembic's
    version tables are ignored.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from suxin_common.tables import kit_metadata, platform_metadata

    def differences(connection) -> list:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _: (
                    not (kind == "table" and name.startswith("alembic_"))
                ),
            },
        )
        return compare_metadata(context, [metadata, platform_metadata, kit_metadata])

    async with engine.connect() as conn:
        return await conn.run_sync(differences)


@contextlib.asynccontextmanager
async def running_consumers(runtime, subscriptions, nats_url: str, **overrides):
    """A service's subscriptions run by the real consumer runner on fresh streams.

    Yields ``(js, runner)``; ``overrides`` change settings (e.g. fault_redeliver_after_commit).
    """
    import nats

    from suxin_common.messaging.runner import ConsumerRunner
    from suxin_common.messaging.streams import ensure_stream

    await fresh_streams(nats_url)
    settings = runtime.settings.model_copy(
        update={"consumer_fetch_timeout_s": 0.5, "consumer_backoff_s": [0.05], **overrides}
    )
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    runner = ConsumerRunner(js, runtime.sessions, settings, subscriptions, source=runtime.source)
    for spec in runner.streams:
        await ensure_stream(js, spec, settings)
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        await asyncio.wait_for(runner.ready.wait(), 10)
        yield js, runner
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
        await nc.close()


def _message_and_envelope(message, meta):  # noqa: ANN001
    return message, meta


def message_subscription(event_type, handler):  # noqa: ANN001
    """A subscription whose handler ``(uow, message, meta)`` sees the proto message and its
    envelope untranslated: for the kit's own tests and baselines (services translate)."""
    from suxin_common.messaging.runner import Subscription

    async def handle(uow, received) -> None:  # noqa: ANN001
        await handler(uow, *received)

    return Subscription(event_type, _message_and_envelope, handle)


async def consumer_settled(js, runner) -> bool:
    """Nothing left to deliver or awaiting an ack on any of the runner's streams."""
    for spec in runner.streams:
        info = await js.consumer_info(spec.name, runner.consumer)
        if info.num_pending or info.num_ack_pending:
            return False
    return True


async def kit_database(infra, name: str) -> tuple[str, AsyncEngine]:
    """A fresh database with the kit's own tables (audit log, idempotency keys), migrated by
    the kit's stream exactly as in a service database."""
    from alembic import command

    from suxin_common.migrate import kit_alembic_config

    url = await infra.create_database(name)
    await asyncio.to_thread(command.upgrade, kit_alembic_config(url), "head")
    return url, create_async_engine(url)


@functools.cache
def service_app(service: str):  # noqa: ANN201
    """`service`'s app, built with test settings once per process, for tests that read its
    routes, OpenAPI and documentation pages (its lifespan is never run: no database, no NATS).
    Several test modules look at the same apps; building each once keeps `make unit` fast."""
    import importlib

    settings = importlib.import_module(f"{service}.settings").Settings(environment="test")
    return importlib.import_module(f"{service}.app").create_app(settings)
