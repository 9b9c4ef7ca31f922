"""The kit owns the fast paths (issue 17, step 2): service code reaches the database driver and
the audit chain only through the kit (``suxin_common.db.driver_connection`` /
``run_on_driver`` / ``per_database``, ``suxin_common.security.audit`` public functions), and
keeps no module-level caches of its own.

A grep over the services' source, in the spirit of an architecture test: what it forbids is
what the speed-ups used to do before the kit offered a way (their own asyncpg accessors, the
audit chain's private lock key and entry layout, weak-keyed caches per engine or transaction).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICE_SOURCES = sorted(ROOT.glob("services/*/src/**/*.py"))

FORBIDDEN = {
    # the driver under SQLAlchemy: only suxin_common.db.driver_connection / run_on_driver
    r"get_raw_connection\s*\(": "the kit's db.driver_connection(uow)",
    r"(?<!\bdb)\.driver_connection\b(?!\s*\()": "the kit's db.driver_connection(uow)",
    r"\.dbapi_connection\b": "the kit's db.run_on_driver(session, fn)",
    r"\.run_async\s*\(": "the kit's db.run_on_driver(session, fn)",
    # the audit chain's internals: only audit.entry / claim_chain / chained / append_many / record
    r"\baudit\._[A-Za-z]": "audit's public functions",
    r"_CHAIN_LOCK_KEY": "audit.claim_chain",
    r"\bprev_hash\b": "audit.chained (the kit links entries)",
    r"\baudit\.(seal|entry_hash)\b": "audit.chained",
    r"INSERT\s+INTO\s+audit_log": "audit.insert_sql / audit.append_many",
    # module-level caches keyed by engine or transaction: the kit's db.per_database
    r"\bWeak(Key|Value)Dictionary\b": "the kit's db.per_database",
}


def _offences(pattern: str) -> list[str]:
    found = []
    regex = re.compile(pattern)
    for path in SERVICE_SOURCES:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if regex.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_there_are_services_to_check():
    assert len(SERVICE_SOURCES) > 50


@pytest.mark.parametrize(("pattern", "instead"), sorted(FORBIDDEN.items()))
def test_service_code_leaves_driver_and_audit_internals_to_the_kit(pattern, instead):
    offences = _offences(pattern)
    assert not offences, f"use {instead}:\n" + "\n".join(offences)


def test_the_check_would_catch_an_own_accessor(tmp_path):
    """The patterns match what the services used to write."""
    before = [
        "    raw = await connection.get_raw_connection()",
        "    return raw.driver_connection",
        "CHAIN_LOCK_KEY = audit._CHAIN_LOCK_KEY  # noqa: SLF001",
        '        "prev_hash": prev_hash,',
        "_heads: weakref.WeakKeyDictionary[Any, ChainHead] = weakref.WeakKeyDictionary()",
        "    dbapi = session.connection().connection.dbapi_connection",
    ]
    for line in before:
        assert any(re.search(p, line) for p in FORBIDDEN), line
