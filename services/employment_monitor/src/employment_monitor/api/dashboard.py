"""The monitoring dashboard (就业运行监测大屏): a page, its scripts, and the data it polls.

The page and its scripts hold no data and are served to anyone (a browser cannot send a bearer
token when it navigates); the numbers come from ``/v1/dashboard/data``, which needs a staff
token — the page takes it from its URL fragment (``/dashboard#token=...``), which browsers never
send to the server, and keeps it in the tab's session storage.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from employment_monitor.adapters.queries import Scope
from employment_monitor.api import export
from employment_monitor.api.assets import STATIC
from employment_monitor.api.dashboard_view import build_view, panel_tables
from employment_monitor.api.deps import READERS, EmploymentMonitorDeps, ScopeDep, today_cst
from employment_monitor.api.routes import _visible, targets_progress
from suxin_common.errors import NotFound

page = APIRouter(tags=["dashboard"], include_in_schema=True)
data = APIRouter(prefix="/v1/dashboard", tags=["dashboard"], dependencies=[Depends(READERS)])


@page.get("/dashboard", response_class=HTMLResponse)
async def dashboard_page() -> HTMLResponse:
    """The dashboard page (public: it holds no data)."""
    return HTMLResponse((STATIC / "dashboard.html").read_text(encoding="utf-8"))


@page.get("/dashboard/assets/{name}")
async def dashboard_asset(name: str, deps: EmploymentMonitorDeps) -> Response:
    """The page's scripts and styles (public: they hold no data)."""
    asset = deps.assets.get(name)
    if asset is None:
        raise NotFound("No such asset.")
    content, media_type = asset
    return Response(content, media_type=media_type, headers={"Cache-Control": "max-age=3600"})


YearQ = Annotated[int | None, Query(ge=2000, le=2100, description="年度目标的年份（默认本年）")]
PanelQ = Annotated[
    str | None, Query(pattern=r"^[a-z_]{1,32}$", description="只导出一个板块（表名）")
]


async def _view(deps: EmploymentMonitorDeps, scope: Scope, year: int | None) -> dict[str, Any]:
    today = today_cst()
    year = year or today.year
    visible = [t for t in deps.config.targets if _visible(t.region, scope)]
    years = sorted({t.year for t in visible})
    chosen = [t for t in visible if t.year == year]
    targets = await targets_progress(deps, chosen) if chosen else []
    async with deps.sessions() as session:
        return await build_view(deps, session, scope, deps.config, today=today, year=year,
                                targets=targets, target_years=years)  # fmt: skip


@data.get("/data")
async def dashboard_data(
    deps: EmploymentMonitorDeps, scope: ScopeDep, year: YearQ = None
) -> dict[str, Any]:
    """Everything the dashboard draws, in one answer, for the filters (city, district, industry,
    month) and the target year; ``targets_message`` says when that year has no targets."""
    return await _view(deps, scope, year)


@data.get("/export")
async def dashboard_export(
    deps: EmploymentMonitorDeps,
    scope: ScopeDep,
    year: YearQ = None,
    format: Annotated[Literal["csv", "xlsx"], Query(description="导出格式")] = "csv",
    panel: PanelQ = None,
) -> Response:
    """What the dashboard shows for the same filters, as CSV (the panels one after another,
    each under its title) or XLSX (one sheet per panel)."""
    view = await _view(deps, scope, year)
    tables = panel_tables(view)
    if panel is not None:
        tables = [t for t in tables if t.key == panel]
        if not tables:
            raise NotFound(f"No panel named {panel}.")
    name = f"就业监测-{view['scope_name']}-{view['today']:%Y%m%d}"
    return export.csv_file(tables, name) if format == "csv" else export.xlsx_file(tables, name)
