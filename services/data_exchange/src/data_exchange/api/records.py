"""就业失业登记 and 就业困难人员认定 over HTTP, for district staff.

(No ``from __future__ import annotations``: the application body's type is chosen per record
kind at runtime, and FastAPI must see the class itself.)
"""

import uuid
from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field, computed_field

from data_exchange.adapters import record_store
from data_exchange.adapters.tables import staff_records
from data_exchange.api.deps import DataExchangeDeps
from data_exchange.domain import records as domain
from data_exchange.domain.records import (
    DifficultyCategory,
    ExitReason,
    RecordKind,
    RecordRuleError,
    RecordStatus,
    StaffRecord,
)
from data_exchange.handlers import records as handlers
from suxin_common.auth import Principal, Role, district_clause, require_roles
from suxin_common.codes import label
from suxin_common.errors import Conflict, DomainError, Forbidden, RuleViolation
from suxin_common.freetext import FreeText
from suxin_common.identity import ResidentId, mask_resident_id
from suxin_common.security import audit
from suxin_common.web import InputModel, Page, decode_cursor, encode_cursor, page_size

Staff = Annotated[Principal, Depends(require_roles(Role.HRSS_STAFF))]
District = Annotated[str, Field(pattern=r"^32\d{4}$", description="常住地六位区划代码")]


class ApplicationIn(InputModel):
    resident_id: ResidentId
    residence_district: District
    service_point: str | None = Field(None, max_length=100, description="受理服务站/窗口")
    applied_on: date | None = None
    statement: FreeText | None = Field(None, max_length=500, description="申请说明")


class DifficultyApplicationIn(ApplicationIn):
    category: DifficultyCategory


class CheckIn(InputModel):
    passed: bool
    note: FreeText | None = Field(None, max_length=500)


class DecisionIn(InputModel):
    approve: bool
    note: FreeText | None = Field(None, max_length=500)


class ReviewIn(InputModel):
    still_eligible: bool
    note: FreeText | None = Field(None, max_length=500)


class ExitIn(InputModel):
    reason: ExitReason
    exited_on: date | None = None
    note: FreeText | None = Field(None, max_length=500)


class RecordOut(BaseModel):
    id: uuid.UUID
    kind: RecordKind
    person_key: str
    masked_resident_id: str
    residence_district: str
    service_point: str | None
    category: DifficultyCategory | None
    status: RecordStatus
    handler: str
    applied_on: date
    checked_by: str | None
    check_note: str | None
    decided_by: str | None
    decision_note: str | None
    decided_on: date | None
    reviewed_on: date | None
    next_review_due: date | None
    exited_on: date | None
    exit_reason: ExitReason | None
    version: int
    fact_key: str = Field(description="the fact this record states once approved")

    @classmethod
    def of(cls, r: StaffRecord) -> "RecordOut":
        return cls(
            **{k: getattr(r, k) for k in cls.model_fields if k != "fact_key"},
            fact_key=f"{r.kind.value}:{r.person_key}",
        )

    @computed_field
    def residence_district_name(self) -> str | None:
        return label("regions", self.residence_district)


def _rule_error(exc: RecordRuleError) -> DomainError:
    """The maker-checker rule refuses the caller (403); every other rule the record's state."""
    kind = Forbidden if exc.code == "checker_is_handler" else Conflict
    return kind(exc.reason, code=exc.code.replace("_", "-"))


def _today(value: date | None, field: str) -> date:
    today = date.today()
    if value is not None and value > today:
        raise RuleViolation(f"{field} may not be in the future.", field=field)
    return value or today


def records_router(kind: RecordKind, prefix: str, title: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=[title])
    body_model = (
        DifficultyApplicationIn if kind is RecordKind.EMPLOYMENT_DIFFICULTY else ApplicationIn
    )

    async def run(
        deps: DataExchangeDeps,
        principal: Principal,
        record_id: uuid.UUID,
        name: str,
        change: Callable[[StaffRecord], StaffRecord],
        note: str | None = None,
    ) -> RecordOut:
        try:
            record = await handlers.step(
                deps.uow(), principal, kind, record_id, name, change, note=note
            )
        except RecordRuleError as exc:
            raise _rule_error(exc) from None
        return RecordOut.of(record)

    @router.post("", status_code=201, response_model=RecordOut)
    async def apply(
        body: body_model,  # type: ignore[valid-type]
        deps: DataExchangeDeps,
        principal: Staff,
        response: Response,
    ) -> RecordOut:
        """受理申请 at a service point of the person's usual residence (常住地)."""
        record = await handlers.apply(
            deps.uow(),
            principal,
            kind,
            person_key=deps.personal_data.person_key(body.resident_id),
            masked_resident_id=mask_resident_id(body.resident_id),
            residence_district=body.residence_district,
            applied_on=_today(body.applied_on, "applied_on"),
            service_point=body.service_point,
            category=getattr(body, "category", None),
            statement=body.statement,
        )
        response.headers["Location"] = f"{prefix}/{record.id}"
        return RecordOut.of(record)

    @router.get("/{record_id}", response_model=RecordOut)
    async def get(record_id: uuid.UUID, deps: DataExchangeDeps, principal: Staff) -> RecordOut:
        record = await handlers.visible(deps.uow(), principal, kind, record_id)
        async with deps.uow() as uow:
            await audit.record(
                uow,
                principal,
                action=audit.READ_PERSONAL_DATA,
                object_type=kind.value,
                object_id=str(record_id),
            )
            await uow.commit()
        return RecordOut.of(record)

    @router.get("/{record_id}/history")
    async def history(record_id: uuid.UUID, deps: DataExchangeDeps, principal: Staff) -> list[dict]:
        """Every step of the record: version, status, step, actor, note, time."""
        await handlers.visible(deps.uow(), principal, kind, record_id)
        async with deps.sessions() as session:
            rows = await record_store.history(session, record_id)
        return [{k: v for k, v in r.items() if k != "record_id"} for r in rows]

    @router.get("", response_model=Page[RecordOut])
    async def list_records(
        deps: DataExchangeDeps,
        principal: Staff,
        limit: Annotated[int, Depends(page_size())],
        status: RecordStatus | None = None,
        cursor: str | None = None,
    ) -> Page[RecordOut]:
        """Records of the caller's district(s)."""
        after = None
        if cursor:
            try:
                after = uuid.UUID(decode_cursor(cursor)["id"])
            except (KeyError, TypeError, ValueError):
                raise RuleViolation("The cursor is invalid.", field="cursor") from None
        async with deps.sessions() as session:
            rows = await record_store.list_records(
                session,
                kind,
                district_clause(staff_records.c.residence_district, principal),
                status=status,
                after=after,
                limit=limit + 1,
            )
        more = len(rows) > limit
        rows = rows[:limit]
        return Page[RecordOut](
            items=[RecordOut.of(r) for r in rows],
            next_cursor=encode_cursor({"id": str(rows[-1].id)}) if more and rows else None,
        )

    @router.post("/{record_id}/check", response_model=RecordOut)
    async def check(
        record_id: uuid.UUID, body: CheckIn, deps: DataExchangeDeps, principal: Staff
    ) -> RecordOut:
        """核验: documents, residence and eligibility checked."""

        def change(record: StaffRecord) -> StaffRecord:
            return domain.check(record, principal.subject, passed=body.passed, note=body.note)

        return await run(deps, principal, record_id, "check", change, body.note)

    @router.post("/{record_id}/decision", response_model=RecordOut)
    async def decide(
        record_id: uuid.UUID, body: DecisionIn, deps: DataExchangeDeps, principal: Staff
    ) -> RecordOut:
        """决定, by a staff member other than the handler (maker-checker)."""

        def change(record: StaffRecord) -> StaffRecord:
            return domain.decide(
                record,
                principal.subject,
                approve=body.approve,
                note=body.note,
                today=date.today(),
                review_days=deps.settings.difficulty_review_days,
            )

        return await run(deps, principal, record_id, "decision", change, body.note)

    if kind is RecordKind.EMPLOYMENT_DIFFICULTY:

        @router.post("/{record_id}/reviews", response_model=RecordOut)
        async def review(
            record_id: uuid.UUID, body: ReviewIn, deps: DataExchangeDeps, principal: Staff
        ) -> RecordOut:
            """年度复核: still eligible extends the recognition a year; otherwise it exits."""

            def change(record: StaffRecord) -> StaffRecord:
                return domain.review(
                    record,
                    principal.subject,
                    still_eligible=body.still_eligible,
                    today=date.today(),
                    review_days=deps.settings.difficulty_review_days,
                )

            return await run(deps, principal, record_id, "review", change, body.note)

    @router.post("/{record_id}/exit", response_model=RecordOut)
    async def exit_record(
        record_id: uuid.UUID, body: ExitIn, deps: DataExchangeDeps, principal: Staff
    ) -> RecordOut:
        """退出 (e.g. re-employed): the fact is revoked."""
        exited_on = _today(body.exited_on, "exited_on")

        def change(record: StaffRecord) -> StaffRecord:
            return domain.exit_record(record, principal.subject, reason=body.reason, on=exited_on)

        return await run(deps, principal, record_id, "exit", change, body.note)

    return router


def routers() -> list[APIRouter]:
    return [
        records_router(
            RecordKind.UNEMPLOYMENT_REGISTRATION,
            "/v1/unemployment-registrations",
            "unemployment registration 失业登记",
        ),
        records_router(
            RecordKind.EMPLOYMENT_DIFFICULTY,
            "/v1/employment-difficulties",
            "employment difficulty 就业困难人员认定",
        ),
    ]
