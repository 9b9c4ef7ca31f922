"""The services' HTTP APIs, called with the signed-in staff member's own token.

The workbench is a backend for frontend: every read and every decision goes to the service that
owns the object, under the staff member's identity, so the service's district scoping,
maker-checker rules and audit trail apply exactly as for any other client.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from staff_workbench.settings import Settings

SERVICES = (
    "training_vouchers",
    "injury_insurance",
    "data_exchange",
    "job_matching",
    "employment_monitor",
)


class SessionExpired(Exception):
    """A service refused the token (expired or withdrawn): the staff member signs in again."""


@dataclass
class BackendError(Exception):
    """A service refused a request; ``detail`` is its problem+json detail (shown to staff)."""

    status: int
    detail: str
    slug: str = ""

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


class Backends:
    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None):
        self.urls = {svc: getattr(settings, f"{svc}_url").rstrip("/") for svc in SERVICES}
        self.client = httpx.AsyncClient(
            timeout=settings.backend_timeout_s, transport=transport, trust_env=False
        )

        self._rule_names: dict[str, str] = {}
        self._rule_names_at = 0.0

    async def rule_names(self, token: str) -> dict[str, str]:
        """Policy rule id -> its Chinese name, from every policy version training-vouchers
        ships (cached ten minutes: versions change with a deployment)."""
        if not self._rule_names or time.monotonic() - self._rule_names_at > 600:
            names = {}
            for policy in await self.get(token, "training_vouchers", "/v1/policies"):
                names.update({r["id"]: r["name_zh"] for r in policy["rules"]})
            self._rule_names, self._rule_names_at = names, time.monotonic()
        return self._rule_names

    async def close(self) -> None:
        await self.client.aclose()

    async def call(
        self,
        token: str,
        method: str,
        service: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        response = await self.client.request(
            method,
            self.urls[service] + path,
            params={k: v for k, v in (params or {}).items() if v is not None},
            json=json,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "zh-CN"},
        )
        if response.status_code == 401:
            raise SessionExpired(service)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {}
            raise BackendError(
                response.status_code,
                str(problem.get("detail") or problem.get("title") or response.reason_phrase),
                str(problem.get("type", "")).rsplit("/", 1)[-1],
            )
        return response.json() if response.content else None

    async def get(self, token: str, service: str, path: str, **params: Any) -> Any:
        return await self.call(token, "GET", service, path, params=params)

    async def post(self, token: str, service: str, path: str, body: Any) -> Any:
        return await self.call(token, "POST", service, path, json=body)
