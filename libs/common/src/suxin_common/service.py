"""Service kit: builds a service's FastAPI app and its background workers from declarations.

A service's ``app.py`` calls :func:`build_service_app` with its settings, routers,
subscriptions and the streams it publishes; everything is created in the lifespan, nothing at
import time. On shutdown (SIGTERM under uvicorn) consumers stop taking messages, hand back what
they fetched, the relay stops, and the NATS connection drains.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar, cast

import nats
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi_offline import FastAPIOffline
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from suxin_common import apidocs, natsauth
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

S = TypeVar("S", bound=ServiceSettings)
R = TypeVar("R")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """What a running service holds; reachable as ``request.app.state.runtime``; routes receive
    it inside the service's :class:`Deps`."""

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
    # The service's repositories (``build_service_app(repositories=...)``): every unit of work
    # the runtime opens carries them as ``uow.repos``.
    repositories: Callable[[UnitOfWork[Any]], Any] | None = None

    def uow(self) -> UnitOfWork[Any]:
        return UnitOfWork(self.sessions, source=self.source, repositories=self.repositories)


@dataclass(frozen=True)
class Deps(Generic[S, R]):
    """The one typed object a service's routes receive (``deps: <Service>Deps``), built by the
    kit at startup from what ``create_app`` declared: the service's settings, the database
    (``uow()`` opens a unit of work with the service's repositories; ``sessions`` for reads),
    personal-data protection, the bus, the clock and the authenticator. A service names it in
    one line, ``JobMatchingDeps = Annotated[Deps[Settings, Repositories], Depends(get_deps)]``,
    instead of reaching into ``app.state``, keeping ``@cache`` singletons or ``partial`` wiring."""

    runtime: Runtime
    authenticator: Authenticator
    clock: Callable[[], datetime] = utc_now

    @property
    def settings(self) -> S:
        # The runtime's, read each time: a test (or an operator's reload) may replace them.
        return cast(S, self.runtime.settings)

    def uow(self) -> UnitOfWork[R]:
        return self.runtime.uow()

    @property
    def engine(self) -> AsyncEngine:
        return self.runtime.engine

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.runtime.sessions

    @property
    def personal_data(self) -> PersonalData:
        return self.runtime.personal_data

    @property
    def js(self) -> JetStreamContext:
        if self.runtime.js is None:
            raise ServiceUnavailable("service is starting")
        return self.runtime.js


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


async def get_deps(request: Request) -> Deps[Any, Any]:
    """The service's :class:`Deps` (one FastAPI dependency for every route)."""
    deps = getattr(request.app.state, "deps", None)
    if deps is None:
        raise ServiceUnavailable("service is starting")
    return deps


class RuntimeAccess:
    """For a service's own deps dataclass (one with wiring of its own, e.g. policy versions)
    that holds the kit's ``runtime`` once the lifespan has started it: units of work, sessions,
    the engine and personal-data protection through it, 503 before start-up."""

    runtime: Runtime | None

    def _started(self) -> Runtime:
        if self.runtime is None:
            raise ServiceUnavailable("service is starting")
        return self.runtime

    @property
    def started(self) -> Runtime:
        """The kit's runtime itself (503 before start-up), for the handlers and workers that
        take it whole (a batch worker shared with a background task)."""
        return self._started()

    def uow(self) -> UnitOfWork[Any]:
        return self._started().uow()

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self._started().sessions

    @property
    def engine(self) -> AsyncEngine:
        return self._started().engine

    @property
    def personal_data(self) -> PersonalData:
        return self._started().personal_data


def install_service_deps(app: FastAPI, deps: RuntimeAccess) -> None:
    """Make `deps` (a service's own deps dataclass, see :class:`RuntimeAccess`) the one its
    routes receive through :func:`service_deps`; ``create_app`` calls this once."""
    app.state.service_deps = deps


def service_deps(request: Request) -> Any:
    """The service's own deps dataclass as ``create_app`` installed it, carrying the runtime
    as the lifespan left it (none before start-up and after shut-down). A service declares
    ``<Service>Deps = Annotated[ServiceDeps, Depends(service_deps)]`` in its ``api/deps.py``."""
    deps = request.app.state.service_deps
    runtime = getattr(request.app.state, "runtime", None)
    if deps.runtime is not runtime:
        deps = request.app.state.service_deps = dataclasses.replace(deps, runtime=runtime)
    return deps


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]


def install_runtime(app: FastAPI, runtime: Runtime) -> None:
    """Make ``runtime`` the app's (the lifespan does, and a test that built the runtime itself):
    its units of work get the repositories the app declared, and routes their :class:`Deps`."""
    # An app not built by build_service_app (a kit test's bare FastAPI app, a stand-in
    # runtime) declares no repositories, authenticator or clock: it gets none, not an error.
    if getattr(runtime, "repositories", None) is None:
        runtime.repositories = getattr(app.state, "repositories", None)
    app.state.runtime = runtime
    app.state.deps = Deps(
        runtime,
        getattr(app.state, "authenticator", None),
        getattr(app.state, "clock", None) or utc_now,
    )


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
                inbox_prefix=natsauth.inbox_prefix(settings.nats_url, user=settings.nats_user),
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
    repositories: Callable[[UnitOfWork[Any]], Any] | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """The service's app. ``repositories`` (the service's factory, called with each unit of
    work) gives every unit of work its ``repos``; routes receive :class:`Deps` (with ``clock``)
    through :func:`get_deps`."""
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
            repositories=repositories,
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
            install_runtime(app, runtime)
            if on_started is not None:
                await on_started(runtime)
            yield
        finally:
            await _shutdown(runtime)
            app.state.runtime = None
            app.state.deps = None

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
    app.state.deps = None
    app.state.repositories = repositories
    app.state.clock = clock
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
