"""Job-matching HTTP routes, one module per resource (parse -> command -> handler; nothing
else), gathered here in the order the API lists them. Who may see what: :mod:`.access`."""

from __future__ import annotations

from fastapi import APIRouter

from job_matching.api import (
    applications,
    employment_services,
    enterprises,
    hires,
    job_posts,
    matching,
    seekers,
)

router = APIRouter()
for _resource in (
    enterprises,
    seekers,
    job_posts,
    matching,
    applications,
    hires,
    employment_services,
):
    router.include_router(_resource.router)
