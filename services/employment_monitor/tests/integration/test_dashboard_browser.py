"""The dashboard in a real browser, as a member of staff uses it: headless Debian chromium
(Playwright) loads it from the running service; every panel draws bars (or says why not); the
filters and the drill-down province -> city -> district show the API's figures; the CSV and XLSX
downloads hold the figures on screen; the page is readable at 375 px (no sideways scrolling, no
cut labels); axe-core finds no serious or critical violation; a new hire arrives live.
Screenshots go to test-artifacts/ (dashboard*.png) at the repository root."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from em_scenario import Enterprise, Hire, _confirmed_event, _ended_event, _hire_event, build
from openpyxl import load_workbook
from playwright.async_api import async_playwright

from employment_monitor.settings import Settings
from suxin.common.v1.common_pb2 import Date
from suxin.hiring.v1 import events_pb2 as hiring
from suxin_common.auth import mint_dev_token
from suxin_common.messaging.catalog import event_type_of
from suxin_common.migrate import upgrade_async
from suxin_devkit.devstack._proc import free_port, spawn, stop_process, tail
from suxin_devkit.testing import fresh_streams, headers_for, hire_event, make_uscc
from suxin_devkit.testing.a11y import assert_accessible
from suxin_devkit.testing.browser import CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, NO_CHROMIUM

pytestmark = pytest.mark.integration

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


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
        "DASHBOARD_REFRESH_MS": "1000",
    }
    log = tmp_path / "employment_monitor.log"
    argv = [sys.executable, "-m", "uvicorn", "--factory", "employment_monitor.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    proc = spawn(argv, log_file=log, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(900):  # a busy machine: up to ~90 s
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


WAIT = 60_000  # ms: generous for a loaded CI machine; the waits end as soon as the page is there
PANELS = (
    "chart-monthly",
    "chart-areas",
    "chart-groups",
    "chart-gig-orders",
    "chart-gig-claims",
    "chart-supply",
    "chart-training",
    "chart-flows",
    "chart-sme",
)

# Every axis label of every chart lies inside its chart (nothing cut off at the edges).
LABELS_CUT = """() => {
  const cut = [];
  for (const chart of document.querySelectorAll('.chart:not([hidden])')) {
    const box = chart.getBoundingClientRect();
    for (const t of chart.querySelectorAll('.xtick text, .ytick text, .y2tick text')) {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1))
        cut.push(chart.id + ': ' + t.textContent);
    }
  }
  for (const el of document.querySelectorAll('.kpi .label, h1, h2, .filters label, button'))
    if (el.scrollWidth > el.clientWidth + 1) cut.push(el.tagName + ': ' + el.textContent);
  return cut;
}"""


async def wait_view(page, fragment: str) -> None:
    await page.wait_for_function(
        "f => (document.body.dataset.view || '').includes(f) && "
        "document.body.dataset.view !== 'loading'", arg=fragment, timeout=WAIT,
    )  # fmt: skip


_T0 = [0.0]


def step(name: str) -> None:
    """Prints how long each phase took (shown when the test fails)."""
    import time

    now = time.monotonic()
    print(f"{now - _T0[0]:7.1f}s {name}" if _T0[0] else f"start {name}")
    _T0[0] = _T0[0] or now


async def text(page, selector: str) -> str:
    return (await page.text_content(selector) or "").strip()


def csv_sections(path: Path) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
        if row and row[0].startswith("## "):
            current = out.setdefault(row[0][3:], [])
        elif row and current is not None:
            current.append(row)
    return out


@pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
@pytest.mark.timeout(600)  # a guard for a loaded machine; it takes well under a minute alone
async def test_dashboard_filters_drill_down_export_phone_and_live(infra, tmp_path):
    token = mint_dev_token(Settings(environment="test"), "dashboard-test", ["hrss_staff"])
    ARTIFACTS.mkdir(exist_ok=True)
    async with running_service(infra, tmp_path) as base:
        await publish(infra.nats_url, build(seed=9).events + shrinking_enterprise())
        step("service up")
        async with httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}
        ) as api:
            for _ in range(200):
                hires = (await api.get("/v1/stats/hires")).json()["total"]
                if hires == 250:
                    break
                await asyncio.sleep(0.1)
            assert hires == 250
            step("events projected")

            async def total(**params) -> int:
                r = await api.get("/v1/stats/employment", params=params)
                return r.json()["total"]["hires"]

            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    page = await browser.new_page(viewport={"width": 1440, "height": 1000})
                    errors: list[str] = []
                    page.on("pageerror", lambda e: errors.append(str(e)))
                    page.on(
                        "console", lambda m: errors.append(m.text) if m.type == "error" else None
                    )
                    page.set_default_timeout(WAIT)
                    await page.goto(f"{base}/dashboard#token={token}", wait_until="commit")
                    try:
                        await page.wait_for_selector(
                            "body[data-loaded=true]", state="attached", timeout=WAIT
                        )
                    except Exception:
                        status = await text(page, "#status")
                        raise AssertionError(f"not loaded: {status} {errors}") from None
                    step("page loaded")
                    # every panel drew bars with values (not empty axes)
                    for chart in PANELS:
                        points = await page.get_attribute(f"#{chart}", "data-points")
                        assert points and int(points) > 0, chart
                        assert await page.locator(f"#{chart} .main-svg").count() > 0, chart
                    assert await text(page, "#kpi-hires") == "250"
                    assert await text(page, "#kpi-warnings") == "1"
                    assert "收缩制造" in await text(page, "#table-warnings")
                    gig = (await api.get("/v1/stats/gig")).json()
                    assert (
                        await text(page, "#kpi-gig-orders")
                        == f"{sum(r['orders'] for r in gig['orders']):,}"
                    )
                    # the current year has no targets: said so; 2023 has 扬州's
                    assert "本年度未配置目标" in await text(page, "#chart-targets-empty")
                    await page.select_option("#f-year", "2023")
                    await wait_view(page, "year=2023")
                    assert int(await page.get_attribute("#chart-targets", "data-points")) > 0
                    await assert_accessible(page, min_impact="serious")
                    await page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

                    step("axe + screenshot")
                    # filter by city: 扬州; the KPI is the API's figure for 扬州
                    await page.select_option("#f-city", "3210")
                    await wait_view(page, "city_code=3210")
                    assert await text(page, "#kpi-hires") == f"{await total(city_code='3210'):,}"
                    assert "扬州市" in await text(page, "#crumbs")
                    assert await page.is_enabled("#f-district")
                    # drill down to a district from the area list, then back up to the province
                    first = page.locator("#area-links button").first
                    district = await first.get_attribute("data-code")
                    assert district and district.startswith("3210")
                    await first.click()
                    await wait_view(page, f"district_code={district}")
                    assert (
                        await text(page, "#kpi-hires") == f"{await total(district_code=district):,}"
                    )
                    assert await page.input_value("#f-district") == district
                    await page.click("#crumbs button >> text=扬州市")
                    await wait_view(page, "city_code=3210")
                    # industry and month filters together
                    await page.select_option("#f-industry", "C")
                    await wait_view(page, "industry_code=C")
                    want = await total(city_code="3210", industry_code="C")
                    assert await text(page, "#kpi-hires") == f"{want:,}"

                    step("filters and drill-down")
                    # export: the files hold what is shown, which is the API's figures
                    async with page.expect_download() as info:
                        await page.click("#export-csv")
                    saved = tmp_path / "view.csv"
                    await (await info.value).save_as(saved)
                    got = csv_sections(saved)
                    kpis = dict((r[0], r[1]) for r in got["关键指标"][1:])
                    assert int(kpis["累计录用（城镇就业）"]) == want
                    filters = dict((r[0], r[1]) for r in got["筛选条件"][1:])
                    assert filters["地区"] == "扬州市" and filters["目标年度"] == "2023"
                    by_area = (
                        await api.get(
                            "/v1/stats/employment",
                            params={
                                "city_code": "3210",
                                "industry_code": "C",
                                "group_by": "district",
                            },
                        )
                    ).json()
                    assert {(r[0], int(r[2])) for r in got["各地区新增就业（县区）"][1:]} == {
                        (r["district"], r["new_jobs"]) for r in by_area["rows"]
                    }
                    targets = (
                        await api.get("/v1/targets", params={"year": 2023, "region": "3210"})
                    ).json()
                    assert len(got["2023年度目标进度"]) - 1 == len(targets["targets"][0]["items"])
                    async with page.expect_download() as info:
                        await page.click("#export-xlsx")
                    saved = tmp_path / "view.xlsx"
                    await (await info.value).save_as(saved)
                    wb = load_workbook(saved, read_only=True)
                    monthly = (
                        await api.get(
                            "/v1/stats/employment",
                            params={"city_code": "3210", "industry_code": "C", "group_by": "month"},
                        )
                    ).json()
                    sheet = list(wb["城镇新增就业（按月）"].iter_rows(values_only=True))[1:]
                    assert sum(r[1] for r in sheet) == sum(r["new_jobs"] for r in monthly["rows"])
                    assert {r[0] for r in sheet} <= {r["month"][:7] for r in monthly["rows"]}

                    step("exports")
                    # reset, then a new hire arrives live
                    await page.click("#reset")
                    await page.wait_for_function("document.body.dataset.view === ''", timeout=WAIT)
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
                        "document.getElementById('kpi-hires').textContent === '251'",
                        timeout=WAIT,
                    )

                    assert await page.evaluate(LABELS_CUT) == []
                    step("live update")
                    await page.close()  # one page polling at a time

                    # a phone: 375 px wide, nothing scrolls sideways, no label is cut
                    phone = await browser.new_page(
                        viewport={"width": 375, "height": 812}, is_mobile=True
                    )
                    phone.set_default_timeout(WAIT)
                    await phone.goto(f"{base}/dashboard#token={token}", wait_until="commit")
                    phone.on("pageerror", lambda e: errors.append(str(e)))
                    try:
                        await phone.wait_for_selector(
                            "body[data-loaded=true]", state="attached", timeout=WAIT
                        )
                    except Exception:
                        status = await text(phone, "#status")
                        raise AssertionError(f"phone: not loaded: {status} {errors}") from None
                    width = await phone.evaluate("document.documentElement.scrollWidth")
                    assert width <= 375, width
                    wide = await phone.evaluate(
                        "[...document.querySelectorAll('body *')].filter(e => {"
                        " const r = e.getBoundingClientRect();"
                        " return r.width && r.right > innerWidth + 1 }).map(e => e.id || e.tagName)"
                    )
                    assert wide == [], wide
                    assert await phone.evaluate(LABELS_CUT) == []
                    step("phone checked")
                    await phone.screenshot(
                        path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True
                    )
                    assert not [e for e in errors if "favicon" not in e], errors
                finally:
                    await browser.close()
    assert (ARTIFACTS / "dashboard-phone.png").stat().st_size > 10_000
