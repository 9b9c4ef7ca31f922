"""Accessibility checks in a real browser: axe-core run inside a Playwright page.

axe-core's ``axe.min.js`` comes from the ``axe-playwright-python`` package (a dev dependency in
the root ``pyproject.toml``, so ``make venv`` installs it): nothing is fetched from the internet,
and the page under test needs no change. The script is injected through Playwright's
``evaluate`` (the DevTools protocol), which a page's Content-Security-Policy does not block.

Usage (async Playwright, as the project's browser tests are written)::

    from suxin_devkit.testing.a11y import assert_accessible, run_axe

    violations = await run_axe(page)                  # serious and critical ones
    await assert_accessible(page, min_impact="serious")

A sync Playwright page works with :func:`run_axe_sync` / :func:`assert_accessible_sync`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

# axe-core's impact levels, least to most severe.
IMPACTS: tuple[str, ...] = ("minor", "moderate", "serious", "critical")

_RUN = """async ([context, options]) => {
    const result = await window.axe.run(context === null ? document : context, options || {});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '),
                                   html: n.html, summary: n.failureSummary || ''})),
    }));
}"""


@cache
def axe_source() -> str:
    """The bundled axe-core script (``axe.min.js``) as text."""
    try:
        package = resources.files("axe_playwright_python")
    except ModuleNotFoundError as exc:  # pragma: no cover - a broken venv
        raise RuntimeError(
            "axe-core is not installed: run `make venv` (axe-playwright-python is a dev dependency)"
        ) from exc
    return (package / "axe.min.js").read_text(encoding="utf-8")


def axe_version() -> str:
    """The version of the bundled axe-core, from the script's banner (``/*! axe v4.x.y``)."""
    head = axe_source()[:64]
    marker = "axe v"
    start = head.find(marker)
    return head[start + len(marker) :].split()[0] if start >= 0 else "unknown"


@dataclass(frozen=True)
class Violation:
    """One axe-core rule that failed, with the elements it failed on."""

    id: str
    impact: str
    help: str
    help_url: str
    nodes: list[dict[str, str]] = field(default_factory=list)

    @property
    def targets(self) -> list[str]:
        return [n["target"] for n in self.nodes]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:5]) + (" ..." if len(self.nodes) > 5 else "")
        return f"[{self.impact}] {self.id}: {self.help} ({len(self.nodes)}: {shown})"


def _rank(impact: str) -> int:
    if impact not in IMPACTS:
        raise ValueError(f"impact must be one of {IMPACTS}, not {impact!r}")
    return IMPACTS.index(impact)


def _filter(raw: list[dict[str, Any]], min_impact: str) -> list[Violation]:
    floor = _rank(min_impact)
    out = []
    for v in raw:
        impact = v.get("impact") or "minor"  # axe leaves impact null only for passes
        if IMPACTS.index(impact) >= floor:
            out.append(Violation(v["id"], impact, v["help"], v["helpUrl"], v["nodes"]))
    return sorted(out, key=lambda v: (-IMPACTS.index(v.impact), v.id))


def _args(context: Any, options: dict[str, Any] | None) -> list[Any]:
    return [context, options or {}]


def format_violations(violations: list[Violation]) -> str:
    return "\n".join(str(v) for v in violations) or "no violations"


_HAS_AXE = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"


async def inject_axe(page: Any) -> None:
    """Load axe-core into ``page`` (an async Playwright Page or Frame) unless it is there."""
    if not await page.evaluate(_HAS_AXE):
        await page.evaluate(axe_source())


async def run_axe(
    page: Any,
    *,
    min_impact: str = "serious",
    context: Any = None,
    options: dict[str, Any] | None = None,
) -> list[Violation]:
    """Run axe-core on ``page`` (async Playwright) and return the violations whose impact is
    ``min_impact`` or worse, most severe first.

    ``context`` is axe's context (a CSS selector, or ``{"include": [...], "exclude": [...]}``;
    None = the whole document); ``options`` are axe's run options (e.g.
    ``{"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}}``)."""
    _rank(min_impact)
    await inject_axe(page)
    raw = await page.evaluate(_RUN, _args(context, options))
    return _filter(raw, min_impact)


async def assert_accessible(page: Any, *, min_impact: str = "serious", **kwargs: Any) -> None:
    """Fail with a readable list when axe-core finds violations of ``min_impact`` or worse."""
    found = await run_axe(page, min_impact=min_impact, **kwargs)
    if found:
        raise AssertionError(
            f"axe-core {axe_version()} found {len(found)} {min_impact}+ violation(s) on "
            f"{page.url}:\n{format_violations(found)}"
        )


def run_axe_sync(
    page: Any,
    *,
    min_impact: str = "serious",
    context: Any = None,
    options: dict[str, Any] | None = None,
) -> list[Violation]:
    """:func:`run_axe` for a sync Playwright page."""
    _rank(min_impact)
    if not page.evaluate(_HAS_AXE):
        page.evaluate(axe_source())
    return _filter(page.evaluate(_RUN, _args(context, options)), min_impact)


def assert_accessible_sync(page: Any, *, min_impact: str = "serious", **kwargs: Any) -> None:
    found = run_axe_sync(page, min_impact=min_impact, **kwargs)
    if found:
        raise AssertionError(
            f"axe-core {axe_version()} found {len(found)} {min_impact}+ violation(s) on "
            f"{page.url}:\n{format_violations(found)}"
        )


def to_json(violations: list[Violation]) -> str:
    """The violations as JSON, for saving next to a test's screenshots."""
    return json.dumps(
        [
            {
                "id": v.id,
                "impact": v.impact,
                "help": v.help,
                "helpUrl": v.help_url,
                "nodes": v.nodes,
            }  # fmt: skip
            for v in violations
        ],
        ensure_ascii=False,
        indent=2,
    )
