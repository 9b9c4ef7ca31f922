"""Reads and writes of the training catalogue, institutions and vouchers. Session passed in."""

from __future__ import annotations

import uuid
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from suxin_common.auth import Principal, district_clause
from training_vouchers.adapters import money_repository as money_repo
from training_vouchers.adapters.repository import division_of
from training_vouchers.adapters.tables import institutions, vouchers
from training_vouchers.domain.training import (
    Eligibility,
    Institution,
    Occupation,
    SkillLevel,
    TrainingKind,
    Voucher,
    VoucherStatus,
)


async def get_occupation(session: AsyncSession, code: str, on: date) -> Occupation | None:
    """The occupation as its subsidy table stands on ``on`` (approved versions only)."""
    t = money_repo.in_force(on)
    row = (await session.execute(sa.select(t).where(t.c.code == code))).first()
    return money_repo.occupation_of(row._mapping) if row else None


async def list_occupations(
    session: AsyncSession, *, on: date, limit: int, after: str | None = None, **flags: bool
) -> list[Occupation]:
    t = money_repo.in_force(on)
    query = sa.select(t).order_by(t.c.code).limit(limit)
    if after is not None:
        query = query.where(t.c.code > after)
    for name, value in flags.items():
        query = query.where(t.c[name] == value)
    return [money_repo.occupation_of(r._mapping) for r in (await session.execute(query)).all()]


async def add_institution(session: AsyncSession, i: Institution) -> bool:
    row = await session.execute(
        insert(institutions)
        .values(**asdict(i))
        .on_conflict_do_nothing(index_elements=["uscc"])
        .returning(institutions.c.id)
    )
    return row.first() is not None


async def get_institution(session: AsyncSession, institution_id: uuid.UUID) -> Institution | None:
    row = (
        await session.execute(sa.select(institutions).where(institutions.c.id == institution_id))
    ).first()
    return Institution(**row._mapping) if row else None


async def list_institutions(
    session: AsyncSession,
    *,
    limit: int,
    after: str | None = None,
    principal: Principal | None = None,
) -> list[Institution]:
    t = institutions
    query = sa.select(t).order_by(t.c.uscc).limit(limit)
    if principal is not None:
        query = query.where(district_clause(division_of(t), principal))
    if after is not None:
        query = query.where(t.c.uscc > after)
    return [Institution(**r._mapping) for r in (await session.execute(query)).all()]


_VOUCHER_FIELDS = [f.name for f in fields(Voucher)]


def _voucher_row(v: Voucher) -> dict[str, Any]:
    row = {name: getattr(v, name) for name in _VOUCHER_FIELDS}
    for name in ("training_kind", "target_level", "eligibility", "status", "skill_level"):
        row[name] = row[name].value if row[name] is not None else None
    return row


def _voucher(row: Any) -> Voucher:
    m = dict(row._mapping)
    values = {name: m[name] for name in _VOUCHER_FIELDS}
    values["training_kind"] = TrainingKind(values["training_kind"])
    values["target_level"] = SkillLevel(values["target_level"])
    values["eligibility"] = Eligibility(values["eligibility"])
    values["status"] = VoucherStatus(values["status"])
    if values["skill_level"] is not None:
        values["skill_level"] = SkillLevel(values["skill_level"])
    return Voucher(**values)


async def add_voucher(session: AsyncSession, v: Voucher, resident_id_ciphertext: str) -> bool:
    """False if the person already holds a voucher for this occupation."""
    row = await session.execute(
        insert(vouchers)
        .values(**_voucher_row(v), resident_id_ciphertext=resident_id_ciphertext)
        .on_conflict_do_nothing(constraint="uq_vouchers_person_occupation")
        .returning(vouchers.c.id)
    )
    return row.first() is not None


async def get_voucher(
    session: AsyncSession, voucher_id: uuid.UUID, *, for_update: bool = False
) -> Voucher | None:
    query = sa.select(vouchers).where(vouchers.c.id == voucher_id)
    if for_update:
        query = query.with_for_update()
    row = (await session.execute(query)).first()
    return _voucher(row) if row else None


async def save_voucher(session: AsyncSession, v: Voucher) -> bool:
    row = _voucher_row(v)
    result = await session.execute(
        sa.update(vouchers)
        .where(vouchers.c.id == v.id, vouchers.c.version == v.version - 1)
        .values(**{k: val for k, val in row.items() if k != "id"})
    )
    return result.rowcount == 1


async def certified_vouchers_of(session: AsyncSession, person_key: str) -> list[Voucher]:
    rows = await session.execute(
        sa.select(vouchers)
        .where(
            vouchers.c.person_key == person_key,
            vouchers.c.status == VoucherStatus.CERTIFIED.value,
            vouchers.c.outcome.is_(None),
        )
        .with_for_update()
    )
    return [_voucher(r) for r in rows.all()]


async def list_vouchers(
    session: AsyncSession,
    *,
    limit: int,
    institution_id: uuid.UUID | None = None,
    status: VoucherStatus | None = None,
    after: tuple[datetime, uuid.UUID] | None = None,
    principal: Principal | None = None,
) -> list[Voucher]:
    """Newest first; ``principal``: only vouchers in the caller's district scope (staff)."""
    t = vouchers
    query = sa.select(t).order_by(t.c.issued_at.desc(), t.c.id.desc()).limit(limit)
    if principal is not None:
        query = query.where(district_clause(division_of(t), principal))
    if institution_id is not None:
        query = query.where(t.c.institution_id == institution_id)
    if status is not None:
        query = query.where(t.c.status == status.value)
    if after is not None:
        query = query.where(sa.tuple_(t.c.issued_at, t.c.id) < sa.tuple_(*after))
    return [_voucher(r) for r in (await session.execute(query)).all()]
