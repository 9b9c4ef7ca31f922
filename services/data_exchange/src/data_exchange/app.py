"""Data-exchange (数据共享交换): authority facts from other departments (部门数据比对) and
HRSS's own records handled by district staff.

Takes batch files (CSV, JSON Lines) with their manifests over HTTP or from an inbox directory,
and single records over HTTP; runs 就业失业登记 and 就业困难人员认定 for district staff. Publishes
``suxin.dataexchange.fact_verified.v1`` (one FactVerified per change of a fact); subscribes to
nothing. Background tasks: the batch worker and (with INBOX_DIR) the inbox watcher.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from data_exchange import inbox
from data_exchange.adapters.repositories import Repositories
from data_exchange.api import batches, feeds, records
from data_exchange.api.deps import ServiceDeps
from data_exchange.consumers import SUBSCRIPTIONS
from data_exchange.settings import Settings
from suxin_common.messaging.catalog import DATAEXCHANGE
from suxin_common.service import Runtime, build_service_app, install_service_deps


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    wake = asyncio.Event()

    async def start_workers(runtime: Runtime) -> None:
        if not settings.run_background_workers:
            return
        runtime.tasks.append(asyncio.create_task(inbox.work(runtime, runtime.stop, wake)))
        if settings.inbox_dir:
            runtime.tasks.append(asyncio.create_task(inbox.watch(runtime, runtime.stop, wake)))

    app = build_service_app(
        settings,
        title="Suxin data-exchange (数据共享交换)",
        description=(
            "Authority facts from other departments (部门数据比对): batch files with manifests, "
            "an inbox directory and single records; 就业失业登记 and 就业困难人员认定 handled by "
            "district staff; publishes suxin.dataexchange events."
        ),
        routers=[batches.router, feeds.router, *records.routers()],
        subscriptions=SUBSCRIPTIONS,
        publishes=[DATAEXCHANGE],
        on_started=start_workers,
        repositories=Repositories,
    )
    # The routes' one dependency object (api/deps.py), built once here.
    install_service_deps(app, ServiceDeps(settings, wake))
    return app
