"""A migrated talent-card database per test, and the service's API on it (no NATS)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from suxin_common.auth import Role, mint_dev_token
from suxin_devkit.testing import api_client, service_runtime
from talent_card.app import create_app
from talent_card.settings import Settings

EXAMPLE = Path(__file__).parents[2] / "examples" / "verify_card.py"


@pytest.fixture
async def runtime(infra):
    async with service_runtime(infra, "talent-card", Settings) as rt:
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


def person_key_of(runtime, person: str | None) -> str | None:
    """The ``person_key`` claim for ``person``: a resident ID, or a person key as is (``pk_…``);
    None for a token without a verified identity."""
    if person is None or person.startswith("pk_"):
        return person
    return runtime.personal_data.person_key(person)


@pytest.fixture
def as_(runtime):
    """Authorization headers for a caller: ``as_(Role.SEEKER, "seeker-1", person=resident_id)``
    (``person``: the resident ID or person key the real-name login verified; none: unverified)."""

    def headers(
        role: Role,
        subject: str | None = None,
        uscc: str | None = None,
        *,
        district: str | None = None,
        person: str | None = None,
    ) -> dict:
        token = mint_dev_token(
            runtime.settings,
            subject or f"{role}-1",
            [role],
            uscc=uscc,
            district=district,
            person_key=person_key_of(runtime, person),
        )
        return {"Authorization": f"Bearer {token}"}

    return headers


@pytest.fixture(scope="session")
def verifier():
    """The partner example (examples/verify_card.py), imported as a module."""
    spec = importlib.util.spec_from_file_location("verify_card", EXAMPLE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
