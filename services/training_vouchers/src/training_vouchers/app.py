"""Training-vouchers (培训与补贴): subsidised training (catalogue, institutions, vouchers) and
the employment-subsidy policy engine with its subsidy cases (免申即享), the social-insurance
data the rules read, and the policy calculator.

Subscribes to ``suxin.hiring.hire_recorded.v1`` and ``employment_ended.v1``; publishes on
SUXIN_SUBSIDY (case opened, review started, decided, paid, deadline recomputed) and
SUXIN_TRAINING (voucher issued/redeemed, training completed/certified, outcome recorded).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from fastapi import FastAPI

from suxin_common.messaging.catalog import SUBSIDY, TRAINING
from suxin_common.security.four_eyes import approvals_router
from suxin_common.service import Runtime, build_service_app, install_service_deps
from training_vouchers import four_eyes_actions
from training_vouchers.adapters.repositories import Repositories
from training_vouchers.api import (
    appeals,
    calculator,
    calendar,
    me,
    payments,
    startup_loans,
    training,
)
from training_vouchers.api.deps import ServiceDeps
from training_vouchers.api.routes import router
from training_vouchers.consumers import subscriptions
from training_vouchers.domain.policy import PolicyBook
from training_vouchers.domain.working_days import CALENDAR
from training_vouchers.handlers import calendar as calendar_handlers
from training_vouchers.policies import load_book
from training_vouchers.settings import Settings

log = logging.getLogger(__name__)


SCHEDULE_REFRESH_SECONDS = 300


async def _sync_holiday_schedules(runtime: Runtime, book: PolicyBook | None) -> None:
    async with runtime.uow() as uow:
        stored = await calendar_handlers.sync_schedules(
            uow, CALENDAR, book=book, at=datetime.now(UTC)
        )
        await uow.commit()
    CALENDAR.replace_all(stored)


def _holiday_schedules(book: PolicyBook):
    """At start: install the holiday schedules staff loaded; then every few minutes pick up
    one loaded on another replica (recounting what this one counted provisionally)."""

    async def started(runtime: Runtime) -> None:
        await _sync_holiday_schedules(runtime, None)

        async def refresh() -> None:
            while not runtime.stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(runtime.stop.wait(), SCHEDULE_REFRESH_SECONDS)
                if runtime.stop.is_set():
                    return
                try:
                    await _sync_holiday_schedules(runtime, book)
                except Exception:  # the next round tries again
                    log.exception("refreshing the holiday schedules failed")

        runtime.tasks.append(asyncio.create_task(refresh()))

    return started


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Every policy version, loaded and validated here: a broken file stops the start-up.
    book = load_book()
    app = build_service_app(
        settings,
        title="Suxin training-vouchers (培训与补贴)",
        description="Employment-subsidy policy rules and the subsidy cases they open (免申即享).",
        routers=[
            router,
            calculator.router,
            calendar.router,
            startup_loans.router,
            training.router,
            payments.router,
            appeals.router,
            me.router,
            approvals_router(),
        ],
        subscriptions=subscriptions(
            book, outcome_window_days=settings.training_outcome_window_days
        ),
        publishes=[SUBSIDY, TRAINING],
        on_started=_holiday_schedules(book),
        repositories=Repositories,
    )
    # Maker-checker: the rules (thresholds from the settings) and what a confirmation does
    # (the kit's approvals router finds them on the app; this service's routes in its deps).
    app.state.four_eyes = four_eyes_actions.registry(settings)
    install_service_deps(app, ServiceDeps(settings, book, app.state.four_eyes))
    return app
