"""Headless Chromium for the project's browser tests: Debian's ``/usr/bin/chromium`` (installed
by ``scripts/ensure-chromium.sh``) driven by Playwright, so Playwright never downloads a browser.

    from suxin_devkit.testing.browser import CHROMIUM_ARGS, HAVE_CHROMIUM, launch_chromium

    pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
"""

from __future__ import annotations

import os
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
HAVE_CHROMIUM = os.access(CHROMIUM, os.X_OK)
NO_CHROMIUM = "no chromium: run scripts/ensure-chromium.sh"
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


async def launch_chromium(playwright: Any, **kwargs: Any) -> Any:
    """``playwright.chromium.launch`` with the project's chromium and flags."""
    return await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **kwargs)
