"""Builders shared by the unit tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from training_vouchers.domain.model import ContractType, Education, HireFacts, JobKind, KeyGroup

ENTERPRISE_USCC = "91321000MA1XXXXX18"


def graduate_hire(**changes: Any) -> HireFacts:
    """A bachelor who graduated in June 2025 and starts a 3-year full-time contract in 2026."""
    values: dict[str, Any] = {
        "hire_id": uuid.UUID("6f1c2a8e-0000-4000-8000-000000000001"),
        "enterprise_uscc": ENTERPRISE_USCC,
        "person_key": "pk-graduate",
        "start_date": date(2026, 3, 1),
        "education": Education.BACHELOR,
        "graduation_date": date(2025, 6, 30),
        "key_groups": frozenset({KeyGroup.COLLEGE_GRADUATE}),
        "job_kind": JobKind.FULL_TIME,
        "contract_type": ContractType.FIXED_TERM,
        "contract_months": 36,
    }
    return HireFacts(**(values | changes))


@pytest.fixture
def make_hire() -> Callable[..., HireFacts]:
    return graduate_hire
