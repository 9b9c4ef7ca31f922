"""Partner client registration by HRSS staff (登记、轮换、撤销), and key rotation by the
client itself. Every change is audited."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query

from partners.adapters.tables import clients, subscriptions
from partners.api.deps import Deps
from partners.api.schemas import (
    ClientCreated,
    ClientIn,
    ClientOut,
    KeysIn,
    RevokeIn,
    SecretRotated,
)
from partners.domain.model import AuthMethod, ClientKind, ClientStatus, SubscriptionStatus
from partners.domain.secrets import hash_secret, new_client_secret
from suxin_common.auth import Principal, Role, require_roles
from suxin_common.security import audit
from suxin_common.web import Conflict, NotFound, Page, decode_cursor, encode_cursor, page_size

router = APIRouter(prefix="/v1/clients", tags=["Partner clients (合作方应用)"])

Staff = Annotated[Principal, Depends(require_roles(Role.HRSS_STAFF, Role.ADMIN))]
# Staff, or the partner client itself (its own registration, keys and secret).
StaffOrClient = Annotated[
    Principal,
    Depends(
        require_roles(Role.HRSS_STAFF, Role.ADMIN, Role.PLATFORM, Role.INSTITUTION, Role.VERIFIER)
    ),
]
Limit = Annotated[int, Depends(page_size())]


def _out(row: Any, secret: str | None = None) -> ClientOut | ClientCreated:
    fields = {
        "client_id": row.client_id,
        "name": row.name,
        "kind": row.kind,
        "uscc": row.uscc,
        "scopes": list(row.scopes),
        "services": list(row.services),
        "auth_method": row.auth_method,
        "key_ids": [k.get("kid") for k in (row.jwks or {}).get("keys", [])],
        "jwks_uri": row.jwks_uri,
        "institution_id": row.institution_id,
        "status": row.status,
        "created_at": row.created_at,
        "revoked_at": row.revoked_at,
    }
    if secret is not None:
        return ClientCreated(**fields, client_secret=secret)
    return ClientOut(**fields)


async def _get(session, client_id: str) -> Any:
    row = (
        await session.execute(sa.select(clients).where(clients.c.client_id == client_id))
    ).first()
    if row is None:
        raise NotFound(f"no client {client_id}")
    return row


def _staff_or_itself(principal: Principal, client_id: str) -> None:
    if principal.has_role(Role.HRSS_STAFF, Role.ADMIN):
        return
    if principal.client_id != client_id:
        raise NotFound(f"no client {client_id}")


@router.post("", status_code=201, response_model=ClientCreated, summary="登记合作方应用 / register")
async def register_client(body: ClientIn, principal: Staff, deps: Deps) -> ClientCreated:
    """Staff register a partner's machine client. A secret client's secret is in the answer,
    once; a private_key_jwt client registers its public keys (inline or a JWKS URL)."""
    client_id = "pc_" + secrets.token_hex(8)
    secret = None if body.auth_method is AuthMethod.PRIVATE_KEY_JWT else new_client_secret()
    async with deps.uow() as uow:
        clash = await uow.session.execute(
            sa.select(clients.c.client_id).where(
                clients.c.uscc == body.uscc,
                clients.c.kind == body.kind,
                clients.c.name == body.name,
                clients.c.status == ClientStatus.ACTIVE,
            )
        )
        if clash.first() is not None:
            raise Conflict("an active client with this name already exists for this organisation")
        await uow.session.execute(
            clients.insert().values(
                client_id=client_id,
                name=body.name,
                kind=body.kind,
                uscc=body.uscc,
                institution_id=str(body.institution_id) if body.institution_id else None,
                scopes=body.scopes,
                services=body.services,
                auth_method=body.auth_method,
                jwks=body.jwks.document() if body.jwks else None,
                jwks_uri=str(body.jwks_uri) if body.jwks_uri else None,
                secret_hash=hash_secret(secret) if secret else None,
                created_by=principal.subject,
            )
        )
        await audit.record(
            uow,
            principal,
            action="partner_client.registered",
            object_type="partner_client",
            object_id=client_id,
            details={"kind": body.kind, "scopes": body.scopes, "auth_method": body.auth_method},
        )
        row = await _get(uow.session, client_id)
        await uow.commit()
    return ClientCreated(**_out(row, secret).model_dump())


@router.get("", response_model=Page[ClientOut], summary="合作方应用列表 / list clients")
async def list_clients(
    principal: Staff,
    deps: Deps,
    limit: Limit,
    kind: Annotated[ClientKind | None, Query(description="合作方类型 / kind")] = None,
    status: Annotated[ClientStatus | None, Query(description="状态 / status")] = None,
    cursor: Annotated[str | None, Query(description="翻页游标 / page cursor")] = None,
) -> Page[ClientOut]:
    query = sa.select(clients).order_by(clients.c.client_id).limit(limit + 1)
    if kind is not None:
        query = query.where(clients.c.kind == kind)
    if status is not None:
        query = query.where(clients.c.status == status)
    if cursor:
        after = decode_cursor(cursor).get("id")
        if isinstance(after, str):
            query = query.where(clients.c.client_id > after)
    async with deps.sessions() as session:
        rows = (await session.execute(query)).all()
    items = [_out(r) for r in rows[:limit]]
    more = len(rows) > limit
    return Page(
        items=items, next_cursor=encode_cursor({"id": rows[limit - 1].client_id}) if more else None
    )


@router.get("/{client_id}", response_model=ClientOut, summary="查看合作方应用 / a client")
async def get_client(client_id: str, principal: StaffOrClient, deps: Deps):
    _staff_or_itself(principal, client_id)
    async with deps.sessions() as session:
        return _out(await _get(session, client_id))


@router.put("/{client_id}/keys", response_model=ClientOut, summary="更换公钥 / replace keys")
async def replace_keys(client_id: str, body: KeysIn, principal: StaffOrClient, deps: Deps):
    """Replace a private_key_jwt client's public keys (staff, or the client itself with a
    token it got with its current key)."""
    _staff_or_itself(principal, client_id)
    async with deps.uow() as uow:
        row = await _get(uow.session, client_id)
        if row.status != ClientStatus.ACTIVE:
            raise Conflict("the client is revoked")
        if row.auth_method != AuthMethod.PRIVATE_KEY_JWT:
            raise Conflict("this client authenticates with a secret; rotate the secret instead")
        await uow.session.execute(
            clients.update()
            .where(clients.c.client_id == client_id)
            .values(
                jwks=body.jwks.document() if body.jwks else None,
                jwks_uri=str(body.jwks_uri) if body.jwks_uri else None,
                version=clients.c.version + 1,
            )
        )
        await audit.record(
            uow,
            principal,
            action="partner_client.keys_replaced",
            object_type="partner_client",
            object_id=client_id,
            details={"key_ids": [k.kid for k in body.jwks.keys] if body.jwks else []},
        )
        row = await _get(uow.session, client_id)
        await uow.commit()
    return _out(row)


@router.post(
    "/{client_id}/secret", response_model=SecretRotated, summary="轮换密钥 / rotate the secret"
)
async def rotate_secret(client_id: str, principal: StaffOrClient, deps: Deps) -> SecretRotated:
    """A new client secret; the previous one keeps working for the overlap period."""
    _staff_or_itself(principal, client_id)
    secret = new_client_secret()
    until = datetime.now(UTC) + timedelta(seconds=deps.settings.secret_overlap_s)
    async with deps.uow() as uow:
        row = await _get(uow.session, client_id)
        if row.status != ClientStatus.ACTIVE:
            raise Conflict("the client is revoked")
        if row.auth_method == AuthMethod.PRIVATE_KEY_JWT:
            raise Conflict("this client authenticates with keys; replace its keys instead")
        await uow.session.execute(
            clients.update()
            .where(clients.c.client_id == client_id)
            .values(
                secret_hash=hash_secret(secret),
                previous_secret_hash=row.secret_hash,
                previous_secret_until=until,
                version=clients.c.version + 1,
            )
        )
        await audit.record(
            uow,
            principal,
            action="partner_client.secret_rotated",
            object_type="partner_client",
            object_id=client_id,
        )
        await uow.commit()
    return SecretRotated(client_secret=secret, previous_valid_until=until)


@router.post("/{client_id}/revoke", response_model=ClientOut, summary="撤销 / revoke")
async def revoke_client(client_id: str, body: RevokeIn, principal: Staff, deps: Deps):
    """No new tokens from now on; tokens already issued end within their lifetime (at most
    ACCESS_TOKEN_TTL_S). Its webhook subscriptions are disabled."""
    now = datetime.now(UTC)
    async with deps.uow() as uow:
        row = await _get(uow.session, client_id)
        if row.status == ClientStatus.REVOKED:
            return _out(row)
        await uow.session.execute(
            clients.update()
            .where(clients.c.client_id == client_id)
            .values(
                status=ClientStatus.REVOKED,
                revoked_at=now,
                revoked_by=principal.subject,
                version=clients.c.version + 1,
            )
        )
        await uow.session.execute(
            subscriptions.update()
            .where(
                subscriptions.c.client_id == client_id,
                subscriptions.c.status == SubscriptionStatus.ACTIVE,
            )
            .values(
                status=SubscriptionStatus.DISABLED,
                disabled_reason="客户端已撤销 / the client was revoked",
                disabled_at=now,
            )
        )
        await audit.record(
            uow,
            principal,
            action="partner_client.revoked",
            object_type="partner_client",
            object_id=client_id,
            details={"reason": body.reason},
        )
        row = await _get(uow.session, client_id)
        await uow.commit()
    return _out(row)
