"""The workbench with what it talks to, on real ports in this process: the development OpenID
provider, training-vouchers, injury-insurance and data-exchange (each on a fresh database, no
NATS workers), and the workbench itself. Data is put in through the services' own APIs, and
gig-market events are handed to injury-insurance's consumer handlers as its runner would."""

from __future__ import annotations

import contextlib
import importlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from suxin.gig.v1 import events_pb2 as gig
from suxin_common.auth import Role, mint_dev_token
from suxin_common.messaging.cloudevents import EventMeta
from suxin_common.service import install_runtime
from suxin_devkit.devstack._proc import free_port
from suxin_devkit.oidc.provider import ProviderConfig
from suxin_devkit.oidc.provider import create_app as create_provider
from suxin_devkit.partnerkit import serve
from suxin_devkit.testing import make_resident_id, service_runtime

BACKENDS = ("training_vouchers", "injury_insurance", "data_exchange")
PLATFORM = "91320100711234567E"
ENTERPRISE = "91321002000000001C"  # 扬州智能装备有限公司 (demo data)


@dataclass
class Stack:
    provider: str
    workbench: str
    urls: dict[str, str]
    runtimes: dict[str, object]
    ids: dict[str, str] = field(default_factory=dict)

    def token(self, svc: str, subject: str, roles, **tenant) -> dict[str, str]:
        settings = self.runtimes[svc].settings
        return {"Authorization": f"Bearer {mint_dev_token(settings, subject, roles, **tenant)}"}


def _ts(instant: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(instant)
    return stamp


async def _deliver(runtime, event) -> None:
    from injury_insurance.consumers import SUBSCRIPTIONS

    sub = next(s for s in SUBSCRIPTIONS if s.event.message is type(event))
    meta = EventMeta(
        id=str(uuid.uuid4()),
        type=sub.event.subject,
        source="/suxin/gig-market",
        subject="test",
        time=datetime.now(UTC),
        headers={},
    )
    async with runtime.uow() as uow:
        await sub.deliver(uow, event, meta)
        await uow.commit()


async def _seed(stack: Stack) -> None:
    """One subsidy case under review, one covered injury claim, one 就业困难人员认定
    application, all in 扬州市广陵区 (321002), where the demo staff work."""
    async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
        tv = stack.urls["training_vouchers"]
        year = {
            "enterprise_uscc": ENTERPRISE,
            "year": 2025,
            "enterprise_size": "large",
            "insured_headcount": 1000,
            "layoffs": 10,
            "unemployment_insurance_paid_fen": 1_000_000,
            "contributions_in_arrears": False,
            "district_code": "321002",
        }
        r = await http.post(
            f"{tv}/v1/social-insurance/enterprise-years",
            json=year,
            headers=stack.token("training_vouchers", "si-feed", [Role.SERVICE]),
        )
        assert r.status_code == 201, r.text
        stack.ids["case"] = r.json()["cases"][0]

        ii = stack.runtimes["injury_insurance"]
        start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        await _deliver(
            ii,
            gig.PlatformRegistered(
                platform_uscc=PLATFORM,
                name="平台",
                pilot=True,
                industries=[gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY],
                city_code="3210",
                version=1,
                registered_at=_ts(datetime(2026, 1, 1, tzinfo=UTC)),
            ),
        )
        await _deliver(
            ii,
            gig.GigWorkerRegistered(
                platform_uscc=PLATFORM,
                worker_id="w1",
                person_key=f"pk_{1:032x}",
                masked_resident_id="3210**********123X",
                city_code="3210",
                birth_year=1995,
                registered_at=_ts(datetime(2026, 1, 2, tzinfo=UTC)),
            ),
        )
        order = gig.OrdersReported.PlatformOrder(
            order_id="o1",
            worker_id="w1",
            person_key=f"pk_{1:032x}",
            industry=gig.PLATFORM_INDUSTRY_INSTANT_DELIVERY,
            status=gig.ORDER_STATUS_ACCEPTED,
            accepted_at=_ts(start),
            city_code="3210",
        )
        await _deliver(
            ii,
            gig.OrdersReported(
                chunk_id=str(uuid.uuid4()),
                platform_uscc=PLATFORM,
                orders=[order],
                reported_at=_ts(datetime.now(UTC)),
            ),
        )
        from injury_insurance.api import scope

        platform = stack.token(
            "injury_insurance",
            "platform-1",
            [Role.PLATFORM],
            uscc=PLATFORM,
            scopes=(scope.CLAIMS_READ, scope.CLAIMS_WRITE),
        )
        report = {
            "platform_uscc": PLATFORM,
            "worker_id": "w1",
            "injured_at": start.replace(minute=20).isoformat(),
            "place": "扬州市广陵区文昌中路",
            "city_code": "3210",
            "district_code": "321002",
            "order_id": "o1",
            "description": "送餐途中被电动车撞倒",
        }
        r = await http.post(
            f"{stack.urls['injury_insurance']}/v1/claims", json=report, headers=platform
        )
        assert r.status_code == 201, r.text
        stack.ids["claim"] = r.json()["id"]

        application = {
            "resident_id": make_resident_id(7, district="321002", born="19800101"),
            "residence_district": "321002",
            "service_point": "广陵区文昌街道便民服务中心",
            "category": "long_term_unemployed",
        }
        r = await http.post(
            f"{stack.urls['data_exchange']}/v1/employment-difficulties",
            json=application,
            headers=stack.token(
                "data_exchange", "staff:wangfang", [Role.HRSS_STAFF], district="321002"
            ),
        )
        assert r.status_code == 201, r.text
        stack.ids["record"] = r.json()["id"]


@pytest.fixture
async def workbench(infra, monkeypatch):
    ports = {name: free_port() for name in ("provider", "staff_workbench", *BACKENDS)}
    provider = f"http://127.0.0.1:{ports['provider']}"
    workbench = f"http://127.0.0.1:{ports['staff_workbench']}"
    urls = {svc: f"http://127.0.0.1:{ports[svc]}" for svc in BACKENDS}
    # Every service trusts the provider's tokens, as the dev stack configures them.
    monkeypatch.setenv("AUTH_JWKS_URL", f"{provider}/jwks.json")
    monkeypatch.setenv("AUTH_EXTRA_ISSUERS", provider)
    monkeypatch.setenv("OIDC_ISSUER", provider)
    monkeypatch.setenv("PUBLIC_URL", workbench)
    for svc, url in urls.items():
        monkeypatch.setenv(f"{svc.upper()}_URL", url)
    # Not started here: their parts of the enterprise page say the service does not answer.
    for svc in ("job_matching", "employment_monitor"):
        monkeypatch.setenv(f"{svc.upper()}_URL", f"http://127.0.0.1:{free_port()}")
    config = ProviderConfig(
        issuer=provider, clients={"staff-workbench": (f"{workbench}/auth/callback",)}
    )
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(serve(create_provider(config), ports["provider"]))
        runtimes = {}
        for svc in (*BACKENDS, "staff_workbench"):
            settings_cls = importlib.import_module(f"{svc}.settings").Settings
            runtime = await stack.enter_async_context(
                service_runtime(infra, svc.replace("_", "-"), settings_cls)
            )
            app = importlib.import_module(f"{svc}.app").create_app(runtime.settings)
            install_runtime(app, runtime)
            if svc == "staff_workbench":
                from staff_workbench.backends import Backends

                app.state.backends = Backends(runtime.settings)
                stack.push_async_callback(app.state.backends.close)
            await stack.enter_async_context(serve(app, ports[svc], lifespan="off"))
            runtimes[svc] = runtime
        result = Stack(provider, workbench, urls, runtimes)
        await _seed(result)
        yield result
