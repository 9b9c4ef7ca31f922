"""The home page: the staff member's work queues, read from the services with their token.

Each service scopes what it returns to the staff member's district and role; the workbench
adds the order (overdue first, then by deadline) and marks the proposals the viewer made
(maker-checker: someone else must check them).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from staff_workbench.backends import BackendError, Backends
from staff_workbench.domain.queues import QueueItem, deadline_after, fen, ordered
from staff_workbench.settings import Settings
from staff_workbench.web import CurrentStaff, Staff, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

ACTIONS = {
    "subsidy_approval": "补贴核准",
    "payment_record": "手工拨付登记",
    "payment_release": "支付批次放行",
    "claim_approval": "工伤待遇核准",
    "claim_payment": "工伤待遇支付",
    "rate_table": "费率表变更",
}
LEVELS = {"district": "区县级", "city": "市级", "province": "省级"}
DIFFICULTY = "employment_difficulty"
UNEMPLOYMENT = "unemployment_registration"
RECORD_PATHS = {
    DIFFICULTY: "/v1/employment-difficulties",
    UNEMPLOYMENT: "/v1/unemployment-registrations",
}
RECORD_TITLES = {DIFFICULTY: "就业困难人员认定", UNEMPLOYMENT: "失业登记"}
RECORD_STATUS = {
    "applied": "待核验",
    "checked": "待决定",
    "approved": "已认定",
    "rejected": "不予认定",
    "exited": "已退出",
}


@dataclass
class Queue:
    key: str
    title: str
    items: list[QueueItem] = field(default_factory=list)
    error: str | None = None

    def overdue(self, today: date) -> int:
        return sum(1 for i in self.items if i.overdue(today))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


async def _safely(queue: Queue, fill) -> Queue:
    try:
        queue.items = await fill()
    except BackendError as exc:
        queue.error = f"暂时无法读取（{exc.detail}）"
    except Exception as exc:  # a service that is down must not take the whole page with it
        log.warning("queue %s failed: %r", queue.key, exc)
        queue.error = "暂时无法读取（服务不可用）"
    return queue


async def load_queues(b: Backends, staff: Staff, settings: Settings) -> list[Queue]:
    token = staff.token
    cases: dict[str, dict] = {}
    claims: dict[str, dict] = {}

    async def subsidy_cases() -> list[QueueItem]:
        names = await b.rule_names(token)
        page = await b.get(
            token, "training_vouchers", "/v1/subsidy-cases", status="under_review", limit=200
        )
        items = []
        for c in page["items"]:
            cases[c["id"]] = c
            items.append(
                QueueItem(
                    kind="subsidy_case",
                    id=c["id"],
                    title=names.get(c["rule_id"], c["rule_id"]),
                    detail=f"{c['enterprise_uscc']} · {fen(c['amount_fen'])}",
                    link=f"/cases/{c['id']}",
                    status="审核中",
                    received=_time(c["opened_at"]),
                    deadline=_date(c.get("review_deadline")),
                )
            )
        return items

    async def injury_claims() -> list[QueueItem]:
        page = await b.get(token, "injury_insurance", "/v1/claims", stage="under_review", limit=200)
        items = []
        for c in page["items"]:
            claims[c["id"]] = c
            received = _time(c["created_at"])
            items.append(
                QueueItem(
                    kind="claim",
                    id=c["id"],
                    title="职业伤害认定",
                    detail=f"{c['place']} · {c['injured_at'][:10]}",
                    link=f"/claims/{c['id']}",
                    status="受理审核中",
                    received=received,
                    deadline=deadline_after(received, settings.claim_decision_days),
                )
            )
        return items

    def records(kind: str):
        async def fill() -> list[QueueItem]:
            items = []
            for status in ("applied", "checked"):
                page = await b.get(
                    token, "data_exchange", RECORD_PATHS[kind], status=status, limit=200
                )
                for r in page["items"]:
                    applied = _date(r["applied_on"])
                    items.append(
                        QueueItem(
                            kind=kind,
                            id=r["id"],
                            title=RECORD_TITLES[kind],
                            detail=f"{r['masked_resident_id']} · {r.get('service_point') or ''}",
                            link=f"/records/{kind}/{r['id']}",
                            status=RECORD_STATUS[status],
                            received=datetime.combine(applied, datetime.min.time()),
                            deadline=deadline_after(applied, settings.record_decision_days),
                            mine=status == "checked" and r["handler"] == staff.subject,
                        )
                    )
            return items

        return fill

    async def payment_batches() -> list[QueueItem]:
        found = await b.get(
            token, "training_vouchers", "/v1/payment-batches", status="prepared", limit=100
        )
        return [
            QueueItem(
                kind="payment_batch",
                id=str(x["id"]),
                title=f"支付批次 {x.get('name', '')}",
                detail=f"{x.get('payments', x.get('count', ''))} 笔 · {fen(x.get('total_fen'))}",
                link="/#approvals",
                status="待放行",
                received=_time(x.get("prepared_at")),
            )
            for x in found
        ]

    async def feed_batches() -> list[QueueItem]:
        page = await b.get(token, "data_exchange", "/v1/batches", limit=100)
        return [
            QueueItem(
                kind="feed_batch",
                id=x["id"],
                title=f"{x['department']} · {x['feed']}",
                detail=f"期间 {x['period']} · 失败 {x['rows_failed']} 行 / 共 {x['rows_read']} 行"
                + (f" · {x['reject_reason']}" if x.get("reject_reason") else ""),
                link=f"/feed-batches/{x['id']}",
                status=x["status"],
                received=_time(x["created_at"]),
            )
            for x in page["items"]
            if x["rows_failed"] or x["status"] in ("rejected", "partially_applied")
        ]

    queues = [
        Queue("cases", "补贴审核"),
        Queue("claims", "职业伤害认定"),
        Queue("difficulty", "就业困难人员认定"),
        Queue("unemployment", "失业登记"),
        Queue("batches", "支付批次"),
        Queue("feeds", "数据批次异常"),
    ]
    fills = [
        subsidy_cases,
        injury_claims,
        records(DIFFICULTY),
        records(UNEMPLOYMENT),
        payment_batches,
        feed_batches,
    ]
    await asyncio.gather(*(_safely(q, f) for q, f in zip(queues, fills, strict=True)))
    approvals = Queue("approvals", "待复核（四眼原则）")
    await _safely(approvals, lambda: _approvals(b, staff, cases, claims))
    return [approvals, *queues]


async def _approvals(b: Backends, staff: Staff, cases: dict, claims: dict) -> list[QueueItem]:
    found = await asyncio.gather(
        b.get(staff.token, "training_vouchers", "/v1/approvals"),
        b.get(staff.token, "injury_insurance", "/v1/approvals"),
        return_exceptions=True,
    )
    items = []
    for service, approvals in zip(("training_vouchers", "injury_insurance"), found, strict=True):
        if isinstance(approvals, BaseException):
            raise approvals
        for a in approvals:
            obj, deadline = None, None
            if a["object_type"] == "subsidy_case":
                obj = cases.get(a["object_id"])
                if obj is None:
                    continue  # outside the viewer's district (the case list is scoped)
                deadline = _date(obj.get("review_deadline"))
                link = f"/cases/{a['object_id']}"
            elif a["object_type"] == "claim":
                obj = claims.get(a["object_id"])
                if obj is None:
                    continue
                link = f"/claims/{a['object_id']}"
            else:
                link = f"/approvals/{service}/{a['id']}"
            items.append(
                QueueItem(
                    kind="approval",
                    id=a["id"],
                    title=ACTIONS.get(a["action"], a["action"]),
                    detail=f"{fen(a['amount_fen'])} · 经办 {a['maker']} · 需"
                    f"{LEVELS.get(a['required_level'], a['required_level'])}复核",
                    link=link,
                    status="我提交的，待他人复核" if a["maker"] == staff.subject else "待复核",
                    received=_time(a["made_at"]),
                    deadline=deadline,
                    mine=a["maker"] == staff.subject,
                )
            )
    return items


@router.get("/")
async def home(request: Request, staff: CurrentStaff) -> Response:
    settings: Settings = request.app.state.settings
    queues = await load_queues(request.app.state.backends, staff, settings)
    today = date.today()
    for q in queues:
        q.items = ordered(q.items, today)
    return render(request, "queues.html", staff, queues=queues, today=today)
