"""Reads and writes of payments, batches, result files, appeals and occupation-table versions,
as domain objects. The session is passed in."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.attachments import Attachment
from suxin_common.auth import Principal, district_clause
from training_vouchers.adapters.tables import (
    appeal_attachments,
    appeals,
    occupation_versions,
    payment_batches,
    payment_result_files,
    subsidy_cases,
    subsidy_payments,
)
from training_vouchers.domain.appeals import Appeal, AppealStatus
from training_vouchers.domain.payments import BatchStatus, Payment, PaymentStatus
from training_vouchers.domain.training import Occupation

# --- payments -------------------------------------------------------------------------------

P = subsidy_payments


def _payment(row: Any) -> Payment:
    m = row._mapping
    return Payment(
        **{c.name: m[c.name] for c in P.columns if c.name not in ("status", "approvers")},
        status=PaymentStatus(m["status"]),
        approvers=tuple(m["approvers"]),
    )


async def add_payment(session: AsyncSession, p: Payment) -> None:
    values = asdict(p) | {"status": p.status.value, "approvers": list(p.approvers)}
    await session.execute(sa.insert(P).values(**values))


async def save_payment(session: AsyncSession, p: Payment) -> None:
    values = asdict(p) | {"status": p.status.value, "approvers": list(p.approvers)}
    await session.execute(sa.update(P).where(P.c.id == p.id).values(**values))


async def payments_of_case(session: AsyncSession, case_id: uuid.UUID) -> list[Payment]:
    rows = await session.execute(sa.select(P).where(P.c.case_id == case_id).order_by(P.c.attempt))
    return [_payment(r) for r in rows.all()]


async def queued_payments(
    session: AsyncSession, payer_account: str, *, limit: int = 10_000
) -> list[Payment]:
    rows = await session.execute(
        sa.select(P)
        .where(P.c.payer_account == payer_account, P.c.status == PaymentStatus.QUEUED.value)
        .order_by(P.c.queued_at, P.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [_payment(r) for r in rows.all()]


async def list_payments(
    session: AsyncSession, *, status: PaymentStatus | None, limit: int
) -> list[Payment]:
    query = sa.select(P).order_by(P.c.queued_at.desc(), P.c.id).limit(limit)
    if status is not None:
        query = query.where(P.c.status == status.value)
    return [_payment(r) for r in (await session.execute(query)).all()]


async def payments_of_batch(
    session: AsyncSession, batch_id: uuid.UUID, *, for_update: bool = False
) -> list[Payment]:
    query = sa.select(P).where(P.c.batch_id == batch_id).order_by(P.c.queued_at, P.c.id)
    if for_update:
        query = query.with_for_update()
    return [_payment(r) for r in (await session.execute(query)).all()]


# --- batches --------------------------------------------------------------------------------

B = payment_batches


async def add_batch(session: AsyncSession, **values: Any) -> None:
    await session.execute(sa.insert(B).values(**values))


async def get_batch(
    session: AsyncSession, batch_id: uuid.UUID, *, for_update: bool = False
) -> dict | None:
    query = sa.select(B).where(B.c.id == batch_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return dict(row._mapping) if row else None


async def update_batch(session: AsyncSession, batch_id: uuid.UUID, **values: Any) -> None:
    await session.execute(sa.update(B).where(B.c.id == batch_id).values(**values))


async def batches_on(session: AsyncSession, payer_account: str, day: date) -> int:
    return (
        await session.execute(
            sa.select(sa.func.count())
            .select_from(B)
            .where(B.c.payer_account == payer_account, B.c.batch_day == day)
        )
    ).scalar_one()


async def list_batches(session: AsyncSession, *, status: BatchStatus | None, limit: int):
    query = sa.select(*(c for c in B.columns if c.name != "file_content"))
    query = query.order_by(B.c.prepared_at.desc()).limit(limit)
    if status is not None:
        query = query.where(B.c.status == status.value)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def add_result_file(session: AsyncSession, **values: Any) -> bool:
    """Keep a result file; False if this batch already has exactly this file."""
    row = await session.execute(
        insert(payment_result_files)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_payment_result_files_once")
        .returning(payment_result_files.c.id)
    )
    return row.first() is not None


async def result_file_summary(
    session: AsyncSession, batch_id: uuid.UUID, sha256: str
) -> dict | None:
    t = payment_result_files
    row = (
        await session.execute(
            sa.select(t.c.summary).where(t.c.batch_id == batch_id, t.c.file_sha256 == sha256)
        )
    ).first()
    return dict(row.summary) if row else None


# --- appeals --------------------------------------------------------------------------------

A = appeals


def _appeal(row: Any) -> Appeal:
    m = dict(row._mapping)
    m["status"] = AppealStatus(m["status"])
    m["excluded"] = tuple(m["excluded"])
    return Appeal(**m)


async def add_appeal(session: AsyncSession, appeal: Appeal, attachments: list[Attachment]) -> bool:
    """Insert; False if the case has an open appeal already."""
    values = asdict(appeal) | {"status": appeal.status.value, "excluded": list(appeal.excluded)}
    row = await session.execute(
        insert(A)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["case_id"], index_where=A.c.status == AppealStatus.SUBMITTED.value
        )
        .returning(A.c.id)
    )
    if row.first() is None:
        return False
    for a in attachments:
        await session.execute(
            sa.insert(appeal_attachments).values(appeal_id=appeal.id, **asdict(a))
        )
    return True


async def get_appeal(
    session: AsyncSession, appeal_id: uuid.UUID, *, for_update: bool = False
) -> Appeal | None:
    query = sa.select(A).where(A.c.id == appeal_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _appeal(row) if row else None


async def save_appeal(session: AsyncSession, appeal: Appeal) -> None:
    await session.execute(
        sa.update(A)
        .where(A.c.id == appeal.id)
        .values(
            status=appeal.status.value,
            decided_by=appeal.decided_by,
            decided_at=appeal.decided_at,
            decision_reason=appeal.decision_reason,
        )
    )


async def list_appeals(
    session: AsyncSession,
    *,
    status: AppealStatus | None,
    limit: int,
    principal: Principal | None = None,
) -> list[Appeal]:
    """Appeals by due day; ``principal``: only those whose case lies in the caller's district
    scope (the case's district, else its city), as for the cases themselves."""
    query = sa.select(A).order_by(A.c.due_on, A.c.submitted_at).limit(limit)
    if status is not None:
        query = query.where(A.c.status == status.value)
    if principal is not None:
        cases = subsidy_cases
        in_scope = sa.select(cases.c.id).where(
            district_clause(sa.func.coalesce(cases.c.district_code, cases.c.city_code), principal)
        )
        query = query.where(A.c.case_id.in_(in_scope))
    return [_appeal(r) for r in (await session.execute(query)).all()]


async def attachments_of(session: AsyncSession, appeal_id: uuid.UUID) -> list[dict]:
    t = appeal_attachments
    rows = await session.execute(
        sa.select(t.c.id, t.c.file_name, t.c.content_type, t.c.size_bytes, t.c.sha256).where(
            t.c.appeal_id == appeal_id
        )
    )
    return [dict(r._mapping) for r in rows.all()]


# --- occupation tables ----------------------------------------------------------------------

V = occupation_versions
_OCCUPATION_FIELDS = (
    "code",
    "name",
    "subsidy_fen",
    "digital_skills",
    "shortage",
    "specialised_sme_oriented",
    "active",
)


def in_force(on: date):
    """The approved version of each occupation with the latest effective date on or before
    ``on`` (a subquery)."""
    return (
        sa.select(V)
        .where(V.c.status == "approved", V.c.effective_from <= on)
        .ext(distinct_on(V.c.code))
        .order_by(V.c.code, V.c.effective_from.desc(), V.c.version.desc())
        .subquery("in_force")
    )


def occupation_of(m: Any) -> Occupation:
    return Occupation(**{k: m[k] for k in _OCCUPATION_FIELDS}, table_version=m["version"])


async def add_occupation_version(
    session: AsyncSession, o: Occupation, *, effective_from: date, by: str, at: datetime
) -> int:
    """Insert a proposed version (the next number for the code) and return its number."""
    await session.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": o.code})
    latest = (
        await session.execute(sa.select(sa.func.max(V.c.version)).where(V.c.code == o.code))
    ).scalar()
    version = (latest or 0) + 1
    await session.execute(
        sa.insert(V).values(
            **{k: getattr(o, k) for k in _OCCUPATION_FIELDS},
            version=version,
            effective_from=effective_from,
            status="proposed",
            proposed_by=by,
            proposed_at=at,
        )
    )
    return version


async def set_version_status(
    session: AsyncSession,
    code: str,
    version: int,
    status: str,
    *,
    approval_id: uuid.UUID,
    approved_by: str | None,
) -> None:
    await session.execute(
        sa.update(V)
        .where(V.c.code == code, V.c.version == version)
        .values(status=status, approval_id=approval_id, approved_by=approved_by)
    )


async def occupation_versions_of(session: AsyncSession, code: str) -> list[dict]:
    rows = await session.execute(sa.select(V).where(V.c.code == code).order_by(V.c.version))
    return [dict(r._mapping) for r in rows.all()]
