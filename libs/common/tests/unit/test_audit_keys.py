"""Audit chain keys and signed checkpoints (pure functions; the chain itself: integration)."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from suxin_common.security import audit, audit_checkpoints

K1 = "k1:" + base64.b64encode(b"1" * 32).decode()
K2 = "k2:" + base64.b64encode(b"2" * 32).decode()


def entry() -> dict:
    return {
        "occurred_at": datetime(2026, 12, 7, tzinfo=UTC),
        "actor": "staff-7",
        "actor_roles": "hrss_staff",
        "client_id": None,
        "action": audit.READ_PERSONAL_DATA,
        "object_type": "seeker",
        "object_id": "s-1",
        "purpose": "case review",
        "request_id": None,
        "details": {"amount_fen": 1},
        "prev_hash": audit.GENESIS_HASH,
    }


def test_the_first_key_signs_and_every_key_verifies() -> None:
    keys = audit.ChainKeys.from_spec(f"{K2}, {K1}")
    sealed = audit.seal(entry(), keys)
    assert sealed["kid"] == "k2"
    assert audit.entry_hash(sealed, keys) == sealed["hash"]
    # the same content under another key, or unkeyed, gives another hash
    assert audit.entry_hash({**sealed, "kid": "k1"}, keys) != sealed["hash"]
    assert audit.entry_hash({**sealed, "kid": None}, keys) != sealed["hash"]
    with pytest.raises(KeyError):
        audit.entry_hash(sealed, audit.ChainKeys.from_spec(K1))


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "no key"),
        ("k1", "kid:base64key"),
        ("k1:not base64!", "not base64"),
        ("k1:" + base64.b64encode(b"short").decode(), "shorter than 32"),
    ],
)
def test_bad_key_specs_are_refused(spec: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        audit.ChainKeys.from_spec(spec)


def test_a_checkpoint_verifies_and_any_change_is_refused() -> None:
    keys = audit.ChainKeys.from_spec(f"{K1},{K2}")
    checkpoint = audit_checkpoints.sign("job_matching", 42, "ab" * 32, keys)
    data = json.dumps(asdict(checkpoint)).encode()
    assert audit_checkpoints.parse(data, "job_matching", keys) == checkpoint
    for field, value in (("last_id", 41), ("head_hash", "cd" * 32), ("at", "2020-01-01")):
        forged = json.dumps({**asdict(checkpoint), field: value}).encode()
        with pytest.raises(ValueError, match="signature"):
            audit_checkpoints.parse(forged, "job_matching", keys)
    with pytest.raises(ValueError, match="another service"):
        audit_checkpoints.parse(data, "gig_market", keys)
    with pytest.raises(ValueError, match="unknown key"):
        audit_checkpoints.parse(data, "job_matching", audit.ChainKeys.from_spec(K2))
    with pytest.raises(ValueError, match="malformed"):
        audit_checkpoints.parse(b"{not json", "job_matching", keys)
