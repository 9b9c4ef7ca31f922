"""Employment-monitor statistics API (staff): JSON, or CSV with ``format=csv``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from employment_monitor.adapters import labour_market, queries
from employment_monitor.api.deps import (
    READERS,
    EmploymentMonitorDeps,
    Format,
    ScopeDep,
    csv_response,
    today_cst,
)
from employment_monitor.domain.model import (
    METRICS,
    Dimension,
    Target,
    months_back,
    progress,
    year_elapsed_share,
)
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.web import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1", tags=["statistics"], dependencies=[Depends(READERS)])

GroupBy = Annotated[list[Dimension], Query(max_length=5)]
MAX_PAGE = 200


class HireStats(BaseModel):
    group_by: list[Dimension]
    total: int
    rows: list[dict]


class EmploymentStats(BaseModel):
    group_by: list[Dimension]
    total: dict[str, int]
    rows: list[dict]


@router.get("/stats/hires", response_model=HireStats)
async def hire_statistics(
    deps: EmploymentMonitorDeps,
    scope: ScopeDep,
    group_by: GroupBy = [],  # noqa: B006 - FastAPI copies defaults
    format: Format = "json",
):
    """Hires counted by city, district, industry, start month and/or key group."""
    dims = list(dict.fromkeys(group_by))
    async with deps.sessions() as session:
        rows = await queries.count_hires(session, dims, scope)
        total = rows[0]["hires"] if not dims else None
        if Dimension.GROUP in dims:
            total = (await queries.count_hires(session, [], scope))[0]["hires"]
    if format == "csv":
        return csv_response(rows, "hires")
    return HireStats(
        group_by=dims,
        total=total if total is not None else sum(r["hires"] for r in rows),
        rows=rows,
    )


@router.get("/stats/employment", response_model=EmploymentStats)
async def employment_statistics(
    deps: EmploymentMonitorDeps,
    scope: ScopeDep,
    group_by: GroupBy = [],  # noqa: B006
    format: Format = "json",
):
    """城镇新增就业 (new_urban_jobs: new_jobs, the hires other than internships, less
    natural_attrition, the retirements), hires, 再就业 (reemployed: hires of
    people registered unemployed), 就业困难人员 hires, interns, separations and net change."""
    dims = list(dict.fromkeys(group_by))
    async with deps.sessions() as session:
        rows = await queries.employment(session, dims, scope)
        total = (await queries.employment(session, [], scope))[0]
    if format == "csv":
        return csv_response(rows, "employment")
    return EmploymentStats(group_by=dims, total=total, rows=rows)


@router.get("/stats/supply-demand")
async def supply_demand(
    deps: EmploymentMonitorDeps, scope: ScopeDep, format: Format = "json"
) -> Any:
    """Labour demand (positions in opened posts) and supply (job seekers: distinct applicants,
    with their applications) per city and month; 求人倍率 = positions / seekers."""
    async with deps.sessions() as session:
        rows = await labour_market.supply_demand(session, scope)
    return csv_response(rows, "supply-demand") if format == "csv" else {"rows": rows}


@router.get("/stats/gig")
async def gig_statistics(deps: EmploymentMonitorDeps, scope: ScopeDep) -> dict[str, Any]:
    """Platform orders by status, orders under per-order cover with contributions, injury
    claims by stage, registered gig workers."""
    async with deps.sessions() as session:
        return await labour_market.gig(session, scope)


@router.get("/stats/training")
async def training_statistics(
    deps: EmploymentMonitorDeps, scope: ScopeDep, format: Format = "json"
) -> Any:
    """Training outcome rates (seed 002): 就业培训上岗率, 创业培训合格率, 职工培训稳岗率."""
    async with deps.sessions() as session:
        rows = await labour_market.training(session, scope)
    return csv_response(rows, "training") if format == "csv" else {"rows": rows}


@router.get("/stats/subsidies")
async def subsidy_statistics(
    deps: EmploymentMonitorDeps, scope: ScopeDep, format: Format = "json"
) -> Any:
    """Subsidy cases and review-deadline compliance (20 working days), per city and family."""
    today = today_cst()
    async with deps.sessions() as session:
        rows = await queries.subsidies(session, scope, today=today)
        upcoming = await queries.upcoming_deadlines(session, scope, today=today)
    if format == "csv":
        return csv_response(rows, "subsidies")
    return {"today": today, "rows": rows, "upcoming_deadlines": upcoming}


@router.get("/stats/talent-flows")
async def talent_flow_statistics(deps: EmploymentMonitorDeps, scope: ScopeDep) -> dict[str, Any]:
    """Talent-card holders' moves between cities (人才流动监测地图)."""
    async with deps.sessions() as session:
        return await labour_market.talent_flows(session, scope)


@router.get("/specialized")
async def specialized_statistics(
    deps: EmploymentMonitorDeps, scope: ScopeDep, as_of: date | None = None
) -> dict[str, Any]:
    """专精特新 module: employees, insured employees, and the shares of graduates, high-skill
    talent (技师 and above) and associate-senior titles against the seed-004 targets."""
    async with deps.sessions() as session:
        return await queries.specialized(
            session, scope, as_of=as_of or today_cst(), config=deps.config
        )


@router.get("/enterprises", response_model=Page[dict])
async def list_enterprises(
    deps: EmploymentMonitorDeps,
    scope: ScopeDep,
    monitored: bool = False,
    specialized: bool = False,
    as_of: date | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: str | None = None,
):
    """Enterprises with headcount (now and at the start of the warning period) and insured
    headcount; ``monitored`` keeps the 重点/监测/专精特新 ones."""
    after = None
    if cursor:
        after = decode_cursor(cursor).get("after")
        if not isinstance(after, str):
            raise RuleViolation("The cursor is invalid.", field="cursor")
    day = as_of or today_cst()
    async with deps.sessions() as session:
        rows = await queries.enterprises(
            session,
            scope,
            as_of=day,
            period_start=months_back(day, deps.config.warning.period_months),
            config=deps.config,
            specialized_only=specialized,
            monitored_only=monitored,
            after=after,
            limit=limit + 1,
        )
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(
        items=rows,
        next_cursor=encode_cursor({"after": rows[-1]["enterprise_uscc"]}) if more else None,
    )


@router.get("/warnings")
async def enterprise_warnings(
    deps: EmploymentMonitorDeps, scope: ScopeDep, as_of: date | None = None,
    format: Format = "json",
) -> Any:  # fmt: skip
    """重点企业用工预警: monitored enterprises whose headcount fell by more than the configured
    share over the configured period."""
    async with deps.sessions() as session:
        rows = await queries.warnings(
            session, scope, as_of=as_of or today_cst(), config=deps.config
        )
    if format == "csv":
        return csv_response(rows, "warnings")
    return {"rule": deps.config.warning.model_dump(), "items": rows}


@router.get("/targets")
async def target_progress(
    deps: EmploymentMonitorDeps,
    scope: ScopeDep,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    region: Annotated[str | None, Query(pattern=r"^32(\d{2})?$")] = None,
) -> dict[str, Any]:
    """Annual targets (config) and progress; ``expected`` is the share of the year elapsed.
    Every item says how its actual is measured, or which data the platform lacks. A year or a
    region with no configured target is a 404 naming what is configured."""
    visible = [t for t in deps.config.targets if _visible(t.region, scope)]
    configured = sorted({(t.region, t.year) for t in visible})
    chosen = [
        t
        for t in visible
        if (year is None or t.year == year) and (region is None or t.region == region)
    ]
    if not chosen:
        years = "、".join(
            str(y) for y in sorted({y for r, y in configured if not region or r == region})
        )
        where = f"地区{region}" if region else "本辖区"
        raise NotFound(
            f"{where}没有{year}年的目标（已配置年份：{years or '无'}）"
            if year
            else f"{where}没有配置目标",
            extra={"configured": [{"region": r, "year": y} for r, y in configured]},
        )
    return {
        "targets": await targets_progress(deps, chosen),
        "configured": [{"region": r, "year": y} for r, y in configured],
    }


def _visible(region: str, scope) -> bool:
    """Staff of a city see the province's and their city's targets."""
    return not scope.city_code or region in ("32", scope.city_code)


async def targets_progress(deps: EmploymentMonitorDeps, targets: list[Target]) -> list[dict]:
    today = today_cst()
    out = []
    async with deps.sessions() as session:
        for target in targets:
            items = []
            for item in target.items:
                actual = await queries.target_actual(
                    session,
                    item.metric,
                    target.region,
                    target.year,
                    as_of=today,
                    config=deps.config,
                )
                measured, how = METRICS[item.metric]
                items.append(
                    item.model_dump()
                    | {
                        "actual": actual,
                        "progress": progress(actual, item.target),
                        "measured": measured,
                        "how_measured": how,
                    }
                )
            out.append(
                target.model_dump(exclude={"items"})
                | {"items": items, "expected": year_elapsed_share(today, target.year)}
            )
    return out
