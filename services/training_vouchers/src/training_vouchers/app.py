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
from suxin_common.security.four_eyes import approvals_router
from suxin_common.service import build_service_app
from training_vouchers import four_eyes_actions
from training_vouchers.api import appeals, payments, training
from training_vouchers.api.routes import router
from training_vouchers.consumers import subscriptions
from training_vouchers.policies import load_book
from training_vouchers.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Every policy version, loaded and validated here: a broken file stops the start-up.
    book = load_book()
    app = build_service_app(
        settings,
        title="Suxin training-vouchers (培训与补贴)",
        description="Employment-subsidy policy rules and the subsidy cases they open (免申即享).",
        routers=[router, training.router, payments.router, appeals.router, approvals_router()],
        subscriptions=subscriptions(
            book, outcome_window_days=settings.training_outcome_window_days
        ),
        publishes=[SUBSIDY, TRAINING],
    )
    app.state.policy_book = book
    # Maker-checker: the rules (thresholds from the settings) and what a confirmation does.
    app.state.four_eyes = four_eyes_actions.registry(settings)
    return app
