"""Object pages for an enterprise and a person, gathered from the services that know them.

Enterprise (企业画像): its registration and flags (job-matching), the facts departments
settled about it with their sources (data-exchange), headcount, insured headcount, hires and the
headcount warning (employment-monitor), and the subsidies it received or has under review
(training-vouchers). Person: only what staff may see: the pseudonymous key, masked identity,
and the department facts about them; data-exchange audits the read under the staff member.
A part whose service does not answer, or that the staff member may not see, says so.
"""

from __future__ import annotations

import asyncio
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from staff_workbench.api.objects import CASE_STATUS
from staff_workbench.backends import BackendError
from staff_workbench.domain.facts import detail_text, source_name
from staff_workbench.web import CurrentStaff, render
from suxin_common.identity import normalize_uscc

router = APIRouter(include_in_schema=False)
PERSON_KEY = re.compile(r"^pk_[0-9a-f]{32}$")
RECEIVED = ("approved", "paid")
OPEN = ("awaiting_data", "under_review", "returned")


async def _part(call) -> tuple[object, str | None]:
    """(value, None) or (None, why it is missing)."""
    try:
        return await call, None
    except BackendError as exc:
        return None, "无权查看或暂无数据" if exc.status in (403, 404) else exc.detail
    except Exception:  # a service that is down leaves the rest of the page
        return None, "服务暂不可用"


def _facts(found: list[dict] | None) -> list[dict]:
    return [
        {
            "kind": f["kind"],
            "detail": detail_text(f.get("detail") or {}),
            "source": source_name(f["department"]),
            "as_of": f["as_of"],
            "valid": f"{f.get('valid_from') or '—'} 至 {f.get('valid_until') or '—'}",
            "evidence": f["evidence_ref"],
            "revoked": f["revoked"],
        }
        for f in found or []
    ]


@router.get("/enterprises/{uscc}")
async def enterprise_page(uscc: str, request: Request, staff: CurrentStaff) -> Response:
    try:
        uscc = normalize_uscc(uscc)
    except ValueError:
        raise BackendError(404, "统一社会信用代码无效。") from None
    b, token = request.app.state.backends, staff.token
    (registry, e1), (facts, e2), (profile, e3), (cases, e4) = await asyncio.gather(
        _part(b.get(token, "job_matching", f"/v1/enterprises/{uscc}")),
        _part(b.get(token, "data_exchange", "/v1/facts", uscc=uscc)),
        _part(b.get(token, "employment_monitor", f"/v1/enterprises/{uscc}")),
        _part(b.get(token, "training_vouchers", "/v1/subsidy-cases", enterprise_uscc=uscc,
                    limit=200)),
    )  # fmt: skip
    items = (cases or {}).get("items", [])
    names = await b.rule_names(token) if items else {}
    subsidies = [
        c | {"rule_name": names.get(c["rule_id"], c["rule_id"]),
             "status_name": CASE_STATUS.get(c["status"], c["status"])}
        for c in items
    ]  # fmt: skip
    return render(
        request, "enterprise.html", staff, uscc=uscc, registry=registry, profile=profile,
        facts=_facts(facts), subsidies=subsidies,
        received_fen=sum(c["amount_fen"] for c in items if c["status"] in RECEIVED),
        open_count=sum(1 for c in items if c["status"] in OPEN),
        missing={"registry": e1, "facts": e2, "profile": e3, "cases": e4},
    )  # fmt: skip


@router.get("/persons/{person_key}")
async def person_page(person_key: str, request: Request, staff: CurrentStaff) -> Response:
    if not PERSON_KEY.match(person_key):
        raise BackendError(404, "没有这个人员。")
    b = request.app.state.backends
    facts, missing = await _part(b.get(staff.token, "data_exchange", "/v1/facts",
                                       person_key=person_key))  # fmt: skip
    return render(
        request, "person.html", staff, person_key=person_key, facts=_facts(facts),
        missing=missing,
    )  # fmt: skip
