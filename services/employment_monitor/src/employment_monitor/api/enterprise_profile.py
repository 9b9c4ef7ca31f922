"""One enterprise as the monitoring read model knows it (企业用工画像), for the staff workbench's
enterprise page: flags, headcount now and at the start of the warning period, insured
headcount, confirmed hires this year, and whether it is under a headcount warning."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from employment_monitor.adapters import queries
from employment_monitor.api.deps import EmploymentMonitorDeps, Reader, today_cst
from employment_monitor.domain.model import HeadcountChange, is_warning, months_back
from suxin_common.errors import NotFound
from suxin_common.identity import Uscc

router = APIRouter(prefix="/v1", tags=["statistics"])

# The read model's one-pass aggregate, for one enterprise (PostgreSQL pushes the filter on the
# grouping column into the aggregate, so this reads that enterprise's hires only).
_ONE = (
    f"WITH e AS ({queries._ENTERPRISES}), i AS ({queries._INSURED})"  # noqa: SLF001
    " SELECT e.*, COALESCE(i.insured, 0) AS insured FROM e LEFT JOIN i USING (enterprise_uscc)"
    " WHERE e.enterprise_uscc = :uscc"
)
_HIRES = """
SELECT count(*) AS hires FROM hire_facts h JOIN hire_confirmations c ON c.hire_id = h.hire_id
WHERE h.enterprise_uscc = :uscc AND COALESCE(h.start_date, h.month) >= :year_start
"""


@router.get("/enterprises/{uscc}")
async def enterprise_profile(
    uscc: Uscc, principal: Reader, deps: EmploymentMonitorDeps,
    as_of: date | None = None,
) -> dict[str, Any]:  # fmt: skip
    """An enterprise's flags (专精特新, 小巨人, 重点/监测), headcount now and at the start of the
    warning period, insured headcount (工伤保险), confirmed hires since 1 January, and the
    headcount warning (预警). Staff of a district see the enterprises of their district."""
    day = as_of or today_cst()
    params = {"uscc": uscc, "d0": months_back(day, deps.config.warning.period_months), "d1": day}
    async with deps.sessions() as session:
        row = (await session.execute(text(_ONE), params)).mappings().first()
        if row is None:
            raise NotFound(f"enterprise {uscc} has no hires in the monitoring data")
        principal.check_district(row["district_code"] or row["city_code"], "enterprise")
        hires = (
            await session.execute(text(_HIRES), {"uscc": uscc, "year_start": date(day.year, 1, 1)})
        ).scalar_one()
    found = dict(row)
    key, monitored = (
        set(deps.config.key_enterprises.key),
        set(deps.config.key_enterprises.monitored),
    )
    found["category"] = queries._category(found, key, monitored)  # noqa: SLF001
    change = HeadcountChange(uscc, found["headcount_before"], found["headcount"])
    found["fall_share"] = round(change.fall_share, 4)
    found["warning"] = found["category"] is not None and is_warning(change, deps.config.warning)
    found["warning_rule"] = deps.config.warning.model_dump()
    found["period_start"], found["as_of"] = params["d0"], day
    found["hires_this_year"] = hires
    return found
