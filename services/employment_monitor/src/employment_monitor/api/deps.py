"""Shared pieces of the statistics API: the one typed object its routes receive (``deps:
EmploymentMonitorDeps``), the caller's region scope, filters, CSV answers.

``create_app`` builds the deps once with what this service adds to the kit: its typed settings,
the monitoring configuration (key enterprises, the warning rule, targets), the replay lock (one
rebuild at a time) and the dashboard's assets. Once the lifespan has started the kit's runtime
it also reaches the database through it (sessions, units of work; 503 before start-up). Routes
reach nothing through ``app.state``; the kit's ``service_deps`` hands it to them.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from fastapi.responses import Response

from employment_monitor.adapters.queries import Scope
from employment_monitor.api.assets import DashboardAssets
from employment_monitor.domain.model import KeyGroup, MonitoringConfig
from employment_monitor.settings import Settings
from suxin_common.auth import Principal, Role, require_roles
from suxin_common.errors import NotFound, RuleViolation
from suxin_common.regions import IndustrySection, JiangsuCityCode, JiangsuDistrictCode
from suxin_common.service import Runtime, RuntimeAccess, service_deps

# Who may read statistics: HRSS staff (人社监测人员) and operators.
READERS = require_roles(Role.HRSS_STAFF, Role.OPS)
Reader = Annotated[Principal, Depends(READERS)]
Format = Literal["json", "csv"]


def today_cst() -> date:
    return (datetime.now(UTC) + timedelta(hours=8)).date()


@dataclass(frozen=True)
class ServiceDeps(RuntimeAccess):
    settings: Settings
    config: MonitoringConfig
    replay_lock: asyncio.Lock
    assets: DashboardAssets
    runtime: Runtime | None = None


EmploymentMonitorDeps = Annotated[ServiceDeps, Depends(service_deps)]


def scope_for(
    principal: Reader,
    city_code: JiangsuCityCode | None = None,
    district_code: JiangsuDistrictCode | None = None,
    industry_code: IndustrySection | None = None,
    group: KeyGroup | None = None,
    month_from: Annotated[date | None, Query(description="first month (any day of it)")] = None,
    month_to: Annotated[date | None, Query(description="last month (any day of it)")] = None,
) -> Scope:
    """The filters asked for, narrowed to the caller's region.

    Staff tokens carrying ``tenant.district`` (a city or district code) see only that region;
    asking for another one is a 404, as for any object outside one's tenancy.
    """
    if district_code and city_code and not district_code.startswith(city_code):
        raise RuleViolation("district_code is not in city_code.", field="district_code")
    if district_code:
        city_code = district_code[:4]
    bound = principal.tenant.district if Role.OPS not in principal.roles else None
    if bound:
        if len(bound) == 6:
            if (city_code and city_code != bound[:4]) or (district_code and district_code != bound):
                raise NotFound("No statistics for that region in your scope.")
            city_code, district_code = bound[:4], bound
        else:
            if city_code and city_code != bound[:4]:
                raise NotFound("No statistics for that region in your scope.")
            city_code = bound[:4]
    if month_from and month_to and month_from > month_to:
        raise RuleViolation("month_from is after month_to.", field="month_from")
    return Scope(
        city_code=city_code,
        district_code=district_code,
        industry_code=industry_code,
        group=group.value if group else None,
        month_from=month_from.replace(day=1) if month_from else None,
        month_to=month_to.replace(day=1) if month_to else None,
    )


ScopeDep = Annotated[Scope, Depends(scope_for)]


def csv_response(rows: Sequence[dict[str, Any]], filename: str) -> Response:
    """UTF-8 CSV with a BOM, so spreadsheet programs show the Chinese labels right."""
    out = io.StringIO()
    columns = list(dict.fromkeys(k for r in rows for k in r))
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
