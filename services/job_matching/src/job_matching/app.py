"""Job-matching (苏心聘 backend): enterprises, seekers, job posts, matching, applications,
hires and separations, and the "131" / "1+3" employment services.

Publishes on SUXIN_HIRING: HireRecorded, HireConfirmed, EmploymentEnded, JobPostOpened,
JobPostClosed, ApplicationSubmitted and JobFairHeld (招聘会); subscribes to FactVerified (社保
enrolment confirms hires; the 工信 and staff lists set enterprise flags).
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from job_matching import search
from job_matching.adapters.repositories import Repositories
from job_matching.api import (
    code_tables,
    confirmations,
    corrections,
    enterprise_notifications,
    job_fairs,
    me,
    notifications,
    search_routes,
)
from job_matching.api.routes import router
from job_matching.consumers import SUBSCRIPTIONS
from job_matching.handlers import reminders
from job_matching.settings import Settings
from suxin_common.messaging.catalog import HIRING
from suxin_common.service import Runtime, build_service_app


async def _started(runtime: Runtime) -> None:
    # jieba loads its dictionary on first use (about a second); do it before the first search.
    await asyncio.to_thread(search.warm_up)
    if runtime.settings.run_background_workers:
        # 到期提醒: the deadline-reminder sweep (job_matching.reminders).
        runtime.tasks.append(asyncio.create_task(reminders.keep_sweeping(runtime)))


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_service_app(
        settings or Settings(),
        title="Suxin job-matching (苏心聘)",
        description=(
            "Enterprises, job seekers, job posts, explainable two-sided matching, applications, "
            "hires and separations; publishes the hiring events."
        ),
        routers=[
            router,
            search_routes.router,
            code_tables.router,
            confirmations.router,
            me.router,
            notifications.router,
            job_fairs.router,
            enterprise_notifications.router,
            corrections.router,
        ],
        subscriptions=SUBSCRIPTIONS,
        publishes=[HIRING],
        on_started=_started,
        repositories=Repositories,
    )
