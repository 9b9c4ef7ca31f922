"""The monitoring dashboard (就业运行监测大屏): a page, its scripts, and the data it polls.

The page and its scripts hold no data and are served to anyone (a browser cannot send a bearer
token when it navigates); the numbers come from ``/v1/dashboard/data``, which needs a staff
token — the page takes it from its URL fragment (``/dashboard#token=...``), which browsers never
send to the server, and keeps it in the tab's session storage.
"""

from __future__ import annotations

import functools
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from employment_monitor.adapters import queries
from employment_monitor.api.deps import READERS, ConfigDep, ScopeDep, today_cst
from employment_monitor.api.routes import _visible, targets_progress
from employment_monitor.domain.model import Dimension, months_back
from suxin_common.regions import JIANGSU_CITIES
from suxin_common.service import RuntimeDep
from suxin_common.web import NotFound

_STATIC = Path(__file__).resolve().parent.parent / "static"
_ASSETS = {
    "dashboard.js": (_STATIC / "dashboard.js", "text/javascript"),
    "dashboard.css": (_STATIC / "dashboard.css", "text/css"),
    # plotly's own bundle, from the installed package: no CDN, no internet.
    "plotly.min.js": (
        Path(str(resources.files("plotly") / "package_data" / "plotly.min.js")),
        "text/javascript",
    ),
}

page = APIRouter(tags=["dashboard"], include_in_schema=True)
data = APIRouter(prefix="/v1/dashboard", tags=["dashboard"], dependencies=[Depends(READERS)])


@page.get("/dashboard", response_class=HTMLResponse)
async def dashboard_page() -> HTMLResponse:
    """The dashboard page (public: it holds no data)."""
    return HTMLResponse((_STATIC / "dashboard.html").read_text(encoding="utf-8"))


@page.get("/dashboard/assets/{name}")
async def dashboard_asset(name: str) -> Response:
    """The page's scripts and styles (public: they hold no data)."""
    asset = _ASSETS.get(name)
    if asset is None:
        raise NotFound("No such asset.")
    path, media_type = asset
    return Response(_read(path), media_type=media_type, headers={"Cache-Control": "max-age=3600"})


@functools.cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


@data.get("/data")
async def dashboard_data(runtime: RuntimeDep, scope: ScopeDep, config: ConfigDep) -> dict[str, Any]:
    """Everything the dashboard draws, in one answer."""
    today = today_cst()
    year_start = date(today.year, 1, 1)
    since = months_back(today.replace(day=1), 23)
    async with runtime.sessions() as session:
        this_year = (
            await queries.employment(
                session, [], _with(scope, month_from=year_start, month_to=today.replace(day=1))
            )
        )[0]
        all_time = (await queries.employment(session, [], scope))[0]
        monthly = await queries.employment(
            session, [Dimension.MONTH], _with(scope, month_from=scope.month_from or since)
        )
        by_city = await queries.employment(session, [Dimension.CITY], scope)
        by_group = await queries.employment(session, [Dimension.GROUP], scope)
        specialized = await queries.specialized(session, scope, as_of=today, config=config)
        warnings = await queries.warnings(session, scope, as_of=today, config=config)
        subsidies = await queries.subsidies(session, scope, today=today)
        deadlines = await queries.upcoming_deadlines(session, scope, today=today, limit=12)
        training = await queries.training(session, scope)
        flows = await queries.talent_flows(session, scope)
    targets = await targets_progress(
        runtime, [t for t in config.targets if _visible(t.region, scope)], config
    )
    decided_in_time = sum(r["decided_in_time"] for r in subsidies)
    judged = sum(r["decided"] + r["overdue"] for r in subsidies)
    return {
        "today": today,
        "refresh_ms": getattr(runtime.settings, "dashboard_refresh_ms", 2000),
        "cities": dict(JIANGSU_CITIES),
        "kpis": {
            "hires": all_time["hires"],
            "new_jobs_this_year": this_year["new_jobs"],
            "reemployed_this_year": this_year["reemployed"],
            "separations": all_time["separations"],
            "net": all_time["net"],
            "warnings": len(warnings),
            "specialized_insured": specialized["total"]["insured"],
            "subsidy_compliance": round(decided_in_time / judged, 4) if judged else None,
            "overdue_cases": sum(r["overdue"] for r in subsidies),
        },
        "monthly": monthly,
        "by_city": sorted(by_city, key=lambda r: -r["new_jobs"]),
        "by_group": by_group,
        "specialized": specialized,
        "warnings": warnings[:20],
        "warning_rule": config.warning.model_dump(),
        "subsidies": subsidies,
        "deadlines": deadlines,
        "training": training,
        "talent_flows": flows["cities"],
        "targets": targets,
    }


def _with(scope: queries.Scope, **changes: Any) -> queries.Scope:
    from dataclasses import replace

    return replace(scope, **changes)
