"""What the dashboard shows, as data: one ``view`` (the answer of ``/v1/dashboard/data``) and
the same view as tables (``panel_tables``), which the export writes as CSV or XLSX. The page
draws every chart and table from the view, so an export holds exactly the figures on screen
for the same filters.

Filters: city, district, industry and month (``month_from`` = ``month_to``), narrowed to the
caller's region (deps.scope_for). Drill-down: the "by area" panel lists the cities of the
province, the districts of a city, or the one district chosen. Some facts lack a dimension
(gig orders and claims have no district or GB industry; training has no district, industry or
month; talent flows have no district or industry): each panel names the filters it applies.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from employment_monitor.adapters import labour_market, queries
from employment_monitor.domain.model import Dimension, MonitoringConfig, months_back, rate
from suxin_common.codes import table as code_table
from suxin_common.regions import JIANGSU_CITIES

NO_TARGETS = "本年度未配置目标"

ORDER_STATUS = {"accepted": "已接单", "completed": "已完成", "cancelled": "已取消"}
CLAIM_STAGE = {"reported": "已报案", "under_review": "审核中", "approved": "已核准",
               "rejected": "不予支付", "paid": "已支付"}  # fmt: skip
GIG_INDUSTRY = {"ride_hailing": "网约车", "instant_delivery": "即时配送",
                "intra_city_freight": "同城货运", "local_services": "本地生活服务"}  # fmt: skip
TRAINING_KIND = {"employment_skills": "就业技能培训", "entrepreneurship": "创业培训",
                 "employee_upskilling": "职工岗位技能提升培训"}  # fmt: skip
TRAINING_RATE = {"employment_skills": "上岗率", "entrepreneurship": "合格率",
                 "employee_upskilling": "稳岗率"}  # fmt: skip
# Which filters each panel applies (facts without a dimension ignore that filter).
APPLIES = {
    "employment": ("city", "district", "industry", "month"),
    "gig": ("city", "month"),
    "supply_demand": ("city", "district", "industry", "month"),
    "training": ("city",),
    "talent_flows": ("city", "month"),
    "subsidies": ("city", "district"),
}


def no_targets_message(year: int, today: date) -> str:
    return NO_TARGETS if year == today.year else f"{year}年度未配置目标"


def region_name(code: str | None) -> str:
    if not code:
        return "—"
    if code == "32":
        return "全省"
    return code_table("regions").name_of(code) or JIANGSU_CITIES.get(code) or code


def industry_name(code: str | None) -> str:
    return (code_table("industries").name_of(code) if code else None) or (code or "—")


def group_name(code: str) -> str:
    return code_table("key-groups").name_of(code) or code


def options(scope: queries.Scope, config: MonitoringConfig, today: date) -> dict[str, Any]:
    """What the filter lists offer: the cities (or the caller's own), the chosen city's
    districts, the GB/T 4754 sections, the last 24 months and the configured target years."""
    regions = code_table("regions")
    cities = [{"code": c, "name": n} for c, n in JIANGSU_CITIES.items()]
    if scope.city_code:
        cities = [c for c in cities if c["code"] == scope.city_code] or cities
    districts = []
    if scope.city_code:
        districts = [{"code": d.code, "name": d.name} for d in regions.children(scope.city_code)]
    industries = [
        {"code": i.code, "name": i.name} for i in code_table("industries") if len(i.code) == 1
    ]
    first = today.replace(day=1)
    months = [months_back(first, n).isoformat()[:7] for n in range(24)]
    return {"cities": cities, "districts": districts, "industries": industries,
            "months": months}  # fmt: skip


def level_of(scope: queries.Scope) -> str:
    if scope.district_code:
        return "district"
    return "city" if scope.city_code else "province"


async def build_view(
    deps: Any,
    session: Any,
    scope: queries.Scope,
    config: MonitoringConfig,
    *,
    today: date,
    year: int,
    targets: list[dict[str, Any]],
    target_years: list[int],
) -> dict[str, Any]:
    """Every figure the dashboard shows for the scope (the filters) and the target year."""
    since = months_back(today.replace(day=1), 23)
    year_scope = replace(
        scope,
        month_from=max(scope.month_from or date(today.year, 1, 1), date(today.year, 1, 1)),
        month_to=min(scope.month_to or today.replace(day=1), today.replace(day=1)),
    )
    this_year = (await queries.employment(session, [], year_scope))[0]
    all_time = (await queries.employment(session, [], scope))[0]
    monthly = await queries.employment(
        session, [Dimension.MONTH], replace(scope, month_from=scope.month_from or since)
    )
    by_city = await queries.employment(session, [Dimension.CITY], scope)
    level = level_of(scope)
    area_dim = Dimension.CITY if level == "province" else Dimension.DISTRICT
    by_area = await queries.employment(session, [area_dim], scope)
    by_group = await queries.employment(session, [Dimension.GROUP], scope)
    specialized = await queries.specialized(session, scope, as_of=today, config=config)
    warnings = await queries.warnings(session, scope, as_of=today, config=config)
    subsidies = await queries.subsidies(session, scope, today=today)
    deadlines = await queries.upcoming_deadlines(session, scope, today=today, limit=12)
    training = await labour_market.training(session, scope)
    flows = await labour_market.talent_flows(session, scope)
    gig = await labour_market.gig(session, scope)
    supply = await labour_market.supply_demand(session, scope)

    decided_in_time = sum(r["decided_in_time"] for r in subsidies)
    judged = sum(r["decided"] + r["overdue"] for r in subsidies)
    for r in by_city:
        r["name"] = region_name(r["city"])
    area_key = area_dim.value
    areas = [
        r | {"code": r[area_key], "name": region_name(r[area_key])}
        for r in sorted(by_area, key=lambda r: (-r["new_jobs"], r[area_key] or ""))
        if r[area_key]
    ]
    groups = [r | {"name": group_name(r["group"])} for r in by_group]
    gig_view = _gig(gig)
    supply_view = _supply(supply)
    return {
        "today": today,
        "refresh_ms": getattr(deps.settings, "dashboard_refresh_ms", 2000),
        "cities": dict(JIANGSU_CITIES),
        "filters": {
            "city_code": scope.city_code,
            "district_code": scope.district_code,
            "industry_code": scope.industry_code,
            "month_from": scope.month_from,
            "month_to": scope.month_to,
            "year": year,
        },
        "level": level,
        "scope_name": region_name(scope.district_code or scope.city_code or "32"),
        "applies": APPLIES,
        "options": options(scope, config, today) | {"target_years": target_years},
        "kpis": {
            "hires": all_time["hires"],
            "new_jobs_this_year": this_year["new_urban_jobs"],  # 城镇新增就业: less 自然减员
            "reemployed_this_year": this_year["reemployed"],
            "separations": all_time["separations"],
            "net": all_time["net"],
            "warnings": len(warnings),
            "specialized_insured": specialized["total"]["insured"],
            "subsidy_compliance": rate(decided_in_time, judged),
            "overdue_cases": sum(r["overdue"] for r in subsidies),
            "gig_orders": gig_view["total_orders"],
            "covered_orders": gig_view["cover_total"]["orders"],
            "claims": gig_view["claims_total"]["claims"],
            "demand_supply_ratio": supply_view["total"]["demand_supply_ratio"],
        },
        "monthly": monthly,
        "by_city": sorted(by_city, key=lambda r: -r["new_jobs"]),
        "by_area": areas,
        "area_dimension": area_key,
        "by_group": groups,
        "specialized": specialized,
        "warnings": [w | {"city_name": region_name(w["city_code"])} for w in warnings[:20]],
        "warning_rule": config.warning.model_dump(),
        "subsidies": subsidies,
        "deadlines": [d | {"city_name": region_name(d["city"])} for d in deadlines],
        "training": [
            r
            | {
                "city_name": region_name(r["city"]),
                "kind_name": TRAINING_KIND.get(r["training_kind"], r["training_kind"]),
                "rate_name": TRAINING_RATE.get(r["training_kind"], "比率"),
            }  # fmt: skip
            for r in training
        ],
        "training_by_kind": _training_by_kind(training),
        "talent_flows": [r | {"name": region_name(r["city"])} for r in flows["cities"]],
        "gig": gig_view,
        "supply_demand": supply_view,
        "targets": targets,
        "targets_message": None if targets else no_targets_message(year, today),
    }


def _gig(gig: dict[str, Any]) -> dict[str, Any]:
    by_status: dict[str, int] = {}
    for r in gig["orders"]:
        by_status[r["status"]] = by_status.get(r["status"], 0) + int(r["orders"])
    cover: dict[str, dict[str, int]] = {}
    for r in gig["cover"]:
        c = cover.setdefault(r["industry"], {"orders": 0, "contribution_fen": 0})
        c["orders"] += int(r["orders"])
        c["contribution_fen"] += int(r["contribution_fen"])
    claims: dict[str, dict[str, int]] = {}
    for r in gig["claims"]:
        c = claims.setdefault(r["stage"], {"claims": 0, "amount_fen": 0})
        c["claims"] += int(r["claims"])
        c["amount_fen"] += int(r["amount_fen"] or 0)
    return {
        "orders_by_status": [
            {"status": s, "name": ORDER_STATUS.get(s, s), "orders": n}
            for s, n in sorted(by_status.items())
        ],
        "total_orders": sum(by_status.values()),
        "cover_by_industry": [
            {"industry": i, "name": GIG_INDUSTRY.get(i, i), **v} for i, v in sorted(cover.items())
        ],
        "cover_total": {
            "orders": sum(v["orders"] for v in cover.values()),
            "contribution_fen": sum(v["contribution_fen"] for v in cover.values()),
        },
        "claims_by_stage": [
            {"stage": s, "name": CLAIM_STAGE.get(s, s), **v}
            for s, v in sorted(
                claims.items(),
                key=lambda kv: list(CLAIM_STAGE).index(kv[0]) if kv[0] in CLAIM_STAGE else 99,
            )  # fmt: skip
        ],
        "claims_total": {
            "claims": sum(v["claims"] for v in claims.values()),
            "amount_fen": sum(v["amount_fen"] for v in claims.values()),
        },
        "workers": sum(int(r["workers"]) for r in gig["workers"]),
    }


def _supply(rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_city: dict[str, dict[str, int]] = {}
    for r in rows:
        c = by_city.setdefault(
            r["city"], {"posts": 0, "positions": 0, "seekers": 0, "applications": 0}
        )
        for k in c:
            c[k] += int(r[k])
    # Seekers over several months are summed per month (a person seeking in two months counts
    # in each, as monthly 求职人数 do when a period's figures are added up).
    cities = [
        {
            "city": c,
            "name": region_name(c),
            **v,
            "demand_supply_ratio": rate(v["positions"], v["seekers"]),
        }  # fmt: skip
        for c, v in sorted(by_city.items())
    ]
    keys = ("posts", "positions", "seekers", "applications")
    total = {k: sum(c[k] for c in cities) for k in keys}
    total["demand_supply_ratio"] = rate(total["positions"], total["seekers"])
    return {"cities": cities, "total": total}


def _training_by_kind(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per kind of training: the counts along the way (issued → completed → certified) and the
    kind's outcome rate, or None with the reason when it cannot be measured."""
    out = []
    for kind, name in TRAINING_KIND.items():
        mine = [r for r in rows if r["training_kind"] == kind]
        sums = {k: sum(int(r[k]) for r in mine) for k in ("issued", "redeemed", "completed",
                                                           "passed", "certified", "employed",
                                                           "retained")}  # fmt: skip
        numerator = {"employment_skills": "employed", "entrepreneurship": "passed",
                     "employee_upskilling": "retained"}[kind]  # fmt: skip
        notes = {r.get("rate_note") for r in mine} - {None}
        unknown = bool(mine) and all(r["rate"] is None and r.get("rate_note") for r in mine)
        out.append(
            {
                "training_kind": kind,
                "name": name,
                "rate_name": TRAINING_RATE[kind],
                **sums,
                "rate": None if unknown else rate(sums[numerator], sums["completed"]),
                "rate_note": next(iter(notes)) if unknown and notes else None,
            }  # fmt: skip
        )
    return out


# --- the view as tables: what the export writes ------------------------------------------


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else round(fen / 100, 2)


def panel_tables(view: dict[str, Any]) -> list[Table]:
    """Each panel of the dashboard as a table with Chinese column names, in screen order."""
    f = view["filters"]
    k = view["kpis"]
    month = (
        f"{f['month_from']:%Y-%m}"
        if f["month_from"] and f["month_from"] == f["month_to"]
        else "全部"
    )
    t = [
        Table("filters", "筛选条件", ["项目", "值"], [
            ["地区", view["scope_name"]],
            ["行业", industry_name(f["industry_code"]) if f["industry_code"] else "全部"],
            ["月份", month],
            ["目标年度", f["year"]],
            ["数据日期", view["today"].isoformat()],
        ]),
        Table("kpis", "关键指标", ["指标", "数值"], [
            ["累计录用（城镇就业）", k["hires"]],
            ["今年城镇新增就业", k["new_jobs_this_year"]],
            ["今年失业人员再就业", k["reemployed_this_year"]],
            ["离职", k["separations"]],
            ["净增就业", k["net"]],
            ["重点企业用工预警", k["warnings"]],
            ["零工订单", k["gig_orders"]],
            ["单均保障订单", k["covered_orders"]],
            ["职业伤害理赔", k["claims"]],
            ["求人倍率", k["demand_supply_ratio"]],
        ]),
        Table("monthly", "城镇新增就业（按月）", ["月份", "城镇新增就业", "其中再就业", "离职"], [
            [r["month"].isoformat()[:7], r["new_jobs"], r["reemployed"], r["separations"]]
            for r in view["monthly"]
        ]),
        Table("areas", "各地区新增就业" + ("（设区市）" if view["area_dimension"] == "city"
                                            else "（县区）"),  # fmt: skip
              ["地区代码", "地区", "城镇新增就业", "录用", "离职", "净增"], [
            [r["code"], r["name"], r["new_jobs"], r["hires"], r["separations"], r["net"]]
            for r in view["by_area"]
        ]),
        Table("groups", "重点群体就业", ["重点群体", "录用人数"], [
            [r["name"], r["hires"]] for r in view["by_group"]
        ]),
        Table("gig_orders", "零工订单（按状态）", ["状态", "订单数"], [
            [r["name"], r["orders"]] for r in view["gig"]["orders_by_status"]
        ]),
        Table("gig_cover", "单均保障（按行业）", ["行业", "保障订单数", "保费（元）"], [
            [r["name"], r["orders"], _yuan(r["contribution_fen"])]
            for r in view["gig"]["cover_by_industry"]
        ]),
        Table("gig_claims", "职业伤害理赔（按阶段）", ["阶段", "件数", "金额（元）"], [
            [r["name"], r["claims"], _yuan(r["amount_fen"])]
            for r in view["gig"]["claims_by_stage"]
        ]),
        Table("supply_demand", "求人倍率（岗位数 / 求职人数）",
              ["地区", "岗位数", "求职人数", "求职人次", "求人倍率"], [
            [r["name"], r["positions"], r["seekers"], r["applications"],
             r["demand_supply_ratio"]]
            for r in view["supply_demand"]["cities"]
        ]),
        Table("training", "培训成效", ["培训类别", "发券", "完成", "合格", "取证", "比率名称",
                                        "比率", "说明"], [  # fmt: skip
            [r["name"], r["issued"], r["completed"], r["passed"], r["certified"],
             r["rate_name"], r["rate"], r["rate_note"] or ""]
            for r in view["training_by_kind"]
        ]),
        Table("talent_flows", "人才流动", ["城市", "流入", "流出", "净流入"], [
            [r["name"], r["inflow"], r["outflow"], r["net"]] for r in view["talent_flows"]
        ]),
        Table("targets", f"{f['year']}年度目标进度", ["地区", "年度", "目标项", "目标", "完成",
                                                     "进度", "说明"], [  # fmt: skip
            [region_name(tg["region"]), tg["year"], it["label"], it["target"], it["actual"],
             it["progress"], "" if it["measured"] else it["how_measured"]]
            for tg in view["targets"] for it in tg["items"]
        ] or [[view["targets_message"], f["year"], "", None, None, None, ""]]),
        Table("warnings", "重点企业用工预警", ["企业", "城市", "期初", "当前", "降幅"], [
            [w["name"] or w["enterprise_uscc"], w["city_name"], w["headcount_before"],
             w["headcount"], w["fall_share"]]
            for w in view["warnings"]
        ]),
    ]  # fmt: skip
    return t
