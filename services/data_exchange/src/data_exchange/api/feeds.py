"""Single records over HTTP (a department client), and reading facts (HRSS staff)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from data_exchange.adapters import fact_store
from data_exchange.api.access import department_client, department_of, sender_of
from data_exchange.api.deps import DataExchangeDeps
from data_exchange.api.schemas import FactOut, RecordIn, RecordOut
from data_exchange.domain.departments import FEED_OWNER, FeedKind
from data_exchange.domain.feeds import FEEDS
from data_exchange.handlers.single import RecordInvalid, record_one
from suxin_common import reasons
from suxin_common.auth import Principal, Role, require_roles
from suxin_common.errors import Forbidden, RuleViolation
from suxin_common.identity import Uscc
from suxin_common.security import audit

router = APIRouter(tags=["feeds 数据报送"])


@router.post("/v1/feeds/{feed}/records", response_model=RecordOut)
async def send_record(
    feed: FeedKind,
    body: RecordIn,
    deps: DataExchangeDeps,
    principal: Annotated[Principal, Depends(department_client())],
) -> RecordOut:
    """One record of a feed, applied at once (the same fields as a row of its batch file)."""
    department = department_of(principal)
    assert department is not None
    if FEED_OWNER[feed] is not department:
        raise Forbidden(
            "This department does not own this feed.",
            code="feed-not-owned",
        )
    as_of = body.as_of or date.today()
    if as_of > date.today():
        raise RuleViolation("as_of may not be in the future.", field="as_of")
    try:
        batch_id, outcome = await record_one(
            deps.started,
            FEEDS[feed],
            department,
            body.record,
            as_of=as_of,
            sender=sender_of(principal),
        )
    except RecordInvalid as exc:
        raise RuleViolation(
            "The record is invalid; nothing was changed.",
            code="invalid-record",
            extra={
                "errors": [
                    {
                        "field": f"record.{e.field}",
                        "code": e.code,
                        "message": reasons.render(e.reason),
                    }
                    for e in exc.errors
                ]
            },
        ) from None
    if outcome is None:
        return RecordOut(batch_id=batch_id, fact_key="", change="duplicate", version=0)
    return RecordOut(
        batch_id=batch_id, fact_key=outcome.fact_key, change=outcome.change, version=outcome.version
    )


@router.get("/v1/facts", response_model=list[FactOut])
async def list_facts(
    deps: DataExchangeDeps,
    principal: Annotated[Principal, Depends(require_roles(Role.HRSS_STAFF))],
    person_key: Annotated[str | None, Query(pattern=r"^pk_[0-9a-f]{32}$")] = None,
    uscc: Uscc | None = None,
) -> list[FactOut]:
    """The current facts about one person (by person key) or one enterprise (by USCC)."""
    if (person_key is None) == (uscc is None):
        raise RuleViolation("Give exactly one of person_key and uscc.", field="person_key")
    async with deps.uow() as uow:
        rows = await fact_store.facts_of(uow.session, person_key=person_key, uscc=uscc)
        if person_key is not None:
            await audit.record(
                uow,
                principal,
                action=audit.READ_PERSONAL_DATA,
                object_type="person_facts",
                object_id=person_key,
                purpose="部门数据比对结果查询",
            )
            await uow.commit()
    return [FactOut(**r) for r in rows]
