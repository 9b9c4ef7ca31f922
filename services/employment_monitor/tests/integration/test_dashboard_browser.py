"""The dashboard in a real browser: headless Debian chromium (driven by Playwright) loads it from
the running service, finds charts with data, sees a newly recorded hire change the count, and
saves a screenshot (test-artifacts/dashboard.png, next to this service's tests)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from em_scenario import Enterprise, Hire, _confirmed_event, _ended_event, _hire_event, build
from playwright.async_api import async_playwright

from employment_monitor.settings import Settings
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.auth import mint_dev_token
from suxin_common.messaging.catalog import event_type_of
from suxin_common.migrate import upgrade_async
from suxin_devkit.devstack._proc import free_port, spawn, stop_process, tail
from suxin_devkit.testing import fresh_streams, headers_for, hire_event, make_uscc

pytestmark = pytest.mark.integration

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.asynccontextmanager
async def running_service(infra, tmp_path: Path):
    """employment-monitor as a uvicorn process, as `make run` starts it."""
    await fresh_streams(infra.nats_url)
    url = await infra.create_database("employment_monitor")
    await upgrade_async("employment_monitor", url)
    port = free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "test",
        "DATABASE_URL": url,
        "NATS_URL": infra.nats_url,
        "CONSUMER_FETCH_TIMEOUT_S": "0.5",
        "DASHBOARD_REFRESH_MS": "500",
    }
    log = tmp_path / "employment_monitor.log"
    argv = [sys.executable, "-m", "uvicorn", "--factory", "employment_monitor.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    proc = spawn(argv, log_file=log, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(300):
                if proc.poll() is not None:
                    break
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{base}/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"not ready:\n{tail(log)}")
        if proc.poll() is not None:
            raise AssertionError(f"the service exited:\n{tail(log)}")
        yield base
    finally:
        stop_process(proc)


def shrinking_enterprise() -> list:
    """A key-monitored firm that hired 10 people five months ago and lost 6 of them last
    month: a headcount fall of 60% over the warning period, as of today."""
    today = (datetime.now(UTC) + timedelta(hours=8)).date()
    ent = Enterprise(make_uscc(777, region="321002"), "3210", "321002", "C", False, True)
    events = []
    for n in range(10):
        hire = Hire(str(uuid.uuid4()), ent, today - timedelta(days=150), [],
                    hiring.JOB_KIND_FULL_TIME, False, 0, 0)  # fmt: skip
        event = _hire_event(hire, random.Random(n))
        event.enterprise_name = "扬州收缩制造有限公司"
        events.append(event)
        events.append(_confirmed_event(hire))  # only confirmed hires count (issue 27)
        if n < 6:
            hire.end = today - timedelta(days=20)
            events.append(_ended_event(hire))
    return events


async def publish(nats_url: str, events) -> None:
    import nats

    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for event in events:
            subject = event_type_of(event).subject
            await js.publish(
                subject, event.SerializeToString(), headers=headers_for(str(uuid.uuid4()), subject)
            )
    finally:
        await nc.close()


@pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK), reason="no chromium: run scripts/ensure-chromium.sh"
)
async def test_dashboard_shows_charts_and_a_new_hire(infra, tmp_path):
    token = mint_dev_token(Settings(environment="test"), "dashboard-test", ["hrss_staff"])
    async with running_service(infra, tmp_path) as base:
        await publish(infra.nats_url, build(seed=9).events + shrinking_enterprise())
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as c:
            for _ in range(200):
                hires = (await c.get(f"{base}/v1/stats/hires")).json()["total"]
                if hires == 250:
                    break
                await asyncio.sleep(0.1)
            data = await c.get(f"{base}/v1/dashboard/data")
            assert data.status_code == 200, data.text
        assert hires == 250

        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = await browser.new_page(viewport={"width": 1600, "height": 1000})
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                await page.goto(f"{base}/dashboard#token={token}")
                try:
                    await page.wait_for_selector(
                        "body[data-loaded=true]", state="attached", timeout=20_000
                    )
                except Exception:
                    status = await page.text_content("#status")
                    raise AssertionError(f"dashboard not loaded: {status} {errors}") from None
                # plotly drew each chart, with data points in it.
                for chart in ("chart-monthly", "chart-cities", "chart-sme", "chart-targets",
                              "chart-training", "chart-flows"):  # fmt: skip
                    points = await page.get_attribute(f"#{chart}", "data-points")
                    assert points and int(points) > 0, chart
                    assert await page.locator(f"#{chart} .main-svg").count() > 0, chart
                assert await page.text_content("#kpi-hires") == "250"
                assert await page.text_content("#kpi-warnings") == "1"
                assert "收缩制造" in await page.text_content("#table-warnings")
                assert "南京市" in (await page.inner_text("body"))

                hire = hire_event(1)
                hire.start_date.CopyFrom(Date(year=2026, month=6, day=1))
                confirmed = hiring.HireConfirmed(
                    hire_id=hire.hire_id,
                    version=2,
                    enterprise_uscc=hire.enterprise_uscc,
                    person_key=hire.person_key,
                    start_date=hire.start_date,
                    job_kind=hire.job_kind,
                    confirmed_by=hiring.HIRE_CONFIRMATION_PERSON,
                )
                await publish(infra.nats_url, [hire, confirmed])
                await page.wait_for_function(
                    "document.getElementById('kpi-hires').textContent === '251'", timeout=20_000
                )
                ARTIFACTS.mkdir(exist_ok=True)
                await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
            finally:
                await browser.close()
    assert (ARTIFACTS / "dashboard.png").stat().st_size > 10_000
