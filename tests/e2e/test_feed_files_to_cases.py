"""Facts from authority, from the files up: the departments' batch files (学历 as JSON Lines,
社保 enrolment as CSV, a month of 社保 contributions as JSON Lines), each with its manifest and
SHA-256, are uploaded to data-exchange by department clients; data-exchange turns them into
FactVerified events; a subsidy case that was waiting for exactly those facts moves on to review
by itself and shows each fact's source with the batch and row it came from."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from datetime import date, timedelta

import httpx
import pytest

from data_exchange.app import create_app as dx_app
from data_exchange.settings import Settings as DxSettings
from e2e.conftest import FAST
from e2e.scenario import ENTERPRISE, hire_graduate, open_enterprise
from suxin_common.auth import mint_dev_token
from suxin_common.migrate import upgrade_async
from suxin_devkit.testing import eventually, make_resident_id

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

N = 7  # the graduate of e2e.scenario.hire_graduate


def department(name: str) -> dict[str, str]:
    token = mint_dev_token(
        DxSettings(environment="test"),
        f"{name}-feed",
        ["service"],
        scopes=["feeds:write"],
        department=name,
    )
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def data_exchange(infra, in_process, tmp_path):
    url = await infra.create_database("data_exchange")
    await upgrade_async("data_exchange", url)
    app = dx_app(
        DxSettings(
            environment="test",
            database_url=url,
            nats_url=infra.nats_url,
            spool_dir=str(tmp_path / "spool"),
            **FAST,
        )
    )
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(app.router.lifespan_context(app))
        yield await stack.enter_async_context(
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://dx")
        )


async def upload(dx: httpx.AsyncClient, dept: str, feed: str, fmt: str, body: bytes, rows: int):
    manifest = {
        "department": dept,
        "feed": feed,
        "period": date.today().isoformat(),
        "rows": rows,
        "sha256": hashlib.sha256(body).hexdigest(),
        "mode": "all_or_nothing",
        "format": fmt,
        "file": f"{feed}.{fmt}",
    }
    declared = await dx.post("/v1/batches", json=manifest, headers=department(dept))
    assert declared.status_code == 201, declared.text
    batch_id = declared.json()["id"]
    sent = await dx.put(
        f"/v1/batches/{batch_id}/file",
        content=body,
        headers=department(dept) | {"Content-Length": str(len(body))},
    )
    assert sent.status_code == 202, sent.text

    async def applied() -> bool:
        r = await dx.get(f"/v1/batches/{batch_id}", headers=department(dept))
        return r.json()["status"] in ("applied", "done", "completed")

    await eventually(applied, within=60)
    return batch_id


async def test_department_files_move_a_waiting_case_on(in_process, data_exchange):
    c = in_process.clients
    post_id = await open_enterprise(c["job_matching"], 2)
    hire_id = await hire_graduate(c["job_matching"], c["talent_card"], post_id, N, confirm=False)
    resident_id = make_resident_id(N)

    async def case() -> dict | None:
        r = await c["training_vouchers"].get("/v1/subsidy-cases", params={"hire_id": hire_id})
        items = r.json()["items"]
        return items[0] if items else None

    await eventually(lambda: case(), within=30)
    assert (await case())["status"] == "awaiting_data"

    today = date.today()
    education = (
        json.dumps(
            {
                "resident_id": resident_id,
                "education_level": 6,
                "school": "南京大学",
                "graduation_date": (today - timedelta(days=150)).isoformat(),
                "full_time": True,
            },
            ensure_ascii=False,
        ).encode()
        + b"\n"
    )
    enrolment = io.StringIO()
    writer = csv.writer(enrolment, lineterminator="\n")
    writer.writerow(["resident_id", "uscc", "enrolled_on", "ended_on", "district_code"])
    writer.writerow([resident_id, ENTERPRISE, today.isoformat(), "", "321002"])
    month = today.strftime("%Y-%m")  # the first month paid for the new job
    contribution = (
        json.dumps(
            {
                "resident_id": resident_id,
                "uscc": ENTERPRISE,
                "month": month,
                "employer_pension_fen": 128000,
                "employer_medical_fen": 64000,
                "employer_unemployment_fen": 4000,
                "employer_work_injury_fen": 3200,
                "employer_maternity_fen": 6400,
                "employee_total_fen": 84000,
                "base_fen": 800000,
            }
        ).encode()
        + b"\n"
    )

    dx = data_exchange
    edu_batch = await upload(dx, "education", "education", "jsonl", education, 1)
    await upload(dx, "social_insurance", "si_enrolment", "csv", enrolment.getvalue().encode(), 1)
    await upload(dx, "social_insurance", "si_contribution", "jsonl", contribution, 1)

    async def reviewed() -> bool:
        return (await case())["status"] == "under_review"

    await eventually(reviewed, within=90)
    done = await case()
    assert done["waiting_for"] == []
    assert done["sources"]["education"]["source"] == "education"
    assert done["sources"]["education"]["evidence_ref"].startswith(str(edu_batch))
    assert done["sources"]["contract_type"]["source"] == "confirmed_hire"
