"""Service kit: builds a service's FastAPI app and its background workers from declarations.

A service's ``app.py`` calls :func:`build_service_app` with its settings, routers,
subscriptions and the streams it publishes; everything is created in the lifespan, nothing at
import time. On shutdown (SIGTERM under uvicorn) consumers stop taking messages, hand back what
they fetched, the relay stops, and the NATS connection drains.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated

import nats
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi_offline import FastAPIOffline
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from suxin_common import apidocs
from suxin_common.auth import Authenticator
from suxin_common.db import UnitOfWork, create_engine, session_factory
from suxin_common.messaging.admin import router as dead_letters_router
from suxin_common.messaging.catalog import StreamSpec
from suxin_common.messaging.relay import OutboxRelay
from suxin_common.messaging.runner import ConsumerRunner, Subscription
from suxin_common.messaging.streams import ensure_stream
from suxin_common.metrics import run_sampler
from suxin_common.privacy import PersonalData
from suxin_common.security import audit, audit_checkpoints
from suxin_common.security.install import install_security
from suxin_common.settings import ServiceSettings
from suxin_common.telemetry import setup_telemetry
from suxin_common.web import (
    ServiceUnavailable,
    health_router,
    install_problem_handlers,
)
from suxin_common.web_edge import EdgeMiddleware

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What a running service holds; reachable as ``request.app.state.runtime``."""

    settings: ServiceSettings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    personal_data: PersonalData
    source: str
    nc: NatsClient | None = None
    js: JetStreamContext | None = None
    relay: OutboxRelay | None = None
    consumers: ConsumerRunner | None = None
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessions, source=self.source)


def runtime_of(request: Request) -> Runtime:
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise ServiceUnavailable("service is starting")
    return runtime


# The dependencies are coroutines on purpose: FastAPI runs a plain `def` dependency in a worker
# thread, and two thread hand-offs per request cost more CPU than the hire's own statements
# (py-spy of POST /v1/hires, bench/results/profiles.md; docs/capacity.md).
async def get_runtime(request: Request) -> Runtime:
    return runtime_of(request)


async def get_uow(request: Request) -> UnitOfWork:
    return runtime_of(request).uow()


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]


async def connect_nats(settings: ServiceSettings, *, attempts: int = 30) -> NatsClient:
    """Connect, retrying the first connection too; later reconnects are automatic."""
    last: Exception | None = None
    for _ in range(attempts):
        try:
            credentials = (
                {"user": settings.nats_user, "password": settings.nats_password}
                if settings.nats_user
                else {}
            )
            return await nats.connect(
                settings.nats_url,
                name=settings.service_name,
                **credentials,
                max_reconnect_attempts=-1,
                reconnect_time_wait=1,
                connect_timeout=3,
            )
        except Exception as exc:  # not up yet
            last = exc
            await asyncio.sleep(1.0)
    raise RuntimeError(f"cannot connect to NATS at {settings.nats_url}: {last}")


async def wait_for_database(engine: AsyncEngine, *, attempts: int = 60) -> None:
    """Wait until PostgreSQL accepts queries (a pod may start before it, or while it recovers
    from a crash: "the database system is starting up")."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return
        except Exception as exc:  # not up yet
            last = exc
            if attempt == 0:
                log.warning("database not reachable yet (%s); waiting", type(exc).__name__)
            await asyncio.sleep(1.0)
    raise RuntimeError(f"cannot reach the database: {last}")


def build_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    subscriptions: Sequence[Subscription] = (),
    publishes: Sequence[StreamSpec] = (),
    on_started: Callable[[Runtime], Awaitable[None]] | None = None,
    before_workers: Callable[[Runtime], Awaitable[None]] | None = None,
) -> FastAPI:
    source = f"/suxin/{settings.service_name}"

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        setup_telemetry(settings)
        audit.use_keys(audit.ChainKeys.from_spec(settings.audit_chain_keys))
        engine = create_engine(settings)
        runtime = Runtime(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            personal_data=PersonalData.from_settings(settings),
            source=source,
        )
        try:
            await wait_for_database(engine)
            runtime.nc = await connect_nats(settings)
            runtime.js = runtime.nc.jetstream()
            await audit_checkpoints.ensure_stream(runtime.js, replicas=settings.stream_replicas)
            runtime.consumers = ConsumerRunner(
                runtime.js, runtime.sessions, settings, subscriptions, source=source
            )
            for spec in {*publishes, *runtime.consumers.streams}:
                await ensure_stream(runtime.js, spec, settings)
            if before_workers is not None:
                # State the consumers need from the first message on (e.g. approved tables).
                await before_workers(runtime)
            if settings.run_background_workers:
                runtime.relay = OutboxRelay(engine, runtime.js, settings)
                runtime.tasks.append(asyncio.create_task(runtime.relay.run(runtime.stop)))
                runtime.tasks.append(asyncio.create_task(runtime.consumers.run(runtime.stop)))
                runtime.tasks.append(asyncio.create_task(run_sampler(runtime, runtime.stop)))
                checkpoints = audit_checkpoints.run(
                    runtime.js,
                    engine,
                    settings.service_name,
                    runtime.stop,
                    settings.audit_checkpoint_interval_s,
                )
                runtime.tasks.append(asyncio.create_task(checkpoints))
            app.state.runtime = runtime
            if on_started is not None:
                await on_started(runtime)
            yield
        finally:
            await _shutdown(runtime)
            app.state.runtime = None

    # Swagger UI and ReDoc from the assets packaged with fastapi-offline: /docs works without
    # the internet (no CDN), as a government network often is.
    app = FastAPIOffline(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        telemetry=_ONE_HTTP_INSTRUMENTATION,
    )
    app.state.settings = settings
    app.state.runtime = None
    # What the service does on the bus, for its NATS user's permissions (suxin_common.natsauth).
    app.state.bus_use = {
        "consumer": settings.service_name,
        "publishes": sorted({spec.name for spec in publishes}),
        "consumes": sorted({sub.event.stream.name for sub in subscriptions}),
    }
    app.state.authenticator = Authenticator(settings)
    install_problem_handlers(app)
    install_security(app, settings)  # abuse limits, Idempotency-Key, auditor API, log masking
    # Outside the security layers: request id, language (Chinese first; English with
    # Accept-Language: en) and the docs' CSP, in one layer (web_edge).
    app.add_middleware(EdgeMiddleware)

    async def database_ready() -> None:
        runtime = app.state.runtime
        if runtime is None:
            raise RuntimeError("starting")
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def nats_ready() -> None:
        runtime = app.state.runtime
        if runtime is None or runtime.nc is None or not runtime.nc.is_connected:
            raise RuntimeError("not connected")

    async def consumers_ready() -> None:
        runtime = app.state.runtime
        if runtime is None or runtime.consumers is None:
            raise RuntimeError("starting")
        if settings.run_background_workers and not runtime.consumers.ready.is_set():
            raise RuntimeError("consumers not bound yet")

    app.include_router(
        health_router(
            {"database": database_ready, "nats": nats_ready, "consumers": consumers_ready}
        )
    )
    for router in routers:
        app.include_router(router)
    if subscriptions:
        app.include_router(dead_letters_router)
    apidocs.install(app)
    _instrument(app)
    return app


# FastAPI's own OpenTelemetry layer (on by default since FastAPI 0.16x) would trace and measure
# every request a second time, besides the instrumentor below (whose server span, trace context
# and http.server.duration the traces and dashboards use), with a span per dependency, endpoint
# and serialisation on top: off, one HTTP instrumentation is enough.
_ONE_HTTP_INSTRUMENTATION = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


def _instrument(app: FastAPI) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # One server span per request, as before, without a child span for every ASGI message
    # ("http receive", "http send" start and body): those said nothing a trace needs and cost
    # three span starts and ends per request.
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="livez,readyz,metrics", exclude_spans=["receive", "send"]
    )


async def _shutdown(runtime: Runtime) -> None:
    runtime.stop.set()
    if runtime.tasks:
        done, pending = await asyncio.wait(runtime.tasks, timeout=15)
        for task in pending:
            task.cancel()
        await asyncio.gather(*runtime.tasks, return_exceptions=True)
    if runtime.nc is not None and not runtime.nc.is_closed:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runtime.nc.drain(), 5)
    await runtime.engine.dispose()
