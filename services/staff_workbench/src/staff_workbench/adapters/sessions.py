"""Signed-in staff sessions (server side): created at sign-in, looked up per request."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from staff_workbench.adapters.tables import staff_sessions
from suxin_common.privacy import FieldCipher


@dataclass(frozen=True)
class StaffSession:
    subject: str
    name: str
    district: str | None
    roles: tuple[str, ...]
    access_token: str
    id_token: str | None
    csrf: str
    expires_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    subject: str,
    name: str,
    district: str | None,
    roles: list[str],
    access_token: str,
    id_token: str | None,
    lifetime_s: float,
) -> str:
    """Store a session; return the cookie token (random, 256 bits)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await session.execute(sa.delete(staff_sessions).where(staff_sessions.c.expires_at < now))
    await session.execute(
        staff_sessions.insert().values(
            token_hash=_hash(token),
            subject=subject,
            name=name,
            district=district,
            roles=roles,
            access_token=cipher.encrypt(access_token, associated_data=subject),
            id_token=id_token,
            csrf=secrets.token_urlsafe(24),
            created_at=now,
            expires_at=now + timedelta(seconds=lifetime_s),
        )
    )
    return token


async def find(session: AsyncSession, cipher: FieldCipher, token: str) -> StaffSession | None:
    row = (
        await session.execute(
            sa.select(staff_sessions).where(
                staff_sessions.c.token_hash == _hash(token),
                staff_sessions.c.expires_at > datetime.now(UTC),
            )
        )
    ).first()
    if row is None:
        return None
    return StaffSession(
        subject=row.subject,
        name=row.name,
        district=row.district,
        roles=tuple(row.roles),
        access_token=cipher.decrypt(row.access_token, associated_data=row.subject),
        id_token=row.id_token,
        csrf=row.csrf,
        expires_at=row.expires_at,
    )


async def delete(session: AsyncSession, token: str) -> None:
    await session.execute(
        sa.delete(staff_sessions).where(staff_sessions.c.token_hash == _hash(token))
    )
