"""The shared axe-core helper in a real browser: it finds what axe-core should find, filters by
impact, and works on a page whose Content-Security-Policy forbids inline and foreign scripts,
with every other request blocked (no internet)."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from suxin_devkit.testing.a11y import assert_accessible, axe_version, run_axe
from suxin_devkit.testing.browser import HAVE_CHROMIUM, NO_CHROMIUM, launch_chromium

pytestmark = [pytest.mark.integration, pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)]

ORIGIN = "http://a11y.test"
BAD = """<!doctype html><html><head><title>坏页面</title></head><body><main>
<h1>坏页面</h1>
<img src="/x.png">
<button></button>
<p style="color:#bbb;background:#fff">浅灰色的字，对比度不够</p>
</main></body></html>"""
GOOD = """<!doctype html><html lang="zh-CN"><head><title>好页面</title></head><body><main>
<h1>好页面</h1><img src="/x.png" alt="图表"><button>导出 CSV</button>
<p style="color:#222;background:#fff">清楚的字</p></main></body></html>"""
CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"


async def test_axe_finds_and_filters_violations_under_a_strict_csp() -> None:
    assert axe_version().startswith("4.")
    blocked: list[str] = []

    async def serve(route) -> None:
        url = route.request.url
        if url.startswith(f"{ORIGIN}/bad"):
            await route.fulfill(body=BAD, content_type="text/html", headers={
                "Content-Security-Policy": CSP})  # fmt: skip
        elif url.startswith(f"{ORIGIN}/good"):
            await route.fulfill(body=GOOD, content_type="text/html", headers={
                "Content-Security-Policy": CSP})  # fmt: skip
        elif url == f"{ORIGIN}/x.png":
            await route.fulfill(status=404)
        else:
            blocked.append(url)
            await route.abort("internetdisconnected")

    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        try:
            page = await browser.new_page()
            await page.route("**/*", serve)
            await page.goto(f"{ORIGIN}/bad")
            serious = await run_axe(page)
            ids = {v.id: v for v in serious}
            # no alt text and an unnamed button are critical; grey on white is serious;
            # a missing lang attribute is serious too.
            assert {"image-alt", "button-name", "color-contrast", "html-has-lang"} <= set(ids)
            assert ids["image-alt"].impact == "critical"
            assert ids["image-alt"].targets == ["img"]
            assert ids["color-contrast"].impact == "serious"
            assert [v.impact for v in serious] == sorted(
                (v.impact for v in serious), key=lambda i: i != "critical"
            )  # most severe first

            critical = await run_axe(page, min_impact="critical")
            assert {v.id for v in critical} == {"image-alt", "button-name"}
            # a context narrows the run to part of the page
            only_p = await run_axe(page, min_impact="minor", context="p")
            assert {v.id for v in only_p} == {"color-contrast"}
            with pytest.raises(AssertionError, match="image-alt"):
                await assert_accessible(page)
            with pytest.raises(ValueError):
                await run_axe(page, min_impact="fatal")

            await page.goto(f"{ORIGIN}/good")
            await assert_accessible(page, min_impact="minor")
        finally:
            await browser.close()
    assert blocked == []
