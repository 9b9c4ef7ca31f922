"""The demo loader's plumbing: development tokens, HTTP calls to the services, waiting for
events to arrive, the demo people's synthetic identifiers, and publishing authority facts.

`demo.py` loads the data set with it (see there); nothing here belongs to a real person.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx

from suxin_common.auth import mint_dev_token
from suxin_common.privacy import person_key
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack import demo_data as d
from suxin_devkit.testing import make_resident_id, make_uscc

CST = timedelta(hours=8)
WAIT_S = 25.0  # for the events to reach the other services
_PLATFORM_SCOPES = (
    "platforms:read",
    "workers:read",
    "workers:write",
    "orders:read",
    "orders:write",
    "cover:read",
    "ledger:read",
    "claims:read",
    "claims:write",
)


class DemoError(RuntimeError):
    pass


def publish_facts(nats_url: str, events: list) -> None:
    """Publish FactVerified events on JetStream with the kit's CloudEvents headers (in a
    thread of its own: the loader is synchronous and may run under an event loop)."""
    import asyncio
    import threading
    import uuid

    import nats

    from suxin_common.facts import FACT_VERIFIED_SUBJECT
    from suxin_common.messaging.cloudevents import build_headers

    async def send() -> None:
        nc = await nats.connect(nats_url)
        try:
            js = nc.jetstream()
            for e in events:
                headers = build_headers(
                    event_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo:{e.fact_key}")),
                    ce_type=FACT_VERIFIED_SUBJECT,
                    source="/suxin/demo-feeds",
                    subject=e.fact_key,
                    time=datetime.now(UTC),
                    trace_headers={},
                )
                await js.publish(FACT_VERIFIED_SUBJECT, e.SerializeToString(), headers=headers)
        finally:
            await nc.close()

    worker = threading.Thread(target=lambda: asyncio.run(send()))
    worker.start()
    worker.join()


def resident_id(n: int) -> str:
    """The demo person ``n``'s synthetic resident ID (seekers 1–9, gig workers 201–203)."""
    if n in d.SEEKER:
        s = d.SEEKER[n]
        return make_resident_id(n, district=s.district, born=s.born)
    _, _, district, born, _ = next(w for w in d.WORKERS if w[1] == n)
    return make_resident_id(n, district=district, born=born)


def platform_uscc() -> str:
    return make_uscc(d.PLATFORM_N, region=d.PLATFORM_DISTRICT)


def institution_uscc() -> str:
    return make_uscc(d.INSTITUTION_N, region=d.INSTITUTION_DISTRICT)


@dataclass
class DemoClient:
    http: httpx.Client
    urls: dict[str, str]
    settings: ServiceSettings
    nats_url: str | None = None
    posts: dict[str, str] = field(default_factory=dict)
    seekers: dict[int, str] = field(default_factory=dict)
    hires: dict[int, str] = field(default_factory=dict)
    card_id: str | None = None
    claim_id: str | None = None
    injured_at: str = ""
    fresh_seeker: str = ""

    # --- tokens and calls ---------------------------------------------------------------------

    def token(self, subject: str, roles: list[str], **claims: Any) -> str:
        return mint_dev_token(self.settings, subject, roles, **claims)

    @property
    def staff(self) -> str:
        return self.token("demo-staff", ["hrss_staff"])

    @property
    def checker(self) -> str:
        """A second staff member, for what takes two people (maker-checker)."""
        return self.token("demo-checker", ["hrss_staff"])

    def check(self, approval_id: str) -> Any:
        return self.call(
            "POST",
            "training_vouchers",
            f"/v1/approvals/{approval_id}/check",
            self.checker,
            {"verdict": "confirm"},
        )

    def enterprise(self, n: int) -> str:
        return self.token(f"demo-enterprise-{n}", ["enterprise"], uscc=d.ENTERPRISE[n].uscc)

    def seeker(self, n: int) -> str:
        pk = person_key(resident_id(n), self.settings.person_key_secret)
        return self.token(f"demo-seeker-{n}", ["seeker"], person_key=pk)

    @property
    def platform(self) -> str:
        return self.token(
            d.PLATFORM_CLIENT_ID,
            ["platform"],
            uscc=platform_uscc(),
            platform_id=d.PLATFORM_CLIENT_ID,
            scopes=_PLATFORM_SCOPES,
        )

    def call(
        self,
        method: str,
        svc: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        ok: tuple[int, ...] = (200, 201),
        **params: Any,
    ) -> Any:
        r = self.http.request(
            method,
            self.urls[svc] + path,
            json=body,
            params=params or None,
            headers={"Authorization": f"Bearer {token or self.staff}"},
        )
        if r.status_code not in ok:
            raise DemoError(f"{method} {svc}{path}: {r.status_code} {r.text[:400]}")
        return r.json() if r.content and r.status_code < 300 else None

    def wait(self, what: str, check: Callable[[], Any], within: float = WAIT_S) -> Any:
        deadline = time.monotonic() + within
        while True:
            result = check()
            if result:
                return result
            if time.monotonic() > deadline:
                raise DemoError(f"demo data: {what} did not appear within {within:.0f}s")
            time.sleep(0.2)


def cst(t: datetime) -> str:
    """RFC 3339 in China Standard Time."""
    return t.astimezone(timezone(CST)).isoformat()
