"""Job-matching (苏心聘 backend): enterprises, seekers, job posts and hires.

Publishes ``suxin.hiring.hire_recorded.v1``; subscribes to nothing yet.
"""

from __future__ import annotations

from fastapi import FastAPI

from job_matching.api.routes import router
from job_matching.consumers import SUBSCRIPTIONS
from job_matching.settings import Settings
from suxin_common.messaging.catalog import HIRING
from suxin_common.service import build_service_app


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin job-matching (苏心聘)",
        description="Enterprises, job seekers, job posts and hires; publishes HireRecorded.",
        routers=[router],
        subscriptions=SUBSCRIPTIONS,
        publishes=[HIRING],
    )
