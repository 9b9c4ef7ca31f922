"""Issue 8, the leak test: after a scenario through the public APIs of all six services, no
plaintext resident ID is found in any log file, any JetStream message, any error body or any
database dump, while the masked forms do show up where the APIs show them.

Runs a real `Stack` (embedded PostgreSQL + NATS, services as uvicorn processes with log files)
in a temporary directory on free ports.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from security.leak.scan import Leak, dump_database, find, scan_files, scan_streams
from suxin_common.auth import mint_dev_token
from suxin_common.identity import mask_resident_id
from suxin_common.settings import ServiceSettings
from suxin_devkit.devstack._proc import free_port
from suxin_devkit.devstack.stack import SERVICES, Stack
from suxin_devkit.testing import make_resident_id, make_uscc

# The whole stack runs in this module (its own embedded servers, not the infra fixture).
pytestmark = pytest.mark.integration

ENTERPRISE = make_uscc(811)
PLATFORM = make_uscc(812)
# IDs no other test or demo data uses (born 1987-06-15, numbers 8xx).
IDS = {k: make_resident_id(n, born="19870615") for k, n in {
    "seeker": 801, "card": 802, "application": 803, "worker": 804,
    "voucher": 805, "contrib": 806, "invalid": 807, "registration": 808,
    "feed_record": 809, "feed_batch": 810,
}.items()}  # fmt: skip


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[Stack, io.StringIO]]:
    out = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="suxin-leak-") as tmp:
        os.chmod(tmp, 0o755)  # the embedded PostgreSQL may run as another OS user
        s = _start(tmp, out)
        try:
            yield s, out
        finally:
            s.stop()


def _start(tmp: str, out: io.StringIO) -> Stack:
    """Free ports are picked before NATS and PostgreSQL take theirs, so a collision is possible:
    one retry, on new ports and a fresh directory."""
    for attempt in (1, 2):
        s = Stack(
            Path(tmp) / f"stack{attempt}",
            # Below the ephemeral range (and from this worker's slice under pytest-xdist): a
            # port the OS picked (bind to 0) could be taken by any outgoing connection before
            # the service binds it, more so with a second test session running beside this one.
            services={svc: free_port() for svc in SERVICES},
            load_demo=False,
            ready_timeout=120.0,
            # DEBUG logs on purpose: the most talkative setting must not leak either.
            extra_env={"LOG_LEVEL": "debug", "RATE_LIMIT_ENABLED": "false"},
            out=out,
        )
        try:
            s.start()
            return s
        except Exception:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _headers() -> dict[str, str]:
    token = mint_dev_token(
        ServiceSettings(),
        "leak-test",
        ["hrss_staff", "enterprise", "platform", "institution", "service"],
        uscc=ENTERPRISE,
        platform_id=PLATFORM,
        scopes=[
            "orders:write", "orders:read", "workers:write", "workers:read",
            "platforms:read", "claims:write", "claims:read", "cover:read", "ledger:read",
        ],
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


def _enum(openapi: dict, model: str, field: str, default: str) -> str:
    """The first allowed value of an enum field, read from the service's own OpenAPI."""
    schemas = openapi.get("components", {}).get("schemas", {})
    prop = schemas.get(model, {}).get("properties", {}).get(field, {})
    prop = prop.get("items", prop)
    for node in [prop, *prop.get("anyOf", []), *prop.get("allOf", [])]:
        ref = node.get("$ref", "").rsplit("/", 1)[-1]
        target = schemas.get(ref, node)
        if target.get("enum"):
            return target["enum"][0]
    return default


def _takes_resident_id(openapi: dict) -> list[str]:
    """Operations whose body has a `resident_id` field."""
    schemas = openapi.get("components", {}).get("schemas", {})
    found = []
    for path, ops in openapi.get("paths", {}).items():
        for method, op in ops.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            schema = body.get("schema", {})
            schema = schemas.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
            if "resident_id" in schema.get("properties", {}):
                found.append(f"{method.upper()} {path}")
    return found


class Run:
    """The scenario's record: what was sent, what answered, which masked forms were seen."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.bodies: list[tuple[str, str]] = []  # (where, text) of every response
        self.error_bodies: list[tuple[str, str]] = []
        self.skipped: dict[str, str] = {}

    async def call(self, c: httpx.AsyncClient, svc: str, method: str, path: str, **kw):
        r = await c.request(method, path, **kw)
        where = f"{svc} {method} {path} -> {r.status_code}"
        self.steps.append(where)
        self.bodies.append((where, r.text))
        if r.status_code >= 400:
            self.error_bodies.append((where, r.text))
        return r


async def _scenario(stack: Stack, run: Run) -> dict[str, dict]:
    h = _headers()
    clients = {
        svc: httpx.AsyncClient(base_url=url, headers=h, timeout=30)
        for svc, url in stack.urls.items()
    }
    try:
        openapi = {svc: (await c.get("/openapi.json")).json() for svc, c in clients.items()}
        for svc in SERVICES:
            if not _takes_resident_id(openapi[svc]):
                run.skipped[svc] = "no endpoint of its OpenAPI takes a resident_id"
        today = date.today()
        jm, gm, ii, tv, tc = (clients[s] for s in SERVICES[:5])  # data_exchange below
        ok = {}

        async def step(key: str, c, svc, method, path, expect=(200, 201), **kw):
            r = await run.call(c, svc, method, path, **kw)
            assert r.status_code in expect, f"{svc} {method} {path}: {r.status_code} {r.text}"
            ok[key] = r.json() if r.content else {}
            return ok[key]

        # job-matching: enterprise, post, seeker (resident ID), hire
        await step("ent", jm, "job_matching", "POST", "/v1/enterprises", json={
            "uscc": ENTERPRISE, "name": "扬州泄漏测试科技有限公司", "city_code": "3210",
            "district_code": "321002", "industry_code": "C", "size": "medium",
            "specialized_sme": True})  # fmt: skip
        post = await step("post", jm, "job_matching", "POST", "/v1/job-posts", json={
            "enterprise_uscc": ENTERPRISE, "title": "数控设备运维工程师",
            "occupation_code": "6-18-01-01", "district_code": "321002", "kind": "full_time",
            "headcount": 3, "wage_min_fen": 600000, "wage_max_fen": 900000})  # fmt: skip
        seeker = await step("seeker", jm, "job_matching", "POST", "/v1/seekers", json={
            "resident_id": IDS["seeker"], "education": "master",
            "graduation_date": str(today - timedelta(days=150)),
            "key_groups": ["college_graduate"]})  # fmt: skip
        await step("seeker_get", jm, "job_matching", "GET", f"/v1/seekers/{seeker['id']}")
        await step("hire", jm, "job_matching", "POST", "/v1/hires", json={
            "enterprise_uscc": ENTERPRISE, "seeker_id": seeker["id"], "job_post_id": post["id"],
            "start_date": str(today), "contract_type": "fixed_term", "contract_months": 36,
            "monthly_wage_fen": 750000})  # fmt: skip

        # talent-card: a card and an application, both by resident ID
        card = await step("card", tc, "talent_card", "POST", "/v1/cards", json={
            "resident_id": IDS["card"], "level": "C", "city_code": "3201"})  # fmt: skip
        await step("card_get", tc, "talent_card", "GET", f"/v1/cards/{card['id']}")
        await step("card_app", tc, "talent_card", "POST", "/v1/card-applications", json={
            "resident_id": IDS["application"], "city_code": "3201",
            "employer_uscc": ENTERPRISE,
            "attributes": {"professional_title": "senior"}})  # fmt: skip
        await step("lookup", tc, "talent_card", "POST", "/v1/card-offers/lookup",
                   expect=(200, 201, 404), json={"resident_id": IDS["seeker"]})  # fmt: skip

        # gig-market: platform, worker (resident ID), orders
        await step("platform", gm, "gig_market", "POST", "/v1/platforms", json={
            "uscc": PLATFORM, "name": "泄漏测试配送平台", "client_id": PLATFORM,
            "pilot": True, "industries": [_enum(openapi["gig_market"], "PlatformIn",
                                                "industries", "delivery")],
            "city_code": "3201"}, expect=(200, 201))  # fmt: skip
        await step("worker", gm, "gig_market", "POST", f"/v1/platforms/{PLATFORM}/workers", json={
            "worker_id": "w-leak-1", "resident_id": IDS["worker"], "name": "张三",
            "city_code": "3201"})  # fmt: skip
        await step("worker_get", gm, "gig_market", "GET",
                   f"/v1/platforms/{PLATFORM}/workers/w-leak-1")  # fmt: skip
        now = datetime.now(UTC) - timedelta(minutes=5)
        await step("orders", gm, "gig_market", "POST", f"/v1/platforms/{PLATFORM}/order-reports",
                   json={"orders": [{"order_id": "o-leak-1", "worker_id": "w-leak-1",
                                     "industry": ok["platform"].get("industries", ["delivery"])[0],
                                     "status": "accepted",
                                     "accepted_at": now.isoformat()}]})  # fmt: skip

        # training-vouchers: social-insurance data and a voucher by resident ID
        await step("contrib", tv, "training_vouchers", "POST",
                   "/v1/social-insurance/contributions", expect=(200, 201, 202, 204), json={
                       "resident_id": IDS["contrib"], "enterprise_uscc": ENTERPRISE,
                       "months": [{
                           "month": f"{m.year:04d}-{m.month:02d}", "employee_fen": 60000,
                           "employer": {"pension_fen": 120000, "medical_fen": 60000,
                                        "unemployment_fen": 4000, "work_injury_fen": 3000,
                                        } | {"maternity_fen": 5000}}
                           for m in (today.replace(day=1) - timedelta(days=40),)]})  # fmt: skip
        level = _enum(openapi["training_vouchers"], "VoucherIn", "target_level", "level_5")
        code = "4-04-05-01"
        table = await step("occupation", tv, "training_vouchers", "PUT",
                           f"/v1/occupations/{code}", expect=(200, 201, 202, 204),
                           json={"name": "物联网安装调试员",
                                 "subsidy_fen": {level: 150000}})  # fmt: skip
        if table.get("approval_id"):  # a table change takes a second staff member
            checker = mint_dev_token(ServiceSettings(), "leak-checker", ["hrss_staff"])
            await step("occupation_check", tv, "training_vouchers", "POST",
                       f"/v1/approvals/{table['approval_id']}/check",
                       json={"verdict": "confirm"},
                       headers={"Authorization": f"Bearer {checker}"})  # fmt: skip
        await step("voucher", tv, "training_vouchers", "POST", "/v1/vouchers",
                   json={
                       "resident_id": IDS["voucher"], "occupation_code": code,
                       "training_kind": _enum(openapi["training_vouchers"], "VoucherIn",
                                              "training_kind", "employment_skills"),
                       "target_level": _enum(openapi["training_vouchers"], "VoucherIn",
                                             "target_level", "level_5"),
                       "eligibility": _enum(openapi["training_vouchers"], "VoucherIn",
                                            "eligibility", "unemployed"),
                       "city_code": "3201"})  # fmt: skip

        # injury-insurance: wait for the worker's cover to arrive, then a claim
        deadline = time.monotonic() + 10
        claim = None
        while time.monotonic() < deadline:
            r = await run.call(ii, "injury_insurance", "POST", "/v1/claims", json={
                "platform_uscc": PLATFORM, "worker_id": "w-leak-1",
                "injured_at": (now + timedelta(minutes=1)).isoformat(),
                "place": "南京市玄武区", "city_code": "3201", "district_code": "320102",
                "order_id": "o-leak-1", "description": "配送途中摔伤"})  # fmt: skip
            if r.status_code in (200, 201):
                claim = r.json()
                break
            await asyncio.sleep(1.0)
        ok["claim"] = claim or {}

        # data-exchange: a staff record, a department's single record and a batch file
        dx = clients["data_exchange"]
        await step("registration", dx, "data_exchange", "POST",
                   "/v1/unemployment-registrations",
                   json={"resident_id": IDS["registration"],
                         "residence_district": "321002"})  # fmt: skip
        dept = {"Authorization": "Bearer " + mint_dev_token(
            ServiceSettings(), "leak-test-education", ["service"], scopes=["feeds:write"],
            department="education")}  # fmt: skip
        record = {"resident_id": IDS["feed_record"], "education_level": 5,
                  "school": "扬州大学", "graduation_date": "2024-06-30",
                  "full_time": True}  # fmt: skip
        await step("feed_record", dx, "data_exchange", "POST", "/v1/feeds/education/records",
                   json={"record": record}, headers=dept)  # fmt: skip
        await run.call(dx, "data_exchange", "POST", "/v1/feeds/education/records", headers=dept,
                       json={"record": record | {"education_level": 99, "x": 1}})  # fmt: skip
        data = ("resident_id,education_level,school,graduation_date,full_time\n"
                f"{IDS['feed_batch']},6,东南大学,2023-06-30,true\n"
                f"{IDS['invalid']},6,东南大学,2023-06-30,maybe\n").encode()  # fmt: skip
        batch = await step("batch", dx, "data_exchange", "POST", "/v1/batches", headers=dept,
            json={"department": "education", "feed": "education", "period": "2026-11",
                  "rows": 2, "sha256": hashlib.sha256(data).hexdigest(),
                  "mode": "row_by_row", "format": "csv"})  # fmt: skip
        r = await run.call(dx, "data_exchange", "PUT", batch["upload"], content=data, headers=dept)
        assert r.status_code == 202, r.text

        # error bodies: invalid requests carrying a resident ID next to a wrong field
        for rid_key, (c, svc, path, body) in {
            "invalid": (jm, "job_matching", "/v1/seekers",
                        {"resident_id": IDS["invalid"], "education": "doctorate-ish",
                         "graduation_date": "not-a-date", "status": "hired"}),
            "seeker": (tc, "talent_card", "/v1/cards",
                       {"resident_id": IDS["seeker"], "level": "Z", "city_code": "99"}),
            "worker": (gm, "gig_market", f"/v1/platforms/{PLATFORM}/workers",
                       {"worker_id": "", "resident_id": IDS["worker"], "name": "",
                        "city_code": "x", "extra": IDS["worker"]}),
            "voucher": (tv, "training_vouchers", "/v1/vouchers",
                        {"resident_id": IDS["voucher"], "occupation_code": "bad",
                         "unknown": 1}),
            "contrib": (ii, "injury_insurance", "/v1/claims",
                        {"platform_uscc": PLATFORM, "worker_id": IDS["contrib"],
                         "description": IDS["contrib"]}),
        }.items():  # fmt: skip
            r = await run.call(c, svc, "POST", path, json=body)
            assert r.status_code >= 400, f"{svc} {path} accepted an invalid body: {r.text}"
            # a malformed ID too: one digit short and one with a bad date
            r = await run.call(
                c, svc, "POST", path, json={**body, "resident_id": IDS[rid_key][:-1]}
            )
        # let consumers settle so their logs and databases hold the fan-out
        await asyncio.sleep(4)
        await _quiet(stack)
        ok["openapi"] = openapi
        return ok
    finally:
        for c in clients.values():
            await c.aclose()


async def _quiet(stack: Stack, within: float = 120.0) -> None:
    """Until every outbox is drained and no durable consumer has messages pending or unacked."""
    import nats
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engines = [create_async_engine(url, pool_size=1) for url in stack.database_urls.values()]
    nc = await nats.connect(stack.nats_url)
    try:
        jsm = nc.jsm()
        deadline = time.monotonic() + within
        while True:
            busy = []
            for engine in engines:
                async with engine.connect() as conn:
                    unsent = await conn.scalar(
                        text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    )
                if unsent:
                    busy.append(f"{engine.url.database}: {unsent} unsent")
            for info in await jsm.streams_info():
                for c in await jsm.consumers_info(info.config.name):
                    if c.num_pending or c.num_ack_pending:
                        busy.append(f"{info.config.name}/{c.name}: {c.num_pending} pending")
            if not busy:
                return
            assert time.monotonic() < deadline, f"not quiet after {within:.0f}s: {busy}"
            await asyncio.sleep(0.5)
    finally:
        await nc.close()
        for engine in engines:
            await engine.dispose()


class Findings:
    def __init__(self, stack: Stack, out: io.StringIO, run: Run, ok: dict, tmp: Path) -> None:
        self.run, self.ok = run, ok
        ids = set(IDS.values())
        self.error_leaks: list[Leak] = []
        for where, text in run.bodies:
            kind = "error body" if (where, text) in run.error_bodies else "response body"
            self.error_leaks += find(text, f"{kind} of {where}", ids)
        self.stream_leaks, self.messages = asyncio.run(scan_streams(stack.nats_url, ids))
        self.db_leaks: list[Leak] = []
        for svc, url in stack.database_urls.items():
            dump = dump_database(url, tmp / f"{svc}.sql")
            self.db_leaks += find(dump.read_bytes(), f"database suxin_{svc} (pg_dump)", ids)
        self.log_files = sorted(p for p in stack.log_dir.glob("*") if p.is_file())
        self.log_leaks = scan_files(self.log_files, ids) + find(out.getvalue(), "stack output", ids)


@pytest.fixture(scope="module")
def findings(stack, tmp_path_factory) -> Findings:
    s, out = stack
    run = Run()
    ok = asyncio.run(_scenario(s, run))
    return Findings(s, out, run, ok, tmp_path_factory.mktemp("dumps"))


def _fail(leaks: list[Leak], place: str, run: Run) -> None:
    if leaks:
        pytest.fail(
            f"{len(leaks)} plaintext resident ID(s) in {place}:\n  "
            + "\n  ".join(str(leak) for leak in leaks)
            + f"\n(scenario steps: {run.steps})",
            pytrace=False,
        )


@pytest.mark.parametrize("service", SERVICES)
def test_scenario_reached_service(findings: Findings, service: str) -> None:
    """Each service took part through an endpoint taking a resident ID, or says why not."""
    if service in findings.run.skipped:
        pytest.skip(f"{service}: {findings.run.skipped[service]} (its logs, streams and "
                    "database are still scanned)")  # fmt: skip
    sent = [s for s in findings.run.steps if s.startswith(f"{service} POST") and "-> 20" in s]
    assert sent, f"{service}: no successful POST in the scenario: {findings.run.steps}"


def test_masked_ids_shown_by_the_apis(findings: Findings) -> None:
    shown = "\n".join(text for _, text in findings.run.bodies)
    kinds = ("seeker", "card", "application", "worker", "voucher")
    missing = [
        f"{k}: {mask_resident_id(IDS[k])}" for k in kinds if mask_resident_id(IDS[k]) not in shown
    ]
    assert not missing, f"masked IDs not shown by the APIs: {missing}\n{findings.run.steps}"


def test_no_resident_id_in_logs(findings: Findings) -> None:
    assert findings.log_files, "the stack wrote no log files"
    _fail(findings.log_leaks, "log files / stack output", findings.run)


def test_no_resident_id_in_jetstream(findings: Findings) -> None:
    assert findings.messages > 0, "no JetStream message was read: the scenario published nothing"
    _fail(findings.stream_leaks, "JetStream messages", findings.run)


def test_no_resident_id_in_response_or_error_bodies(findings: Findings) -> None:
    assert findings.run.error_bodies, "no invalid request was answered with an error"
    _fail(findings.error_leaks, "HTTP response bodies", findings.run)


def test_no_resident_id_in_databases(findings: Findings) -> None:
    _fail(findings.db_leaks, "database dumps", findings.run)
