"""Refused attempts in the audit trail: who was turned away from what, and how often.

`DeniedAttemptAuditMiddleware` (installed by `install_security`, so every service has it) writes
an `access_denied` entry to the service's audit chain when a request to a route answers

- 401 (no token, or a token that does not verify): the caller is recorded as `anonymous`;
- 403 (a known caller without the role, scope or tenant);
- 404 from a route that names an object (`/v1/cards/{card_id}`) for a verified caller: the
  services answer another tenant's or person's object with 404, like a missing one, so that
  its existence is not disclosed. The audit cannot tell the two apart either, and records both.

Each entry names the caller (subject, roles and client id of the verified token), the route
template as `object_type` (`GET /v1/cards/{card_id}`), the object id from the path (masked
like the logs, at most 200 characters), and in `details` the status, the client address and
how many refusals of that caller were left out before it (`suppressed`). A 404 for a path no
route knows (a scanner's guesses) is not an attempt on an object and is not recorded.

Bounded, so that a flood of refusals cannot flood the audit trail or hold its chain lock:
per caller (verified client or subject, else the address) at most `per_caller_burst` entries at
once and then one every `1 / per_caller_rate` seconds, and per process at most `global_burst`
at once and `global_rate` a second in all. A refusal beyond the budget is counted, not
written: the metric `suxin.access.denied` counts every refusal (`audited` true or false) and
the caller's next written entry carries the number left out. The rate limiter runs before this
middleware, so a caller's refusals are also bounded by its request rate. An audit write that
fails is logged and the refusal still answered as it was: an outage of the audit table does not
turn a 403 into a 500.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from opentelemetry import metrics
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from suxin_common.auth import Principal
from suxin_common.privacy import mask_personal_data
from suxin_common.security import audit
from suxin_common.security.limits import TokenBuckets

log = logging.getLogger(__name__)

ACCESS_DENIED = "access_denied"
DENIED_STATUSES = frozenset({401, 403, 404})
AUDITED_PREFIX = "/v1/"
MAX_OBJECT_ID = 200
MAX_SUPPRESSED_KEYS = 10_000

_meter = metrics.get_meter("suxin.security")
_denied = _meter.create_counter(
    "suxin.access.denied", description="requests refused with 401, 403 or 404 on an object"
)


class DeniedAttemptAuditMiddleware:
    """Audits refused requests (see the module doc); pure ASGI, the response is untouched."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_caller_burst: int = 20,
        per_caller_rate: float = 0.2,
        global_burst: int = 200,
        global_rate: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.clock = clock
        self.per_caller = TokenBuckets(per_caller_rate, per_caller_burst)
        self.everyone = TokenBuckets(global_rate, global_burst, max_keys=1)
        self.suppressed: OrderedDict[str, int] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(AUDITED_PREFIX):
            await self.app(scope, receive, send)
            return

        async def send_watching(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in DENIED_STATUSES:
                try:
                    await self._refused(scope, message["status"])
                except Exception:  # never let the audit change the answer
                    log.warning("auditing a refused request failed", exc_info=True)
            await send(message)

        await self.app(scope, receive, send_watching)

    async def _refused(self, scope: Scope, status: int) -> None:
        route = scope.get("route")
        template = getattr(route, "path", None)
        if template is None:
            return  # no route matched: not an attempt on anything we hold
        principal = _principal_of(scope)
        params = scope.get("path_params") or {}
        if status == 404 and (principal is None or not params):
            return
        runtime = getattr(getattr(scope.get("app"), "state", None), "runtime", None)
        engine = getattr(runtime, "engine", None)
        client = scope.get("client")
        address = client[0] if client else "unknown"
        key = (
            "client:" + (principal.client_id or principal.subject)
            if principal
            else "addr:" + address
        )
        now = self.clock()
        allowed = self.per_caller.take(key, now)[0] and self.everyone.take("all", now)[0]
        _denied.add(1, {"status": status, "audited": allowed and engine is not None})
        if not allowed or engine is None:
            self.suppressed[key] = self.suppressed.pop(key, 0) + 1
            while len(self.suppressed) > MAX_SUPPRESSED_KEYS:
                self.suppressed.popitem(last=False)
            return
        left_out = self.suppressed.pop(key, 0)
        method = scope.get("method", "")
        object_id = (
            mask_personal_data(str(list(params.values())[-1]))[:MAX_OBJECT_ID] if params else ""
        )
        details: dict[str, Any] = {
            "status": status,
            "address": address,
            "path_params": {
                name: mask_personal_data(str(value))[:MAX_OBJECT_ID]
                for name, value in params.items()
            },
        }
        if left_out:
            details["suppressed"] = left_out
        async with engine.begin() as conn:
            await audit.record(
                conn,
                principal,
                actor=None if principal else "anonymous",
                action=ACCESS_DENIED,
                object_type=f"{method} {template}",
                object_id=object_id,
                purpose=f"refused with {status}",
                details=details,
            )


def _principal_of(scope: Scope) -> Principal | None:
    """The caller, if the request's bearer token verifies (the verification is cached)."""
    authenticator = getattr(getattr(scope.get("app"), "state", None), "authenticator", None)
    if authenticator is None:
        return None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return None
            try:
                return authenticator.verify(token.strip())
            except Exception:
                return None
    return None
