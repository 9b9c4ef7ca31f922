"""docs/security.md carries the authorization matrix as the code declares it."""

from __future__ import annotations

from pathlib import Path

from suxin_common.security.matrix import current_matrix, replace_generated

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_committed_matrix_is_fresh():
    document = DOC.read_text(encoding="utf-8")
    assert replace_generated(document, current_matrix()) == document, (
        "docs/security.md is stale: run .venv/bin/python scripts/security_matrix.py"
    )
