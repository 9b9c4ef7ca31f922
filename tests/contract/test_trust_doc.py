"""docs/trust.md carries the fact -> accepted sources -> rules table as the code declares it,
and the declarations hold together: every fact a rule reads has accepted sources, and no
rule accepts what was only declared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from suxin_common.facts import Source
from training_vouchers.domain.provenance import ACCEPTED_SOURCES
from training_vouchers.policies import load_book

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "trust_table.py"


def _script():
    spec = importlib.util.spec_from_file_location("suxin_trust_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_committed_table_is_fresh():
    tool = _script()
    document = tool.DOC.read_text(encoding="utf-8")
    assert tool.replace_generated(document, tool.table()) == document, (
        "docs/trust.md is stale: run .venv/bin/python scripts/trust_table.py"
    )


def test_no_rule_decides_on_a_declared_fact():
    assert all(Source.DECLARED not in sources for sources in ACCEPTED_SOURCES.values())
    for policy in load_book().versions:
        for rule in policy.rules:
            assert set(rule.accepts) == set(rule.reads), rule.id
            for fact, sources in rule.accepts.items():
                assert sources and Source.DECLARED not in sources, (rule.id, fact)
                assert sources <= ACCEPTED_SOURCES[fact], (rule.id, fact)
