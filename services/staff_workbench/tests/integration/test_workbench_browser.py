"""Two district staff work in the workbench in Chromium: sign in at the identity provider, take
a subsidy case from the queue to approval by a second person, and decide an injury claim with a
city-level checker; the pages pass axe-core (no serious or critical violations) and fit a
phone; pages need a session and carry a strict CSP. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from playwright.async_api import async_playwright

from suxin_devkit.oidc import DEMO_PASSWORD
from suxin_devkit.testing.a11y import format_violations, run_axe, to_json
from suxin_devkit.testing.browser import HAVE_CHROMIUM, NO_CHROMIUM, launch_chromium

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
ENTERPRISE = "91321002000000001C"  # the seeded case's enterprise (conftest)
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts"


async def sign_in(page, workbench: str, username: str) -> None:
    await page.goto(f"{workbench}/")
    await page.get_by_role("link", name="统一身份认证登录").click()
    await page.get_by_label("用户名").fill(username)
    await page.get_by_label("密码").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_url(f"{workbench}/")


async def sign_out(page, workbench: str) -> None:
    await page.get_by_role("button", name="退出").click()
    await page.wait_for_url(f"{workbench}/login**")


async def check_page(page, name: str, findings: dict) -> None:
    """axe-core on the page as it is, and a screenshot."""
    found = await run_axe(page, min_impact="serious")
    if found:
        findings[name] = found
        (ARTIFACTS / f"workbench-{name}-axe.json").write_text(to_json(found), encoding="utf-8")
    await page.screenshot(path=str(ARTIFACTS / f"workbench-{name}.png"), full_page=True)


async def test_staff_work_a_case_and_a_claim_through_the_workbench(workbench) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    wb, case_id, claim_id = workbench.workbench, workbench.ids["case"], workbench.ids["claim"]
    findings: dict = {}
    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        blocked = []
        # Every request stays on the machine: the workbench, the provider, nothing else.
        await context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith((wb, workbench.provider))
                else (blocked.append(route.request.url), route.abort())[1]
            ),
        )

        # 王芳 (district staff) signs in: the queues show her district's work.
        await sign_in(page, wb, "wangfang")
        await page.wait_for_selector("#cases")
        queue = page.locator("#cases")
        assert await queue.get_by_role("link", name="失业保险稳岗返还").count() == 1
        assert await page.locator("#claims").get_by_role("link").count() == 1
        assert await page.locator("#difficulty").get_by_role("link").count() == 1
        await check_page(page, "queues", findings)

        # She opens the case: facts with their sources and the rule's reasons; she approves.
        await queue.get_by_role("link", name="失业保险稳岗返还").click()
        await page.wait_for_url(f"{wb}/cases/{case_id}")
        assert await page.get_by_role("heading", name="事实与来源").count() == 1
        assert await page.locator("#facts-title + table tbody tr").count() > 0
        await check_page(page, "case", findings)
        # The enterprise behind it: subsidies it received; a service that is down says so.
        await page.get_by_role("link", name=ENTERPRISE).click()
        await page.get_by_text("在办 1 件").wait_for()
        assert await page.get_by_text("服务暂不可用").count() >= 1
        await check_page(page, "enterprise", findings)
        await page.go_back()
        await page.get_by_role("button", name="提交决定").click()
        await page.wait_for_url(f"{wb}/cases/{case_id}?msg=**")
        # Her own proposal: she may not check it (maker-checker), the page says so.
        await page.get_by_text("须由另一名工作人员复核").wait_for()
        assert await page.get_by_role("button", name="复核通过").count() == 0
        await sign_out(page, wb)

        # 李强, the second staff member of the district, checks it from his approvals queue.
        await sign_in(page, wb, "liqiang")
        approvals = page.locator("#approvals")
        await approvals.get_by_role("link", name="补贴核准").click()
        await page.wait_for_url(f"{wb}/cases/{case_id}")
        await page.get_by_role("button", name="复核通过").click()
        await page.wait_for_url(f"{wb}/cases/{case_id}?msg=**")
        await page.get_by_text("审核通过").first.wait_for()
        assert await page.locator("dd", has_text="staff:liqiang").count() == 1
        await check_page(page, "case-approved", findings)

        # He decides the claim: recognised as medical costs, 1,500 yuan; it waits for a check.
        await page.goto(f"{wb}/")
        await page.locator("#claims").get_by_role("link").click()
        await page.wait_for_url(f"{wb}/claims/{claim_id}")
        await check_page(page, "claim", findings)
        # The injured worker: masked, and the view is audited under his identity.
        await page.get_by_role("link", name="查看人员（脱敏，访问留痕）").click()
        await page.get_by_text("本次查看已以您的身份（staff:liqiang）记入审计日志").wait_for()
        await check_page(page, "person", findings)
        await page.go_back()
        await page.get_by_label("伤情类别").select_option("medical")
        await page.get_by_label("待遇金额（元）").fill("1500")
        await page.get_by_role("button", name="提交决定").click()
        await page.wait_for_url(f"{wb}/claims/{claim_id}?msg=**")
        await sign_out(page, wb)

        # 赵敏 (城市级) confirms it; the claim is recognised.
        await sign_in(page, wb, "zhaomin")
        await page.locator("#approvals").get_by_role("link", name="工伤待遇核准").click()
        await page.wait_for_url(f"{wb}/claims/{claim_id}")
        await page.get_by_role("button", name="复核通过").click()
        await page.wait_for_url(f"{wb}/claims/{claim_id}?msg=**")
        await page.get_by_text("已认定").first.wait_for()

        # The phone: the queue page fits 375 px without sideways scrolling.
        phone = await browser.new_context(viewport={"width": 375, "height": 812})
        mobile = await phone.new_page()
        await mobile.context.add_cookies(await context.cookies())
        await mobile.goto(f"{wb}/")
        await mobile.wait_for_selector("#approvals")
        assert await mobile.evaluate("document.documentElement.scrollWidth") <= 375
        await check_page(mobile, "queues-phone", findings)
        await browser.close()

    assert not findings, "\n".join(f"{k}: {format_violations(v)}" for k, v in findings.items())
    assert blocked == []

    # The services audited the decisions under the staff members' own identities.
    async with workbench.runtimes["training_vouchers"].engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.text(
                    "SELECT actor, action FROM audit_log WHERE object_id = :id "
                    "AND action LIKE 'four_eyes_%' ORDER BY id"
                ),
                {"id": case_id},
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("staff:wangfang", "four_eyes_proposed"),
        ("staff:liqiang", "four_eyes_confirmed"),
    ]
    async with workbench.runtimes["data_exchange"].engine.connect() as conn:
        readers = (
            (
                await conn.execute(
                    sa.text("SELECT actor FROM audit_log WHERE object_type = 'person_facts'")
                )
            )
            .scalars()
            .all()
        )
    assert readers == ["staff:liqiang"]
    await pages_need_a_session_and_the_csp_is_strict(workbench)


async def pages_need_a_session_and_the_csp_is_strict(workbench) -> None:
    """(Part of the test above, on the same stack: setting it up is the slow part.)"""
    wb = workbench.workbench
    async with httpx.AsyncClient(base_url=wb, trust_env=False) as anonymous:
        r = await anonymous.get(f"/cases/{workbench.ids['case']}")
        assert r.status_code == 303
        assert r.headers["location"] == f"/login?next=/cases/{workbench.ids['case']}"
        login = await anonymous.get("/login")
        csp = login.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert f"form-action 'self' {workbench.provider}" in csp
        r = await anonymous.post(
            f"/cases/{workbench.ids['case']}/decision", data={"decision": "rejected"}
        )
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        # A sign-in that comes back with a forged state is refused.
        r = await anonymous.get("/auth/callback", params={"code": "x", "state": "forged"})
        assert r.status_code == 401 and "身份认证未完成" in r.text
