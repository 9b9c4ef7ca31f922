"""A migrated injury-insurance database per test, the service's API on it (no NATS), and
gig-market and hiring events built as their publishers would build them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import text

from injury_insurance.api import scope
from injury_insurance.app import create_app
from injury_insurance.consumers import SUBSCRIPTIONS
from injury_insurance.settings import Settings
from suxin.gig.v1 import events_pb2 as gig
from suxin_common.auth import Role, mint_dev_token
from suxin_common.messaging.cloudevents import EventMeta
from suxin_devkit.testing import api_client, service_runtime


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "injury-insurance", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


# --- gig-market events, built here as gig-market would publish them -----------------------------

PLATFORM_A = "91320100711234567E"
PLATFORM_B = "91320200MA1AB2345M"


def _ts(instant: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(instant)
    return stamp


def person(n: int) -> str:
    return f"pk_{n:032x}"


def platform_registered(uscc: str = PLATFORM_A, *, pilot: bool = True, version: int = 1):
    return gig.PlatformRegistered(
        platform_uscc=uscc,
        name="平台",
        pilot=pilot,
        industries=[gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY],
        city_code="3201",
        version=version,
        registered_at=_ts(datetime(2026, 1, 1, tzinfo=UTC)),
    )


def worker_registered(uscc: str = PLATFORM_A, worker_id: str = "w1", n: int = 1):
    return gig.GigWorkerRegistered(
        platform_uscc=uscc,
        worker_id=worker_id,
        person_key=person(n),
        masked_resident_id="3201**********123X",
        city_code="3201",
        birth_year=1995,
        registered_at=_ts(datetime(2026, 1, 2, tzinfo=UTC)),
    )


def an_order(
    order_id: str,
    accepted_at: datetime,
    *,
    worker_id: str = "w1",
    n: int = 1,
    completed_at: datetime | None = None,
    cancelled_at: datetime | None = None,
    industry: int = gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY,
    city_code: str = "3201",
):
    o = gig.OrdersReported.PlatformOrder(
        order_id=order_id,
        worker_id=worker_id,
        person_key=person(n),
        industry=industry,
        status=gig.ORDER_STATUS_ACCEPTED,
        accepted_at=_ts(accepted_at),
        city_code=city_code,
    )
    if completed_at is not None:
        o.status = gig.ORDER_STATUS_COMPLETED
        o.completed_at.CopyFrom(_ts(completed_at))
    if cancelled_at is not None:
        o.status = gig.ORDER_STATUS_CANCELLED
        o.cancelled_at.CopyFrom(_ts(cancelled_at))
    return o


def orders_reported(orders, uscc: str = PLATFORM_A, chunk_id: str | None = None):
    return gig.OrdersReported(
        chunk_id=chunk_id or str(uuid.uuid4()),
        platform_uscc=uscc,
        orders=list(orders),
        reported_at=_ts(datetime.now(UTC)),
    )


def meta_for(subject: str, event_id: str | None = None) -> EventMeta:
    return EventMeta(
        id=event_id or str(uuid.uuid4()),
        type=subject,
        source="/suxin/gig-market",
        subject="x",
        time=datetime.now(UTC),
        headers={},
    )


_SUBSCRIPTIONS = {sub.event.message: sub for sub in SUBSCRIPTIONS}


async def deliver(runtime, event) -> None:
    """What the consumer runner does with one message (translate, handle, commit), minus the
    inbox and the ack."""
    subscription = _SUBSCRIPTIONS[type(event)]
    async with runtime.uow() as uow:
        await subscription.deliver(uow, event, meta_for(subscription.event.subject))
        await uow.commit()


async def rows(runtime, sql: str, **params) -> list:
    async with runtime.engine.connect() as conn:
        return list((await conn.execute(text(sql), params)).all())


# Every scope a platform's machine token may hold for injury-insurance.
PLATFORM_SCOPES = (scope.COVER_READ, scope.LEDGER_READ, scope.CLAIMS_READ, scope.CLAIMS_WRITE)


def auth(runtime, role: Role, *, scopes: tuple[str, ...] | None = None, **tenant) -> dict:
    """A bearer header; a platform token holds every platform scope unless ``scopes`` says."""
    return as_subject(runtime, role, f"{role}-1", scopes=scopes, **tenant)


def as_subject(
    runtime, role: Role, subject: str, *, scopes: tuple[str, ...] | None = None, **tenant
) -> dict[str, str]:
    if scopes is None:
        scopes = PLATFORM_SCOPES if role == Role.PLATFORM else ()
    token = mint_dev_token(runtime.settings, subject, [role], scopes=scopes, **tenant)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for test modules (conftest modules are not importable)."""
    names = [
        "PLATFORM_A",
        "PLATFORM_B",
        "person",
        "platform_registered",
        "worker_registered",
        "an_order",
        "orders_reported",
        "meta_for",
        "deliver",
        "rows",
        "auth",
        "as_subject",
        "PLATFORM_SCOPES",
    ]
    return SimpleNamespace(**{name: globals()[name] for name in names})
