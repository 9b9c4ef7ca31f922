"""Training-vouchers (培训与补贴): employment-subsidy rules and subsidy cases.

Subscribes to ``suxin.hiring.hire_recorded.v1``; publishes ``suxin.subsidy.subsidy_case_opened.v1``.
"""

from __future__ import annotations

from fastapi import FastAPI

from suxin_common.messaging.catalog import SUBSIDY
from suxin_common.service import build_service_app
from training_vouchers.api.routes import router
from training_vouchers.consumers import subscriptions
from training_vouchers.policies import load_policy
from training_vouchers.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # Loaded and validated here, so a missing or broken policy file stops the start-up.
    policy = load_policy(settings.policy_version)
    app = build_service_app(
        settings,
        title="Suxin training-vouchers (培训与补贴)",
        description="Employment-subsidy policy rules and the subsidy cases hires open (免申即享).",
        routers=[router],
        subscriptions=subscriptions(policy),
        publishes=[SUBSIDY],
    )
    app.state.policy = policy
    return app
