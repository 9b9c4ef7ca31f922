"""Chaos suite fixtures: its own killable stack, sizes (short or full) and the figures record.

``make test`` runs the short subset (small sizes, scenarios marked ``short``); ``make chaos``
(``SUXIN_CHAOS=full``) runs every scenario with the issue's sizes. Each scenario's figures are
printed, appended to ``tests/chaos/results.jsonl`` (``SUXIN_CHAOS_RESULTS`` overrides) and the
table in ``docs/reliability.md`` is regenerated from that file at the end of the session.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from chaos.harness import ChaosStack, Figures
from chaos.report import append_result, regenerate_doc

# "full": every scenario, the sizes; "all": every scenario, small sizes; else short.
_CHOICE = os.environ.get("SUXIN_CHAOS", "").lower()
FULL = _CHOICE == "full"
EVERY = _CHOICE in ("full", "all")
MODE = "full" if FULL else "all-small" if EVERY else "short"
ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(os.environ.get("SUXIN_CHAOS_RESULTS") or ROOT / "tests/chaos/results.jsonl")
DOC = ROOT / "docs/reliability.md"


def size(short: int, full: int) -> int:
    return full if FULL else short


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "chaos: fault-injection scenario (tests/chaos)")
    config.addinivalue_line("markers", "short: also part of the short chaos subset (make test)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if EVERY:
        return
    skip = pytest.mark.skip(reason="full chaos suite only: make chaos (SUXIN_CHAOS=full)")
    for item in items:
        if item.get_closest_marker("chaos") and not item.get_closest_marker("short"):
            item.add_marker(skip)


def _tmp_root(prefix: str) -> Path:
    base = os.environ.get("SUXIN_CHAOS_TMP")
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=base))
    path.chmod(0o755)  # the embedded PostgreSQL may run as another OS user
    return path


@pytest.fixture(scope="session")
async def chaos_stack():
    """One single-node stack shared by the scenarios (each restores what it broke)."""
    import shutil

    root = _tmp_root("suxin-chaos-")
    stack = ChaosStack(root)
    try:
        await stack.start()
        await stack.start_services()
        yield stack
    finally:
        await stack.close()
        if not os.environ.get("SUXIN_CHAOS_KEEP"):
            shutil.rmtree(root, ignore_errors=True)
        else:
            print(f"chaos stack kept in {root}")


@pytest.fixture(scope="session")
def cluster_root():
    import shutil

    root = _tmp_root("suxin-chaos-cluster-")
    yield root
    if not os.environ.get("SUXIN_CHAOS_KEEP"):
        shutil.rmtree(root, ignore_errors=True)


_recorded: list[Figures] = []


# The root conftest prints these lines in the summary (from whichever worker ran a scenario).
FIGURES_PROPERTY = "chaos figures"


@pytest.fixture
def record(request: pytest.FixtureRequest):
    """Print a scenario's figure line and append it to the results file; the line also goes
    with the test's report (to the summary, from whichever pytest-xdist worker ran it)."""

    def _record(figures: Figures) -> None:
        print("\nFIGURES " + figures.line())
        append_result(RESULTS, figures, MODE)
        _recorded.append(figures)
        request.node.user_properties.append((FIGURES_PROPERTY, figures.line()))

    return _record


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Only the repository's own results file feeds the table in the docs.
    if _recorded and RESULTS == ROOT / "tests/chaos/results.jsonl":
        regenerate_doc(RESULTS, DOC)
