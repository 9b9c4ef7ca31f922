"""A migrated data-exchange database per test, its API (no NATS), and helpers to build and
send batch files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from data_exchange.app import create_app
from data_exchange.handlers.batches import process_pending
from data_exchange.settings import Settings
from suxin.dataexchange.v1 import events_pb2 as pb
from suxin_common.auth import mint_dev_token
from suxin_devkit.testing import api_client, make_resident_id, make_uscc, service_runtime

EMPLOYER = make_uscc(7001, region="321002")


def bearer(role: str, subject: str = "t", scopes: tuple[str, ...] = (), **tenant) -> dict:
    token = mint_dev_token(Settings(environment="test"), subject, [role], scopes=scopes, **tenant)
    return {"Authorization": f"Bearer {token}"}


def department(name: str) -> dict:
    """A department client's machine token."""
    return bearer("service", f"client-{name}", ("feeds:write",), department=name)


SOCIAL_INSURANCE = department("social_insurance")
EDUCATION = department("education")
INDUSTRY = department("industry")
STAFF = bearer("hrss_staff", "staff-province")


@pytest.fixture
async def runtime(infra, tmp_path):
    async with service_runtime(infra, "data-exchange", Settings) as rt:
        rt.settings = rt.settings.model_copy(
            update={
                "spool_dir": str(tmp_path / "spool"),
                "inbox_dir": str(tmp_path / "inbox"),
                "chunk_rows": 3,
            }
        )
        (tmp_path / "inbox").mkdir()
        yield rt


@pytest.fixture
async def client(runtime):
    async with api_client(create_app(runtime.settings), runtime) as c:
        yield c


def csv_bytes(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def manifest(department: str, feed: str, data: bytes, rows: int, **changes) -> dict:
    return {
        "department": department,
        "feed": feed,
        "period": "2026-11",
        "rows": rows,
        "sha256": hashlib.sha256(data).hexdigest(),
        "mode": "row_by_row",
        "format": "csv",
    } | changes


async def send(client, headers, body: dict, data: bytes, *, expect: int = 202):
    r = await client.post("/v1/batches", json=body, headers=headers)
    assert r.status_code == 201, r.text
    upload = r.json()["upload"]
    r = await client.put(upload, content=data, headers=headers)
    assert r.status_code == expect, r.text
    return r


async def send_and_apply(client, runtime, headers, body, data) -> dict:
    r = await send(client, headers, body, data)
    await process_pending(runtime)
    r = await client.get(f"/v1/batches/{r.json()['id']}", headers=headers)
    return r.json()


async def facts_published(runtime) -> list[pb.FactVerified]:
    """The FactVerified events in the outbox, in commit order and file order within one."""
    async with runtime.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT created_at, payload FROM outbox"
                " WHERE subject = 'suxin.dataexchange.fact_verified.v1'"
            )
        )
        events = [(at, pb.FactVerified.FromString(bytes(p))) for at, p in rows]
    events.sort(key=lambda e: (e[0], e[1].evidence_ref.rsplit("#", 1)[-1].zfill(12)))
    return [e for _, e in events]


async def errors_of(client, batch_id: str, headers) -> list[tuple]:
    r = await client.get(f"/v1/batches/{batch_id}/errors", headers=headers)
    assert r.status_code == 200, r.text
    return [(e["row"], e["field"], e["code"]) for e in r.json()["items"]]


def person(n: int) -> str:
    return make_resident_id(n, district="321002", born="19900101")


def write_inbox(inbox: Path, name: str, data: bytes, body: dict) -> None:
    (inbox / f"{name}.{body['format']}").write_bytes(data)
    (inbox / f"{name}.manifest.json").write_text(json.dumps(body), "utf-8")
