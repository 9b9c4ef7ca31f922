"""Sends pending webhook deliveries, signed per Standard Webhooks, and retries failures.

Deliveries are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so several replicas share the
work and a crashed one's claims run out; each attempt is logged. A 2xx answer delivers; any
other answer, a timeout or a refused connection is retried on the policy's schedule (about a
day). When the schedule runs out the delivery fails and its subscription is disabled with the
reason as its notice; a partner re-enables it and asks for redelivery through the API.

Signing uses the `standardwebhooks` library: headers `webhook-id`, `webhook-timestamp`,
`webhook-signature`. During a secret rotation's overlap both the new and the previous secret
sign, space-separated, as the specification allows, so receivers can switch at their pace.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from standardwebhooks.webhooks import Webhook

from partners.adapters.tables import attempts, deliveries, subscriptions
from partners.domain.model import DeliveryStatus, RetryPolicy, SubscriptionStatus, delivered
from suxin_common.privacy import FieldCipher
from suxin_common.security import audit

log = logging.getLogger(__name__)

SECRET_AAD = "webhook_subscriptions.secret"
LEASE_S = 60
USER_AGENT = "Suxin-Webhooks/1"


def signature_header(secrets: list[str], message_id: str, timestamp: datetime, body: str) -> str:
    return " ".join(Webhook(s).sign(message_id, timestamp, body) for s in secrets)


class Dispatcher:
    def __init__(
        self,
        engine: AsyncEngine,
        cipher: FieldCipher,
        policy: RetryPolicy,
        *,
        timeout_s: float,
        batch: int,
        poll_s: float,
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._policy = policy
        self._timeout_s = timeout_s
        self._batch = batch
        self._poll_s = poll_s

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(
            timeout=self._timeout_s,
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        ) as client:
            while not stop.is_set():
                try:
                    sent = await self.run_once(client)
                except Exception:  # a database hiccup: try again on the next tick
                    log.exception("webhook dispatch round failed")
                    sent = 0
                if sent == 0:
                    try:
                        await asyncio.wait_for(stop.wait(), self._poll_s)
                    except TimeoutError:
                        pass

    async def run_once(self, client: httpx.AsyncClient) -> int:
        claimed = await self._claim()
        if claimed:
            await asyncio.gather(*(self._attempt(client, row) for row in claimed))
        return len(claimed)

    async def _claim(self) -> list[Any]:
        now = datetime.now(UTC)
        due = (
            sa.select(deliveries.c.id)
            .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
            .where(
                deliveries.c.status == DeliveryStatus.PENDING,
                deliveries.c.next_attempt_at <= now,
                sa.or_(deliveries.c.claimed_until.is_(None), deliveries.c.claimed_until < now),
                subscriptions.c.status == SubscriptionStatus.ACTIVE,
            )
            .order_by(deliveries.c.next_attempt_at)
            .limit(self._batch)
            .with_for_update(of=deliveries, skip_locked=True)
        )
        async with self._engine.begin() as conn:
            ids = (await conn.execute(due)).scalars().all()
            if not ids:
                return []
            await conn.execute(
                deliveries.update()
                .where(deliveries.c.id.in_(ids))
                .values(claimed_until=now + timedelta(seconds=LEASE_S))
            )
            rows = await conn.execute(
                sa.select(
                    deliveries.c.id,
                    deliveries.c.subscription_id,
                    deliveries.c.payload,
                    deliveries.c.attempts,
                    subscriptions.c.url,
                    subscriptions.c.secret,
                    subscriptions.c.previous_secret,
                    subscriptions.c.previous_until,
                )
                .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id)
                .where(deliveries.c.id.in_(ids))
            )
            return list(rows)

    def _secrets(self, row: Any) -> list[str]:
        keys = [self._cipher.decrypt(row.secret, SECRET_AAD)]
        if row.previous_secret and row.previous_until and row.previous_until > datetime.now(UTC):
            keys.append(self._cipher.decrypt(row.previous_secret, SECRET_AAD))
        return keys

    async def _attempt(self, client: httpx.AsyncClient, row: Any) -> None:
        body = json.dumps(row.payload, ensure_ascii=False, separators=(",", ":"))
        sent_at = datetime.now(UTC)
        headers = {
            "content-type": "application/json",
            "webhook-id": row.id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": signature_header(self._secrets(row), row.id, sent_at, body),
        }
        started = time.monotonic()
        status_code: int | None = None
        error: str | None = None
        try:
            response = await client.post(row.url, content=body.encode(), headers=headers)
            status_code = response.status_code
            if not delivered(status_code):
                error = f"HTTP {status_code}"
        except httpx.TimeoutException:
            error = "timeout"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        duration_ms = int((time.monotonic() - started) * 1000)
        await self._record(row, status_code, error, duration_ms)

    async def _record(
        self, row: Any, status_code: int | None, error: str | None, duration_ms: int
    ) -> None:
        now = datetime.now(UTC)
        attempt = row.attempts + 1
        async with self._engine.begin() as conn:
            await conn.execute(
                attempts.insert().values(
                    delivery_id=row.id,
                    attempt=attempt,
                    attempted_at=now,
                    status_code=status_code,
                    error=error,
                    duration_ms=duration_ms,
                )
            )
            values: dict[str, Any] = {
                "attempts": attempt,
                "claimed_until": None,
                "last_status_code": status_code,
                "last_error": error,
            }
            if error is None:
                values |= {"status": DeliveryStatus.DELIVERED, "delivered_at": now}
            else:
                retry_at = self._policy.next_attempt(attempt, now)
                if retry_at is None:
                    values["status"] = DeliveryStatus.FAILED
                else:
                    values["next_attempt_at"] = retry_at
            await conn.execute(deliveries.update().where(deliveries.c.id == row.id).values(values))
            if values.get("status") == DeliveryStatus.FAILED:
                await self._disable(conn, row, attempt, error)

    async def _disable(self, conn: Any, row: Any, attempt: int, error: str | None) -> None:
        reason = (
            f"已停用：消息 {row.id} 在 {attempt} 次尝试后仍未送达（{error}）。"
            f" Disabled: delivery {row.id} failed after {attempt} attempts ({error})."
        )
        changed = await conn.execute(
            subscriptions.update()
            .where(
                subscriptions.c.id == row.subscription_id,
                subscriptions.c.status == SubscriptionStatus.ACTIVE,
            )
            .values(
                status=SubscriptionStatus.DISABLED,
                disabled_reason=reason,
                disabled_at=datetime.now(UTC),
                version=subscriptions.c.version + 1,
            )
        )
        if changed.rowcount:
            log.warning("webhook subscription %s disabled: %s", row.subscription_id, error)
            await audit.record(
                conn,
                None,
                actor="webhook-dispatcher",
                action="webhook_subscription.disabled",
                object_type="webhook_subscription",
                object_id=str(row.subscription_id),
                details={"delivery_id": row.id, "attempts": attempt},
            )
