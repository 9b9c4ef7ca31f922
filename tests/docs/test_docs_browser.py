"""With the network off, /docs of every service shows its operations in a real browser:
headless Chromium (Playwright) may reach only the service itself; every other request is
blocked and counted."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from playwright.async_api import async_playwright

from suxin_common.security.matrix import SERVICES
from suxin_devkit.devstack._proc import free_port
from suxin_devkit.partnerkit import serve

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

pytestmark = [
    # It serves every service over HTTP and drives a browser: not for the fast loop (make unit).
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.access(CHROMIUM, os.X_OK), reason="no chromium: run scripts/ensure-chromium.sh"
    ),
]


def _only(base: str, blocked: list[str]):
    """A route handler that lets requests to `base` through and blocks (and counts) the rest,
    as a machine without internet would."""

    async def handle(route) -> None:
        if route.request.url.startswith(base):
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort("internetdisconnected")

    return handle


async def test_docs_show_every_operation_offline() -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for service in SERVICES:
                settings = importlib.import_module(f"{service}.settings").Settings(
                    environment="test"
                )
                app = importlib.import_module(f"{service}.app").create_app(settings)
                operations = {
                    (method, path)
                    for path, item in app.openapi()["paths"].items()
                    for method in item
                    if method in {"get", "post", "put", "patch", "delete"}
                }
                port = free_port()
                # No lifespan: the documentation needs neither the database nor NATS.
                async with serve(app, port, lifespan="off") as base:
                    page = await browser.new_page()
                    blocked: list[str] = []

                    await page.route("**/*", _only(base, blocked))
                    await page.goto(f"{base}/docs")
                    await page.wait_for_selector(".opblock", timeout=90_000)
                    # An operation with two tags is shown under each: count distinct ones.
                    shown = {
                        (method.lower(), path)
                        for method, path in await page.eval_on_selector_all(
                            ".opblock",
                            """blocks => blocks.map(b => [
                                b.querySelector('.opblock-summary-method').textContent,
                                b.querySelector('.opblock-summary-path').dataset.path])""",
                        )
                    }
                    await page.screenshot(path=ARTIFACTS / f"docs-{service}.png")
                    await page.goto(f"{base}/redoc")
                    await page.wait_for_selector("[data-section-id]", timeout=90_000)
                    await page.close()
                assert blocked == [], f"{service}: /docs tried to load {blocked}"
                assert shown == operations, f"{service}: shown {len(shown)} of {len(operations)}"
        finally:
            await browser.close()
