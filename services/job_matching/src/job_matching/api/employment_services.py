"""The "131" and "1+3" employment services: delivered, owed and the owed report."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, status

from job_matching import handlers
from job_matching.adapters import repository as repo
from job_matching.adapters.tables import seekers as seekers_table
from job_matching.api.access import (
    SEEKER_OR_STAFF,
    STAFF_ONLY,
    Cursor,
    Limit,
    actor_of,
    audit_read,
    read_seeker,
)
from job_matching.api.deps import JobMatchingDeps
from job_matching.api.schemas import (
    OwedOut,
    ProgrammeBalance,
    SeekerServicesOut,
    ServiceIn,
    ServiceOut,
)
from job_matching.domain import commands
from job_matching.domain import employment_services as services
from job_matching.reports import owed_services, seeker_balances
from suxin_common.auth import CurrentPrincipal, district_clause
from suxin_common.errors import RuleViolation
from suxin_common.web import Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/v1")


@router.post(
    "/seekers/{seeker_id}/services",
    status_code=status.HTTP_201_CREATED,
    response_model=ServiceOut,
    dependencies=[STAFF_ONLY],
    tags=["employment services"],
)
async def record_service(
    seeker_id: uuid.UUID,
    body: ServiceIn,
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
):
    """Record one service delivered under the "131" or "1 guidance + 3 recommendations"
    programme; a job recommendation names an open post and counts once per post."""
    uow = deps.uow()
    service_id = await handlers.record_service_delivered(
        uow,
        commands.RecordServiceDelivered(
            seeker_id=seeker_id,
            programme=body.programme,
            kind=body.kind,
            delivered_by=principal.subject,
            job_post_id=body.job_post_id,
            note=body.note,
        ),
        actor_of(principal),
    )
    async with deps.sessions() as session:
        rows = await repo.services_of(session, seeker_id)
    row = next(r for r in rows if r.id == service_id)
    return ServiceOut(**{k: v for k, v in row._mapping.items() if k in ServiceOut.model_fields})


@router.get(
    "/seekers/{seeker_id}/services",
    response_model=SeekerServicesOut,
    dependencies=[SEEKER_OR_STAFF],
    tags=["employment services"],
)
async def get_seeker_services(
    seeker_id: uuid.UUID, principal: CurrentPrincipal, deps: JobMatchingDeps
):
    """What a person is owed and has received (the person themself, or HRSS staff of their
    district: audited)."""
    uow = deps.uow()
    row = await read_seeker(uow, principal, seeker_id, "employment services")
    async with deps.sessions() as session:
        balances, delivered = await seeker_balances(session, row, date.today())
    return SeekerServicesOut(
        seeker_id=seeker_id,
        programmes=[_balance_out(b) for b in balances],
        delivered=[
            ServiceOut(**{k: v for k, v in r._mapping.items() if k in ServiceOut.model_fields})
            for r in delivered
        ],
    )


def _balance_out(b: services.Balance) -> ProgrammeBalance:
    return ProgrammeBalance(
        programme=b.programme, delivered=b.delivered, owed=b.owed, complete=b.complete
    )


@router.get(
    "/services/owed",
    response_model=Page[OwedOut],
    dependencies=[STAFF_ONLY],
    tags=["employment services"],
)
async def list_owed_services(
    principal: CurrentPrincipal,
    deps: JobMatchingDeps,
    limit: Limit,
    programme: services.Programme | None = None,
    cursor: Cursor = None,
):
    """Who is still owed what: people in a programme's group, without an active hire, whose
    services are not all delivered; district staff see the people of their district. Each
    person listed is an audited read."""
    uow = deps.uow()
    after = None
    if cursor:
        try:
            after = uuid.UUID(decode_cursor(cursor)["id"])
        except (KeyError, TypeError, ValueError):
            raise RuleViolation("The cursor is invalid.", field="cursor") from None
    async with uow:
        owed, last = await owed_services(
            uow.session,
            today=date.today(),
            programme=programme,
            limit=limit,
            after=after,
            region=district_clause(seekers_table.c.district_code, principal),
        )
        for row, _ in owed:
            await audit_read(uow, principal, row.id, "services owed report")
        await uow.commit()
    return Page[OwedOut](
        items=[
            OwedOut(
                seeker_id=row.id,
                masked_resident_id=row.resident_id_masked,
                programmes=[_balance_out(b) for b in balances],
            )
            for row, balances in owed
        ],
        next_cursor=encode_cursor({"id": str(last)}) if last else None,
    )
