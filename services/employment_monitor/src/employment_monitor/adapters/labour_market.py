"""Statistics of the labour market: supply and demand (求人倍率), gig work and occupational-
injury protection, training outcomes, talent flow between cities. Split from ``queries`` (which
re-exports them); the same ``Scope`` filters every statistic."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from employment_monitor.adapters.queries import Scope, _rows
from employment_monitor.domain.model import rate

# --- supply and demand ---------------------------------------------------------------------


async def supply_demand(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    """Positions wanted (demand, 需求人数), job seekers (supply, 求职人数: distinct applicants)
    and applications per city and month; 求人倍率 = positions / seekers, as the national
    definition (岗位空缺与求职人数之比), not per application. An application stored before
    the monitor kept person keys counts as one seeker."""
    w1, p1 = scope.where(alias="p", month="opened_month", group=False)
    w2, p2 = scope.where(alias="a", month="month", industry=False)
    sql = f"""
    WITH d AS (
        SELECT COALESCE(p.city_code, '') AS city_code, p.opened_month AS month,
               count(*) AS posts, sum(p.headcount) AS positions
        FROM job_post_facts p {w1}{" AND" if w1 else " WHERE"} p.opened_month IS NOT NULL
        GROUP BY 1, 2
    ), s AS (
        SELECT COALESCE(a.city_code, '') AS city_code, a.month, count(*) AS applications,
               count(DISTINCT COALESCE(a.person_key, a.application_id)) AS seekers
        FROM application_facts a {w2}
        GROUP BY 1, 2
    )
    SELECT NULLIF(COALESCE(d.city_code, s.city_code), '') AS city,
           COALESCE(d.month, s.month) AS month, COALESCE(d.posts, 0)::bigint AS posts,
           COALESCE(d.positions, 0)::bigint AS positions,
           COALESCE(s.seekers, 0)::bigint AS seekers,
           COALESCE(s.applications, 0)::bigint AS applications
    FROM d FULL JOIN s ON d.city_code = s.city_code AND d.month = s.month
    ORDER BY 1, 2
    """
    rows = await _rows(session, sql, p1 | p2)
    for r in rows:
        r["demand_supply_ratio"] = rate(r["positions"], r["seekers"])
    return rows


# --- gig work and occupational-injury protection ------------------------------------------


async def gig(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    where, params = scope.where(month="month", industry=False, district=False, group=False)
    orders = await _rows(
        session,
        "SELECT city_code AS city, industry, month, status, sum(orders)::bigint AS orders"
        f" FROM gig_order_lines{where} GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        params,
    )
    cover = await _rows(
        session,
        "SELECT city_code AS city, industry, month, sum(orders)::bigint AS orders,"
        f" sum(contribution_fen)::bigint AS contribution_fen FROM order_cover_lines{where}"
        " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        params,
    )
    claims = await _rows(
        session,
        "SELECT city_code AS city, stage, count(*) AS claims, sum(amount_fen)::bigint AS amount_fen"
        f" FROM claim_facts{where} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    workers = await _rows(
        session,
        f"SELECT city_code AS city, count(*) AS workers FROM gig_workers{where}"
        " GROUP BY 1 ORDER BY 1",
        params,
    )
    return {"orders": orders, "cover": cover, "claims": claims, "workers": workers}


# --- training outcomes (seed 002) -----------------------------------------------------------


async def training(session: AsyncSession, scope: Scope) -> list[dict[str, Any]]:
    """Per kind and city: 就业培训上岗率 = employed / completed (employment-skills training),
    创业培训合格率 = passed / completed (entrepreneurship), 职工培训稳岗率 = retained / completed
    (employee upskilling)."""
    where, params = scope.where(month=None, industry=False, district=False, group=False)
    rows = await _rows(
        session,
        "SELECT training_kind, city_code AS city, count(issued_on) AS issued,"
        " count(redeemed_on) AS redeemed, count(completed_on) AS completed,"
        " count(*) FILTER (WHERE passed) AS passed, count(certified_on) AS certified,"
        " count(*) FILTER (WHERE employed) AS employed,"
        " count(*) FILTER (WHERE retained) AS retained"
        f" FROM training_facts{where} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    numerator = {"employment_skills": "employed", "entrepreneurship": "passed",
                 "employee_upskilling": "retained"}  # fmt: skip
    # 稳岗 outcomes (TRAINING_OUTCOME_RETAINED) are published by no service today (training-
    # vouchers records 上岗 only): until one is recorded anywhere, 稳岗率 is unknown, not 0%.
    retained_known = bool(
        (
            await session.execute(
                text("SELECT EXISTS (SELECT 1 FROM training_facts WHERE retained)")
            )
        ).scalar()  # fmt: skip
    )
    for r in rows:
        n = numerator.get(r["training_kind"])
        r["rate"] = rate(r[n], r["completed"]) if n else None
        r["rate_note"] = None
        if n == "retained" and not retained_known:
            r["rate"] = None
            r["rate_note"] = RETAINED_UNKNOWN
    return rows


RETAINED_UNKNOWN = "需要数据：尚无稳岗结果（培训后仍在原单位）的记录，稳岗率无法计算"


# --- talent flow between cities (人才流动监测地图) -------------------------------------------


async def talent_flows(session: AsyncSession, scope: Scope) -> dict[str, Any]:
    params: dict[str, Any] = {}
    clauses = []
    if scope.city_code:
        clauses.append("(from_city_code = :city_code OR to_city_code = :city_code)")
        params["city_code"] = scope.city_code
    if scope.month_from:
        clauses.append("month >= :month_from")
        params["month_from"] = scope.month_from
    if scope.month_to:
        clauses.append("month <= :month_to")
        params["month_to"] = scope.month_to
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    matrix = await _rows(
        session,
        "SELECT from_city_code AS from_city, to_city_code AS to_city, count(*) AS flows"
        f" FROM talent_flow_facts{where} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    cities: dict[str, dict[str, int]] = {}
    for r in matrix:
        if r["from_city"] and r["from_city"] != r["to_city"]:
            cities.setdefault(r["from_city"], {"inflow": 0, "outflow": 0})["outflow"] += r["flows"]
        if r["to_city"] and r["from_city"] != r["to_city"]:
            cities.setdefault(r["to_city"], {"inflow": 0, "outflow": 0})["inflow"] += r["flows"]
    per_city = [
        {"city": c, **v, "net": v["inflow"] - v["outflow"]} for c, v in sorted(cities.items())
    ]
    return {"matrix": matrix, "cities": per_city}
