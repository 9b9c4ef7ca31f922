"""Input PostgreSQL cannot store, and database errors the client caused, are 4xx problems —
never a 500 — and no log line carries the personal data that came with them.

Walked against job-matching over HTTP (its lifespan, a real database): NUL characters and lone
surrogates in text fields, an unknown job post in a service record; then the log records are
scanned for the resident ID and phone number the requests carried."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from job_matching.app import create_app
from job_matching.settings import Settings
from suxin_common.auth import mint_dev_token
from suxin_common.logs import JsonFormatter
from suxin_devkit.testing import lifespan_client, make_resident_id, make_uscc

pytestmark = pytest.mark.integration

RESIDENT_ID = make_resident_id(873, born="19870615")
PHONE = "13912345678"
ENTERPRISE = make_uscc(873)


def staff() -> dict[str, str]:
    token = mint_dev_token(Settings(environment="test"), "hardening", ["hrss_staff"])
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def client(infra):
    async with lifespan_client(infra, "job-matching", "hardening", Settings, create_app) as c:
        yield c


@pytest.fixture
def log_lines():
    """Every record written while the test runs, through the service's JSON formatter."""
    formatter = JsonFormatter("test")
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(formatter.format(record))

    handler = Collect(level=logging.DEBUG)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lines
    finally:
        root.removeHandler(handler)


async def _seeker(client) -> str:
    r = await client.post(
        "/v1/seekers",
        json={
            "resident_id": RESIDENT_ID,
            "education": "bachelor",
            "graduation_date": "2026-06-30",
            "key_groups": ["college_graduate"],
            "skills": ["数控编程"],
        },
        headers=staff(),
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.mark.parametrize(
    "bad", ["数控\u0000编程", "\ud800", "PLC\udfff"], ids=["nul", "lone-high", "lone-low"]
)
async def test_unstorable_text_is_a_422_naming_the_field(client, log_lines, bad) -> None:
    seeker_id = await _seeker(client)

    skills = await client.patch(
        f"/v1/seekers/{seeker_id}",
        content=json.dumps({"skills": [bad]}),
        # English problem details: the message is asserted below (Chinese is the default).
        headers=staff() | {"Content-Type": "application/json", "Accept-Language": "en"},
    )
    enterprise = await client.post(
        "/v1/enterprises",
        content=json.dumps(
            {
                "uscc": ENTERPRISE,
                "name": f"扬州{bad}科技",
                "city_code": "3210",
                "district_code": "321002",
                "industry_code": "C",
                "size": "small",
            }
        ),
        headers=staff() | {"Content-Type": "application/json", "Accept-Language": "en"},
    )

    for response in (skills, enterprise):
        assert response.status_code == 422, response.text
        if "\u0000" in bad:  # pydantic itself refuses a lone surrogate, with its own words
            assert "cannot be stored" in response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert any(e["field"].endswith("name") for e in enterprise.json()["errors"])
    assert not any(RESIDENT_ID in line or PHONE in line for line in log_lines)


async def test_an_unknown_job_post_in_a_service_record_is_a_422(client, log_lines) -> None:
    seeker_id = await _seeker(client)

    r = await client.post(
        f"/v1/seekers/{seeker_id}/services",
        json={
            "programme": "graduate_131",
            "kind": "job_recommendation",
            "job_post_id": str(uuid.uuid4()),
            "note": f"电话 {PHONE}，身份证 {RESIDENT_ID}",
        },
        headers=staff(),
    )

    assert r.status_code in (404, 422), r.text
    assert r.status_code != 500
    body = r.text
    assert RESIDENT_ID not in body and PHONE not in body
    assert not any(RESIDENT_ID in line or PHONE in line for line in log_lines)
    assert not any("[parameters:" in line for line in log_lines)


def test_the_json_formatter_masks_what_any_path_writes() -> None:
    formatter = JsonFormatter("test")
    try:
        raise RuntimeError(f"INSERT failed for {RESIDENT_ID} / {PHONE}")
    except RuntimeError:
        record = logging.LogRecord(
            "x",
            logging.ERROR,
            __file__,
            1,
            "boom %s",
            (PHONE,),
            exc_info=__import__("sys").exc_info(),
        )
        record.extra_field = RESIDENT_ID
    line = formatter.format(record)
    assert RESIDENT_ID not in line and PHONE not in line
    assert "139****5678" in line
