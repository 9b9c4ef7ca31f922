"""Builders shared by the unit tests."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from training_vouchers.domain.facts import MonthlyContribution, hire_facts
from training_vouchers.domain.model import (
    ContractType,
    Education,
    EnterpriseSize,
    HireFacts,
    JobKind,
    KeyGroup,
)
from training_vouchers.policies import load_book, load_policy

ENTERPRISE_USCC = "91321000MA1XXXXX18"


def graduate_hire(**changes: Any) -> HireFacts:
    """A bachelor who graduated in June 2025 and starts a 3-year full-time contract in 扬州."""
    values: dict[str, Any] = {
        "hire_id": uuid.UUID("6f1c2a8e-0000-4000-8000-000000000001"),
        "enterprise_uscc": ENTERPRISE_USCC,
        "person_key": "pk_" + "0" * 32,
        "start_date": date(2026, 3, 1),
        "education": Education.BACHELOR,
        "graduation_date": date(2025, 6, 30),
        "key_groups": frozenset({KeyGroup.COLLEGE_GRADUATE}),
        "job_kind": JobKind.FULL_TIME,
        "contract_type": ContractType.FIXED_TERM,
        "contract_months": 36,
        "city_code": "3210",
        "district_code": "321002",
        "enterprise_size": EnterpriseSize.MEDIUM,
        "birth_year": 2003,
    }
    return HireFacts(**(values | changes))


def paid_months(*months: str, unemployment_fen: int = 4000) -> list[MonthlyContribution]:
    return [
        MonthlyContribution(
            m,
            {
                "pension": 128000,
                "medical": 64000,
                "unemployment": unemployment_fen,
                "work_injury": 3200,
                "maternity": 6400,
            },
            84000,
        )
        for m in months
    ]


# Parsed and validated once per session (the policies are frozen values): parsing them for each
# of the hundreds of rule tests was most of this folder's time.
@pytest.fixture(scope="session")
def policy():
    return load_policy("js-2026.1")


@pytest.fixture(scope="session")
def book():
    return load_book()


@pytest.fixture
def facts_of():
    def build(contributions=(), **changes):
        return hire_facts(graduate_hire(**changes), contributions)

    return build
