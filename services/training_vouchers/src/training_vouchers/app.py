"""Training-vouchers (培训与补贴): subsidised training (catalogue, institutions, vouchers) and
the employment-subsidy policy engine with its subsidy cases (免申即享), the social-insurance
data the rules read, and the policy calculator.

Subscribes to ``suxin.hiring.hire_recorded.v1``; publishes on SUXIN_SUBSIDY (case opened,
review started, decided, paid) and SUXIN_TRAINING (voucher issued/redeemed, training
completed/certified, outcome recorded).
"""

from __future__ import annotations

from fastapi import FastAPI

from suxin_common.messaging.catalog import SUBSIDY, TRAINING
from suxin_common.service import Runtime, build_service_app
from training_vouchers import calendar_handlers
from training_vouchers.api import calculator, calendar, startup_loans, training
from training_vouchers.api.routes import router
from training_vouchers.consumers import subscriptions
from training_vouchers.domain.working_days import CALENDAR
from training_vouchers.policies import load_book
from training_vouchers.settings import Settings


async def _install_holiday_schedules(runtime: Runtime) -> None:
    """The holiday schedules staff loaded make their years' working days official."""
    async with runtime.uow() as uow:
        await calendar_handlers.install_schedules(uow, CALENDAR)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Every policy version, loaded and validated here: a broken file stops the start-up.
    book = load_book()
    app = build_service_app(
        settings,
        title="Suxin training-vouchers (培训与补贴)",
        description="Employment-subsidy policy rules and the subsidy cases they open (免申即享).",
        routers=[router, calculator.router, calendar.router, startup_loans.router, training.router],
        subscriptions=subscriptions(
            book, outcome_window_days=settings.training_outcome_window_days
        ),
        publishes=[SUBSIDY, TRAINING],
        on_started=_install_holiday_schedules,
    )
    app.state.policy_book = book
    return app
