"""Employment-monitor statistics API."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from employment_monitor.adapters import repository as repo
from employment_monitor.domain.model import Dimension
from suxin_common.auth import Role, require_roles
from suxin_common.regions import IndustrySection, JiangsuCityCode
from suxin_common.service import RuntimeDep

router = APIRouter(
    prefix="/v1",
    dependencies=[Depends(require_roles(Role.HRSS_STAFF, Role.OPS))],
    tags=["statistics"],
)


class HireStats(BaseModel):
    group_by: list[Dimension]
    total: int
    rows: list[dict]


@router.get("/stats/hires", response_model=HireStats)
async def hire_statistics(
    runtime: RuntimeDep,
    group_by: Annotated[list[Dimension], Query()] = [],  # noqa: B006 - FastAPI copies defaults
    city_code: JiangsuCityCode | None = None,
    industry_code: IndustrySection | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
):
    """New jobs (hires), counted by city, district, industry and/or start month."""
    dims = list(dict.fromkeys(group_by))
    async with runtime.sessions() as session:
        rows = await repo.count_hires(
            session,
            dims,
            city_code=city_code,
            industry_code=industry_code,
            month_from=month_from.replace(day=1) if month_from else None,
            month_to=month_to.replace(day=1) if month_to else None,
        )
    return HireStats(group_by=dims, total=sum(r["hires"] for r in rows), rows=rows)
