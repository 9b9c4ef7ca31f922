"""The token signing keys (ES256): created on first need, rotated by operators, published as a
JWKS. Private keys are stored encrypted with the kit's field cipher."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from joserfc.jwk import ECKey
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from partners.adapters.tables import signing_keys
from suxin_common.privacy import FieldCipher

ALGORITHM = "ES256"
_AAD = "signing_keys.private_key"


def _new_kid(now: datetime) -> str:
    return f"ptn-{now:%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


async def active_key(
    session: AsyncSession | AsyncConnection, cipher: FieldCipher
) -> tuple[str, ECKey]:
    """The key that signs now, creating the first one if there is none."""
    row = (
        await session.execute(
            sa.select(signing_keys.c.kid, signing_keys.c.private_key)
            .where(signing_keys.c.retired_at.is_(None))
            .order_by(signing_keys.c.created_at.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return await rotate(session, cipher, publish_old_s=0)
    pem = cipher.decrypt(row.private_key, _AAD)
    return row.kid, ECKey.import_key(pem, {"kid": row.kid})


async def rotate(
    session: AsyncSession | AsyncConnection, cipher: FieldCipher, *, publish_old_s: int
) -> tuple[str, ECKey]:
    """Make a new signing key; the previous ones stop signing and stay published for
    `publish_old_s` so that tokens they signed keep verifying until they expire."""
    now = datetime.now(UTC)
    kid = _new_kid(now)
    key = ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig", "alg": ALGORITHM})
    await session.execute(
        signing_keys.update()
        .where(signing_keys.c.retired_at.is_(None))
        .values(retired_at=now, publish_until=now + timedelta(seconds=publish_old_s))
    )
    await session.execute(
        signing_keys.insert().values(
            kid=kid,
            algorithm=ALGORITHM,
            private_key=cipher.encrypt(key.as_pem(private=True).decode(), _AAD),
            public_jwk=public_jwk(key),
            created_at=now,
        )
    )
    return kid, key


def public_jwk(key: ECKey) -> dict[str, Any]:
    jwk = key.as_dict(private=False)
    return {k: jwk[k] for k in ("kty", "crv", "x", "y", "kid")} | {"use": "sig", "alg": ALGORITHM}


async def jwks(session: AsyncSession | AsyncConnection) -> dict[str, Any]:
    """The public keys services verify partner tokens with: the signing key and retired keys
    still within their publication window."""
    now = datetime.now(UTC)
    rows = await session.execute(
        sa.select(signing_keys.c.public_jwk)
        .where(sa.or_(signing_keys.c.retired_at.is_(None), signing_keys.c.publish_until > now))
        .order_by(signing_keys.c.created_at.desc())
    )
    return {"keys": [row.public_jwk for row in rows]}
