"""Statistics: aggregates over the read models' facts, computed at read time.

Every query takes a ``Scope`` (region, period, industry, key group) so the API filters the same
way everywhere, and staff bound to a district never see beyond it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from employment_monitor.domain.model import (
    HIGH_SKILL_MIN_LEVEL,
    SENIOR_TITLE_MIN,
    Dimension,
    HeadcountChange,
    Metric,
    MonitoringConfig,
    is_warning,
    months_back,
    rate,
)


@dataclass(frozen=True)
class Scope:
    """Filters shared by every statistic; ``None`` means "all"."""

    city_code: str | None = None
    district_code: str | None = None
    industry_code: str | None = None
    group: str | None = None
    month_from: date | None = None  # first day of a month
    month_to: date | None = None

    def where(self, *, alias: str = "", month: str | None = "month", industry: bool = True,
              district: bool = True, group: bool = True) -> tuple[str, dict[str, Any]]:  # fmt: skip
        p = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: dict[str, Any] = {}
        if self.city_code:
            clauses.append(f"{p}city_code = :city_code")
            params["city_code"] = self.city_code
        if self.district_code and district:
            clauses.append(f"{p}district_code = :district_code")
            params["district_code"] = self.district_code
        if self.industry_code and industry:
            clauses.append(f"{p}industry_code = :industry_code")
            params["industry_code"] = self.industry_code
        if self.group and group:
            clauses.append(f":grp = ANY({p}key_groups)")
            params["grp"] = self.group
        if month and self.month_from:
            clauses.append(f"{p}{month} >= :month_from")
            params["month_from"] = self.month_from
        if month and self.month_to:
            clauses.append(f"{p}{month} <= :month_to")
            params["month_to"] = self.month_to
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


async def _rows(session: AsyncSession, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in (await session.execute(text(sql), params)).all()]


# --- employment: new jobs, re-employment, separations, key groups -------------------------

_DIM_SQL = {
    Dimension.CITY: "city_code",
    Dimension.DISTRICT: "district_code",
    Dimension.INDUSTRY: "industry_code",
    Dimension.MONTH: "month",
    Dimension.GROUP: "grp",
}

# A hire counts once it is real (HireConfirmed: the person, or 社保); the enterprise's word
# alone counts in no statistic.
CONFIRMED_HIRES = (
    "(SELECT * FROM hire_facts WHERE hire_id IN (SELECT hire_id FROM hire_confirmations))"
)
CONFIRMED_SEPARATIONS = (
    "(SELECT * FROM separation_facts WHERE hire_id IN (SELECT hire_id FROM hire_confirmations))"
)

# 城镇新增就业人数 (人社统计口径): 城镇累计新就业人数 minus 自然减员 (employed people who left
# employment by retirement or death). new_jobs is the former (hires other than internships),
# natural_attrition the retirements among the confirmed separations (the separation reasons
# carry no death), and new_urban_jobs the difference.
NATURAL_ATTRITION_REASONS = ("retirement",)
_ATTRITION = "(job_kind <> 'internship' AND reason IN ({}))".format(
    ", ".join(f"'{r}'" for r in NATURAL_ATTRITION_REASONS)
)

_EMPLOYMENT_FACTS = f"""
SELECT city_code, district_code, industry_code, month, key_groups,
       1 AS hires,
       (job_kind <> 'internship')::int AS new_jobs,
       previously_unemployed::int AS reemployed,
       ('employment_difficulty' = ANY(key_groups))::int AS difficulty_reemployed,
       (job_kind = 'internship')::int AS interns,
       0 AS separations,
       0 AS natural_attrition
FROM {CONFIRMED_HIRES} h
UNION ALL
SELECT city_code, district_code, industry_code, month, key_groups, 0, 0, 0, 0, 0, 1,
       {_ATTRITION}::int
FROM {CONFIRMED_SEPARATIONS} s
"""
MEASURES = (
    "hires",
    "new_jobs",
    "reemployed",
    "difficulty_reemployed",
    "interns",
    "separations",
    "natural_attrition",
)


async def employment(
    session: AsyncSession, group_by: Sequence[Dimension], scope: Scope
) -> list[dict[str, Any]]:
    """Hires, new urban jobs, re-employment, separations and net change, grouped.

    Grouped by key group, a person in two groups counts in both rows (as the policy counts).
    """
    where, params = scope.where(alias="f")
    lateral = (
        " CROSS JOIN LATERAL unnest(f.key_groups) AS g(grp)" if Dimension.GROUP in group_by else ""
    )
    dims = [f'{_DIM_SQL[d]} AS "{d.value}"' for d in group_by]
    sums = [f"sum({m})::bigint AS {m}" for m in MEASURES]
    sql = f"SELECT {', '.join([*dims, *sums])} FROM ({_EMPLOYMENT_FACTS}) f{lateral}{where}"
    if group_by:
        cols = ", ".join(f'"{d.value}"' for d in group_by)
        sql += f" GROUP BY {cols} ORDER BY {cols}"
    rows = await _rows(session, sql, params)
    out = []
    for r in rows:
        if not group_by and r["hires"] is None:
            r = {m: 0 for m in MEASURES}
        r["net"] = r["hires"] - r["separations"]
        r["new_urban_jobs"] = r["new_jobs"] - r["natural_attrition"]
        out.append(r)
    return out


async def count_hires(
    session: AsyncSession, group_by: Sequence[Dimension], scope: Scope
) -> list[dict[str, Any]]:
    """Hires counted by dimension (the original /v1/stats/hires shape)."""
    where, params = scope.where(alias="h")
    lateral = (
        " CROSS JOIN LATERAL unnest(h.key_groups) AS g(grp)" if Dimension.GROUP in group_by else ""
    )
    dims = [f'{_DIM_SQL[d]} AS "{d.value}"' for d in group_by]
    sql = (
        f"SELECT {', '.join([*dims, 'count(*) AS hires'])} FROM {CONFIRMED_HIRES} h{lateral}{where}"
    )
    if group_by:
        cols = ", ".join(f'"{d.value}"' for d in group_by)
        sql += f" GROUP BY {cols} ORDER BY {cols}"
    return await _rows(session, sql, params)


# --- enterprises: headcount, insured headcount, warnings ----------------------------------

# One pass over the hires (with their separations, if any) per enterprise: identity, flags and
# headcount at the period start (d0) and at the day asked for (d1); only confirmed hires are
# heads (an enterprise known only from hires nobody confirmed is listed with none).
_ENTERPRISES = """
SELECT h.enterprise_uscc, max(h.enterprise_name) AS name, max(h.city_code) AS city_code,
       max(h.district_code) AS district_code, max(h.industry_code) AS industry_code,
       bool_or(h.specialized_sme) AS specialized_sme, bool_or(h.little_giant) AS little_giant,
       bool_or(h.key_monitored) AS key_monitored,
       count(*) FILTER (
           WHERE c.hire_id IS NOT NULL AND COALESCE(h.start_date, h.month) <= :d0
             AND (s.end_date IS NULL OR s.end_date > :d0)
       ) AS headcount_before,
       count(*) FILTER (
           WHERE c.hire_id IS NOT NULL AND COALESCE(h.start_date, h.month) <= :d1
             AND (s.end_date IS NULL OR s.end_date > :d1)
       ) AS headcount
FROM hire_facts h LEFT JOIN separation_facts s ON s.hire_id = h.hire_id
LEFT JOIN hire_confirmations c ON c.hire_id = h.hire_id
GROUP BY h.enterprise_uscc
"""

_INSURED = """
SELECT enterprise_uscc, count(*) AS insured FROM coverage_facts
WHERE scheme = 'work_injury_insurance' AND start_date IS NOT NULL
  AND start_date <= :d1 AND (end_date IS NULL OR end_date > :d1)
GROUP BY enterprise_uscc
"""


async def enterprises(
    session: AsyncSession,
    scope: Scope,
    *,
    as_of: date,
    period_start: date,
    config: MonitoringConfig,
    specialized_only: bool = False,
    monitored_only: bool = False,
    after: str | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Enterprises with headcount at the period start and at ``as_of``, and insured headcount."""
    where, params = scope.where(alias="e", month=None, group=False)
    clauses = [where.removeprefix(" WHERE ")] if where else []
    listed = sorted({*config.key_enterprises.key, *config.key_enterprises.monitored})
    if specialized_only:
        clauses.append("e.specialized_sme")
    if monitored_only:
        clauses.append("(e.key_monitored OR e.specialized_sme OR e.enterprise_uscc = ANY(:listed))")
    if after:
        clauses.append("e.enterprise_uscc > :after")
    sql = (
        f"WITH e AS MATERIALIZED ({_ENTERPRISES}), i AS MATERIALIZED ({_INSURED})"
        " SELECT e.*, COALESCE(i.insured, 0) AS insured FROM e"
        " LEFT JOIN i USING (enterprise_uscc)"
        + (" WHERE " + " AND ".join(clauses) if clauses else "")
        + " ORDER BY e.enterprise_uscc LIMIT :limit"
    )
    params |= {"d0": period_start, "d1": as_of, "listed": listed, "after": after, "limit": limit}
    rows = await _rows(session, sql, params)
    key, monitored = set(config.key_enterprises.key), set(config.key_enterprises.monitored)
    for r in rows:
        r["category"] = _category(r, key, monitored)
        change = HeadcountChange(r["enterprise_uscc"], r["headcount_before"], r["headcount"])
        r["fall_share"] = round(change.fall_share, 4)
        r["warning"] = r["category"] is not None and is_warning(change, config.warning)
    return rows


def _category(row: dict[str, Any], key: set[str], monitored: set[str]) -> str | None:
    if row["enterprise_uscc"] in key:
        return "key"  # 重点企业
    if row["enterprise_uscc"] in monitored or row["key_monitored"]:
        return "monitored"  # 监测企业
    if row["specialized_sme"]:
        return "specialized"  # 专精特新
    return None


async def warnings(
    session: AsyncSession, scope: Scope, *, as_of: date, config: MonitoringConfig
) -> list[dict[str, Any]]:
    """Monitored enterprises whose headcount fell beyond the configured share (预警)."""
    start = months_back(as_of, config.warning.period_months)
    rows = await enterprises(
        session, scope, as_of=as_of, period_start=start, config=config, monitored_only=True,
        limit=100_000,
    )  # fmt: skip
    flagged = [r | {"period_start": start, "as_of": as_of} for r in rows if r["warning"]]
    return sorted(flagged, key=lambda r: (-r["fall_share"], r["enterprise_uscc"]))


# --- 专精特新 -----------------------------------------------------------------------------

_SPECIALIZED = f"""
SELECT h.city_code,
       count(*) AS headcount,
       count(*) FILTER (WHERE 'college_graduate' = ANY(h.key_groups)) AS graduates,
       count(*) FILTER (WHERE h.skill_level >= {HIGH_SKILL_MIN_LEVEL}) AS high_skill,
       count(*) FILTER (WHERE h.professional_title >= {SENIOR_TITLE_MIN}) AS senior_titles,
       count(*) FILTER (WHERE cv.coverage_id IS NOT NULL) AS insured
FROM {CONFIRMED_HIRES} h
LEFT JOIN separation_facts s ON s.hire_id = h.hire_id AND s.end_date <= :as_of
LEFT JOIN (
    SELECT DISTINCT c.hire_id AS coverage_id FROM coverage_facts c
    WHERE c.scheme = 'work_injury_insurance' AND c.hire_id IS NOT NULL
      AND (c.end_date IS NULL OR c.end_date > :as_of)
) cv ON cv.coverage_id = h.hire_id::text
WHERE h.specialized_sme AND s.hire_id IS NULL AND COALESCE(h.start_date, h.month) <= :as_of
"""


async def specialized(
    session: AsyncSession, scope: Scope, *, as_of: date, config: MonitoringConfig
) -> dict[str, Any]:
    """专精特新: employees, insured employees and the three shares against the targets,
    province-wide (or the scope's region) and per city."""
    params: dict[str, Any] = {"as_of": as_of}
    extra = ""
    if scope.city_code:
        extra += " AND h.city_code = :city_code"
        params["city_code"] = scope.city_code
    if scope.district_code:
        extra += " AND h.district_code = :district_code"
        params["district_code"] = scope.district_code
    rows = await _rows(
        session, _SPECIALIZED + extra + " GROUP BY h.city_code ORDER BY h.city_code", params
    )
    t = config.specialized_sme
    total = {k: sum(r[k] for r in rows) for k in ("headcount", "graduates", "high_skill",
                                                  "senior_titles", "insured")}  # fmt: skip
    policies = await _rows(session, _SPECIALIZED_POLICIES + extra.replace("h.", "c.")
                           + " GROUP BY c.city_code ORDER BY c.city_code", params)  # fmt: skip

    def shares(r: dict[str, Any]) -> dict[str, Any]:
        return r | {
            "graduate_share": rate(r["graduates"], r["headcount"]),
            "high_skill_share": rate(r["high_skill"], r["headcount"]),
            "senior_title_share": rate(r["senior_titles"], r["headcount"]),
        }

    enjoyed = {
        k: sum(int(r[k] or 0) for r in policies)
        for k in ("policy_cases", "policy_granted_fen", "policy_paid_fen")
    }
    by_city = {r["city_code"]: r for r in policies}
    return {
        "as_of": as_of,
        "targets": t.model_dump(),
        "total": shares(total)
        | {"insured_progress": rate(total["insured"], t.insured_employees)}
        | enjoyed
        | CONTRIBUTIONS_UNKNOWN,
        "cities": [
            shares(r)
            | {
                k: int((by_city.get(r["city_code"]) or {}).get(k) or 0)
                for k in ("policy_cases", "policy_granted_fen", "policy_paid_fen")
            }
            for r in rows
        ],
    }


# 参保缴费 (seed 004): the insured headcount is measured (work-injury cover of current
# employees); the contributions paid are not published on the bus (training-vouchers ingests
# them from 社保 for the rules only), so the module says so rather than showing 0.
CONTRIBUTIONS_UNKNOWN = {
    "contributions_fen": None,
    "contributions_note": "需要数据：社保缴费金额未作为事件发布（仅参保人数可计）",
}

# 政策享受 (seed 004): subsidy cases of 专精特新 enterprises, what was granted and paid.
_SPECIALIZED_POLICIES = """
SELECT c.city_code,
       count(*) AS policy_cases,
       COALESCE(sum(c.granted_fen), 0) AS policy_granted_fen,
       COALESCE(sum(c.paid_fen), 0) AS policy_paid_fen
FROM subsidy_case_facts c
WHERE c.enterprise_uscc IN (SELECT enterprise_uscc FROM hire_facts WHERE specialized_sme)
  AND COALESCE(c.opened_on, c.decided_on) <= :as_of
"""


# --- subsidy deadlines ----------------------------------------------------------------------


async def subsidies(session: AsyncSession, scope: Scope, *, today: date) -> list[dict[str, Any]]:
    """Per city and rule family: cases, decisions in time, overdue undecided cases, amounts.

    Compliance = decided in time / (decided + undecided past the deadline).
    """
    where, params = scope.where(month=None, industry=False, group=False)
    rows = await _rows(
        session,
        "SELECT city_code AS city, rule_family, count(opened_on) AS opened,"
        " count(*) FILTER (WHERE decision IS NULL AND review_deadline IS NULL) AS awaiting_data,"
        " count(decision) AS decided,"
        " count(*) FILTER (WHERE decided_in_time) AS decided_in_time,"
        " count(*) FILTER (WHERE decision IS NULL AND review_deadline < :today) AS overdue,"
        " count(*) FILTER (WHERE decision IS NULL AND review_deadline >= :today) AS pending,"
        " COALESCE(sum(granted_fen), 0)::bigint AS granted_fen,"
        " COALESCE(sum(paid_fen), 0)::bigint AS paid_fen"
        f" FROM subsidy_case_facts{where} GROUP BY 1, 2 ORDER BY 1, 2",
        params | {"today": today},
    )
    for r in rows:
        r["compliance"] = rate(r["decided_in_time"], r["decided"] + r["overdue"])
    return rows


async def upcoming_deadlines(
    session: AsyncSession, scope: Scope, *, today: date, limit: int = 20
) -> list[dict[str, Any]]:
    """Undecided cases by review deadline, overdue first."""
    where, params = scope.where(month=None, industry=False, group=False)
    cond = "decision IS NULL AND review_deadline IS NOT NULL"
    where = f"{where} AND {cond}" if where else f" WHERE {cond}"
    rows = await _rows(
        session,
        "SELECT case_id, city_code AS city, rule_family, enterprise_uscc, review_deadline,"
        f" amount_fen FROM subsidy_case_facts{where}"
        " ORDER BY review_deadline, case_id LIMIT :limit",
        params | {"limit": limit},
    )
    for r in rows:
        r["days_left"] = (r["review_deadline"] - today).days
    return rows


# --- targets --------------------------------------------------------------------------------


async def target_actual(
    session: AsyncSession,
    metric: Metric,
    region: str,
    year: int,
    *,
    as_of: date,
    config: MonitoringConfig,
) -> float | None:
    """What the read models count toward a target; None when they cannot measure it."""
    params = {"y0": date(year, 1, 1), "y1": date(year, 12, 1), "region": region + "%"}
    region_clause = "city_code LIKE :region"
    hires = (
        f"SELECT count(*) FROM {CONFIRMED_HIRES} h WHERE month BETWEEN :y0 AND :y1 AND "
        + region_clause
    )
    posts = (
        "SELECT COALESCE(sum(headcount), 0) FROM job_post_facts"
        " WHERE opened_month BETWEEN :y0 AND :y1 AND " + region_clause
    )
    trainings = "SELECT count(*) FROM training_facts WHERE " + region_clause
    sql = {
        # 城镇累计新就业 minus 自然减员 (retirements) in the year and region.
        Metric.NEW_URBAN_JOBS: f"SELECT ({hires} AND job_kind <> 'internship')"
        f" - (SELECT count(*) FROM {CONFIRMED_SEPARATIONS} s"
        f" WHERE month BETWEEN :y0 AND :y1 AND {region_clause} AND {_ATTRITION})",
        Metric.REEMPLOYMENT: hires + " AND previously_unemployed",
        Metric.INTERNS: hires + " AND job_kind = 'internship'",
        Metric.INTERNSHIP_POSTS: posts + " AND job_kind = 'internship'",
        Metric.DIFFICULTY_REEMPLOYMENT: hires + " AND 'employment_difficulty' = ANY(key_groups)",
        Metric.DIFFICULTY_HELPED_INTO_WORK: hires
        + " AND 'employment_difficulty' = ANY(key_groups)",
        Metric.PUBLIC_WELFARE_POSTS: posts + " AND job_kind = 'public_welfare'",
        Metric.TRAINING_PERSON_TIMES: trainings
        + " AND completed_on BETWEEN :y0 AND :d1 AND passed IS NOT NULL",
        Metric.CERTIFICATIONS: trainings + " AND certified_on BETWEEN :y0 AND :d1",
        Metric.SPECIALIZED_POSTS: "SELECT count(*) FROM job_post_facts WHERE specialized_zone"
        " AND opened_month BETWEEN :y0 AND :y1 AND " + region_clause,
        Metric.SPECIALIZED_JOB_FAIRS: "SELECT count(*) FROM job_fair_facts"
        " WHERE theme = 'specialized_sme' AND ends_on BETWEEN :y0 AND :d1 AND " + region_clause,
        Metric.STARTUP_BASES_SUBSIDISED: "SELECT count(*) FROM subsidy_case_facts"
        " WHERE rule_family = 'startup_base' AND opened_on BETWEEN :y0 AND :d1 AND "
        + region_clause,
    }.get(metric)
    params["d1"] = date(year, 12, 31)
    shares = {
        Metric.SPECIALIZED_GRADUATE_SHARE: "graduate_share",
        Metric.SPECIALIZED_HIGH_SKILL_SHARE: "high_skill_share",
        Metric.SPECIALIZED_SENIOR_TITLE_SHARE: "senior_title_share",
    }
    if metric == Metric.SPECIALIZED_INSURED or metric in shares:
        data = await specialized(
            session,
            Scope(city_code=region if len(region) == 4 else None),
            as_of=min(as_of, date(year, 12, 31)),
            config=config,
        )
        return data["total"][shares.get(metric, "insured")]
    if sql is None:
        return None
    return (await session.execute(text(sql), params)).scalar_one()
