"""Webhook subscriptions of a partner client, their delivery log and redelivery.

A partner manages its own subscriptions with a token that has the `webhooks:manage` scope;
HRSS staff may look at every subscription and log. Another client's subscription or delivery
answers 404.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Response

from partners.adapters.tables import attempts, clients, deliveries, subscriptions
from partners.api.deps import Deps, PartnersDeps
from partners.api.schemas import (
    AttemptOut,
    DeliveryOut,
    EventTypeOut,
    SecretOut,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
)
from partners.domain.model import (
    WEBHOOKS_SCOPE,
    ClientStatus,
    DeliveryStatus,
    SubscriptionStatus,
)
from partners.webhooks.catalog import WEBHOOK_EVENT_TYPES
from partners.webhooks.dispatcher import SECRET_AAD
from suxin_common.auth import CurrentPrincipal, Principal, Role, require_roles
from suxin_common.security import audit
from suxin_common.web import (
    Conflict,
    Forbidden,
    NotFound,
    Page,
    Unprocessable,
    decode_cursor,
    encode_cursor,
    page_size,
)

# Partners manage their own subscriptions; staff look at all of them.
PARTNER_OR_STAFF = (Role.PLATFORM, Role.INSTITUTION, Role.VERIFIER, Role.HRSS_STAFF, Role.ADMIN)
router = APIRouter(
    prefix="/v1/webhooks",
    tags=["Webhooks (事件推送)"],
    dependencies=[Depends(require_roles(*PARTNER_OR_STAFF))],
)
Limit = Annotated[int, Depends(page_size())]


def _is_staff(principal: Principal) -> bool:
    return principal.has_role(Role.HRSS_STAFF, Role.ADMIN)


def _partner(principal: Principal) -> str:
    """The client id of a partner caller holding `webhooks:manage`."""
    if principal.client_id is None:
        raise Forbidden("Webhooks are managed with a partner client's token.")
    principal.require_scopes(WEBHOOKS_SCOPE)
    return principal.client_id


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32).replace("-", "A").replace("_", "B")[:43]


def _check_target(url: str, allow_insecure: bool) -> None:
    """Deliveries leave the platform: in production only https and only public addresses, so
    a subscription cannot aim Suxin at its own internal network."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise Unprocessable("The URL may not carry credentials.", field="url")
    if allow_insecure:
        return
    if parts.scheme != "https":
        raise Unprocessable("Webhook URLs must use https.", field="url")
    try:
        infos = socket.getaddrinfo(parts.hostname or "", parts.port or 443)
    except OSError:
        raise Unprocessable("The URL's host does not resolve.", field="url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise Unprocessable("The URL must point to a public address.", field="url")


def _sub_out(row: Any, secret: str | None = None) -> SubscriptionOut:
    overlap = (
        row.previous_until
        if row.previous_until and row.previous_until > datetime.now(UTC)
        else None
    )
    fields = {
        "id": row.id,
        "client_id": row.client_id,
        "url": row.url,
        "event_types": list(row.event_types),
        "description": row.description,
        "status": row.status,
        "disabled_reason": row.disabled_reason,
        "secret_rotation_overlap_until": overlap,
        "created_at": row.created_at,
    }
    return SubscriptionCreated(**fields, secret=secret) if secret else SubscriptionOut(**fields)


async def _subscription(session, principal: Principal, subscription_id: uuid.UUID) -> Any:
    row = (
        await session.execute(sa.select(subscriptions).where(subscriptions.c.id == subscription_id))
    ).first()
    if row is None or not (_is_staff(principal) or row.client_id == principal.client_id):
        raise NotFound(f"no subscription {subscription_id}")
    if not _is_staff(principal):
        _partner(principal)
    return row


@router.get("/event-types", response_model=list[EventTypeOut], summary="可订阅事件 / event types")
async def event_types(principal: CurrentPrincipal) -> list[EventTypeOut]:
    return [
        EventTypeOut(name=t.name, title_zh=t.title_zh, description=t.description)
        for t in WEBHOOK_EVENT_TYPES
    ]


@router.post(
    "/subscriptions",
    status_code=201,
    response_model=SubscriptionCreated,
    summary="订阅事件推送 / subscribe",
)
async def subscribe(
    body: SubscriptionIn, principal: CurrentPrincipal, deps: Deps
) -> SubscriptionOut:
    """Deliveries start with the next matching event. The signing secret is in the answer,
    once (verify deliveries with it, e.g. with the standardwebhooks library)."""
    client_id = _partner(principal)
    _check_target(str(body.url), deps.settings.allows_insecure_targets())
    secret = _new_secret()
    subscription_id = uuid.uuid4()
    async with deps.uow() as uow:
        client = (
            await uow.session.execute(
                sa.select(clients.c.status).where(clients.c.client_id == client_id)
            )
        ).first()
        if client is None or client.status != ClientStatus.ACTIVE:
            raise Forbidden("The client is not an active registered partner.")
        count = (
            await uow.session.execute(
                sa.select(sa.func.count()).where(
                    subscriptions.c.client_id == client_id,
                    subscriptions.c.status != SubscriptionStatus.DELETED,
                )
            )
        ).scalar_one()
        if count >= 20:
            raise Conflict("A client may have at most 20 subscriptions.")
        await uow.session.execute(
            subscriptions.insert().values(
                id=subscription_id,
                client_id=client_id,
                url=str(body.url),
                event_types=body.event_types,
                description=body.description,
                secret=deps.personal_data.cipher.encrypt(secret, SECRET_AAD),
            )
        )
        await audit.record(
            uow,
            principal,
            action="webhook_subscription.created",
            object_type="webhook_subscription",
            object_id=str(subscription_id),
            details={"event_types": body.event_types},
        )
        row = await _subscription(uow.session, principal, subscription_id)
        await uow.commit()
    return _sub_out(row, secret)


@router.get("/subscriptions", response_model=list[SubscriptionOut], summary="我的订阅 / list")
async def list_subscriptions(principal: CurrentPrincipal, deps: Deps):
    query = sa.select(subscriptions).order_by(subscriptions.c.created_at)
    if not _is_staff(principal):
        if principal.client_id is None:
            return []  # a user token of a partner organisation owns no subscription
        query = query.where(subscriptions.c.client_id == _partner(principal))
    async with deps.sessions() as session:
        return [_sub_out(r) for r in (await session.execute(query.limit(500))).all()]


@router.get(
    "/subscriptions/{subscription_id}", response_model=SubscriptionOut, summary="一个订阅 / one"
)
async def get_subscription(subscription_id: uuid.UUID, principal: CurrentPrincipal, deps: Deps):
    async with deps.sessions() as session:
        return _sub_out(await _subscription(session, principal, subscription_id))


async def _set_status(
    deps: PartnersDeps, principal: Principal, subscription_id: uuid.UUID, status: SubscriptionStatus
) -> Any:
    async with deps.uow() as uow:
        row = await _subscription(uow.session, principal, subscription_id)
        if row.status == SubscriptionStatus.DELETED:
            raise Conflict("The subscription was deleted; subscribe again.")
        await uow.session.execute(
            subscriptions.update()
            .where(subscriptions.c.id == subscription_id)
            .values(
                status=status,
                disabled_reason=None
                if status is SubscriptionStatus.ACTIVE
                else "由合作方删除 / deleted by the partner",
                disabled_at=None if status is SubscriptionStatus.ACTIVE else datetime.now(UTC),
                version=subscriptions.c.version + 1,
            )
        )
        await audit.record(
            uow,
            principal,
            action=f"webhook_subscription.{status.value}",
            object_type="webhook_subscription",
            object_id=str(subscription_id),
        )
        row = await _subscription(uow.session, principal, subscription_id)
        await uow.commit()
    return row


@router.post(
    "/subscriptions/{subscription_id}/enable",
    response_model=SubscriptionOut,
    summary="重新启用 / re-enable",
)
async def enable(subscription_id: uuid.UUID, principal: CurrentPrincipal, deps: Deps):
    """Re-enable a disabled subscription: pending deliveries flow again; failed ones are sent
    again only on redelivery."""
    return _sub_out(await _set_status(deps, principal, subscription_id, SubscriptionStatus.ACTIVE))


@router.delete(
    "/subscriptions/{subscription_id}", status_code=204, summary="停用订阅 / unsubscribe"
)
async def disable(subscription_id: uuid.UUID, principal: CurrentPrincipal, deps: Deps):
    """Unsubscribe: nothing more is recorded or sent for this subscription."""
    await _set_status(deps, principal, subscription_id, SubscriptionStatus.DELETED)
    return Response(status_code=204)


@router.post(
    "/subscriptions/{subscription_id}/rotate-secret",
    response_model=SecretOut,
    summary="轮换签名密钥 / rotate the signing secret",
)
async def rotate_secret(
    subscription_id: uuid.UUID, principal: CurrentPrincipal, deps: Deps
) -> SecretOut:
    """A new signing secret. Until `previous_valid_until` every delivery carries two
    signatures (new and previous secret), so the receiver can switch without losing one."""
    secret = _new_secret()
    until = datetime.now(UTC) + timedelta(seconds=deps.settings.secret_overlap_s)
    cipher = deps.personal_data.cipher
    async with deps.uow() as uow:
        row = await _subscription(uow.session, principal, subscription_id)
        if _is_staff(principal) and row.client_id != principal.client_id:
            raise Forbidden("Only the partner rotates its signing secret.")
        await uow.session.execute(
            subscriptions.update()
            .where(subscriptions.c.id == subscription_id)
            .values(
                secret=cipher.encrypt(secret, SECRET_AAD),
                previous_secret=row.secret,
                previous_until=until,
                version=subscriptions.c.version + 1,
            )
        )
        await audit.record(
            uow,
            principal,
            action="webhook_subscription.secret_rotated",
            object_type="webhook_subscription",
            object_id=str(subscription_id),
        )
        await uow.commit()
    return SecretOut(secret=secret, previous_valid_until=until)


def _delivery_out(row: Any, log: list[Any]) -> DeliveryOut:
    return DeliveryOut(
        id=row.id,
        subscription_id=row.subscription_id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at if row.status == DeliveryStatus.PENDING else None,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        attempt_log=[
            AttemptOut(
                attempt=a.attempt,
                attempted_at=a.attempted_at,
                status_code=a.status_code,
                error=a.error,
                duration_ms=a.duration_ms,
            )
            for a in log
        ],
    )


async def _attempts(session, ids: list[str]) -> dict[str, list[Any]]:
    by_delivery: dict[str, list[Any]] = {i: [] for i in ids}
    if ids:
        rows = await session.execute(
            sa.select(attempts).where(attempts.c.delivery_id.in_(ids)).order_by(attempts.c.id)
        )
        for a in rows:
            by_delivery[a.delivery_id].append(a)
    return by_delivery


@router.get(
    "/subscriptions/{subscription_id}/deliveries",
    response_model=Page[DeliveryOut],
    summary="推送记录 / delivery log",
)
async def list_deliveries(
    subscription_id: uuid.UUID,
    principal: CurrentPrincipal,
    deps: Deps,
    limit: Limit,
    status: Annotated[DeliveryStatus | None, Query(description="状态 / status")] = None,
    cursor: Annotated[str | None, Query(description="翻页游标 / page cursor")] = None,
) -> Page[DeliveryOut]:
    async with deps.sessions() as session:
        await _subscription(session, principal, subscription_id)
        query = (
            sa.select(deliveries)
            .where(deliveries.c.subscription_id == subscription_id)
            .order_by(deliveries.c.created_at.desc(), deliveries.c.id.desc())
            .limit(limit + 1)
        )
        if status is not None:
            query = query.where(deliveries.c.status == status)
        if cursor:
            position = decode_cursor(cursor)
            try:
                at = datetime.fromisoformat(position["at"])
                last = str(position["id"])
            except (KeyError, TypeError, ValueError):
                raise Unprocessable("The cursor is invalid.", field="cursor") from None
            query = query.where(sa.tuple_(deliveries.c.created_at, deliveries.c.id) < (at, last))
        rows = (await session.execute(query)).all()
        page = rows[:limit]
        log = await _attempts(session, [r.id for r in page])
    more = len(rows) > limit
    next_cursor = (
        encode_cursor({"at": page[-1].created_at.isoformat(), "id": page[-1].id}) if more else None
    )
    return Page(items=[_delivery_out(r, log[r.id]) for r in page], next_cursor=next_cursor)


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryOut,
    summary="重新推送 / redeliver",
)
async def redeliver(delivery_id: str, principal: CurrentPrincipal, deps: Deps):
    """Send a delivery again (same webhook-id, a fresh retry schedule), whatever its state."""
    async with deps.uow() as uow:
        row = (
            await uow.session.execute(sa.select(deliveries).where(deliveries.c.id == delivery_id))
        ).first()
        if row is None:
            raise NotFound(f"no delivery {delivery_id}")
        try:
            await _subscription(uow.session, principal, row.subscription_id)
        except NotFound:
            raise NotFound(f"no delivery {delivery_id}") from None
        await uow.session.execute(
            deliveries.update()
            .where(deliveries.c.id == delivery_id)
            .values(
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=datetime.now(UTC),
                claimed_until=None,
            )
        )
        await audit.record(
            uow,
            principal,
            action="webhook_delivery.redeliver",
            object_type="webhook_delivery",
            object_id=delivery_id,
        )
        row = (
            await uow.session.execute(sa.select(deliveries).where(deliveries.c.id == delivery_id))
        ).first()
        log = await _attempts(uow.session, [delivery_id])
        await uow.commit()
    return _delivery_out(row, log[delivery_id])
