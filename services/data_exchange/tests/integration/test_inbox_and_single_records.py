"""The inbox directory and single records over HTTP."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from data_exchange import inbox
from data_exchange.handlers.batches import process_pending
from suxin_devkit.testing import scalar

from .conftest import (
    EDUCATION,
    EMPLOYER,
    SOCIAL_INSURANCE,
    STAFF,
    csv_bytes,
    facts_published,
    manifest,
    person,
    write_inbox,
)

pytestmark = pytest.mark.integration

HEADER = ["resident_id", "uscc", "enrolled_on", "ended_on", "district_code"]


def _read(path: Path) -> dict:
    return json.loads(path.read_text("utf-8"))


async def test_the_inbox_picks_up_complete_batches_and_reports_them(runtime):
    box = Path(runtime.settings.inbox_dir)
    good = csv_bytes(HEADER, [[person(n), EMPLOYER, "2026-02-01", "", "321002"] for n in (1, 2)])
    write_inbox(box, "si-2026-11", good, manifest("social_insurance", "si_enrolment", good, 2))
    # A file without its manifest yet is not complete: left alone.
    await asyncio.to_thread((box / "half.csv").write_bytes, good)
    # A manifest from a department sending a feed it does not own.
    bad = manifest("civil_affairs", "education", good, 2)
    write_inbox(box, "wrong", good, bad)

    receipts = await inbox.pick_up(runtime)
    assert sorted(r["status"] for r in receipts) == ["received", "rejected"]
    rejected = await asyncio.to_thread(_read, box / "rejected" / "wrong.receipt.json")
    assert rejected["code"] == "feed_not_owned" and rejected["field"] == "feed"
    assert await asyncio.to_thread((box / "half.csv").exists)
    assert not await asyncio.to_thread((box / "si-2026-11.csv").exists)

    assert await process_pending(runtime) == 1
    await inbox.write_reports(runtime)
    report = await asyncio.to_thread(_read, box / "done" / "si-2026-11.report.json")
    assert report["status"] == "applied" and report["facts_new"] == 2 and report["errors"] == []
    assert len(await facts_published(runtime)) == 2

    # The same file dropped again: a duplicate, nothing changes.
    write_inbox(box, "again", good, manifest("social_insurance", "si_enrolment", good, 2))
    receipts = await inbox.pick_up(runtime)
    assert receipts[0]["status"] == "duplicate" and receipts[0]["code"] == "duplicate_batch"
    assert await process_pending(runtime) == 0
    assert len(await facts_published(runtime)) == 2


async def test_the_inbox_rejects_a_checksum_mismatch(runtime):
    box = Path(runtime.settings.inbox_dir)
    data = csv_bytes(HEADER, [[person(1), EMPLOYER, "2026-02-01", "", "321002"]])
    body = manifest("social_insurance", "si_enrolment", data + b"\n", 1)
    write_inbox(box, "broken", data, body)
    [receipt] = await inbox.pick_up(runtime)
    assert receipt["status"] == "rejected" and receipt["code"] == "checksum_mismatch"
    assert await process_pending(runtime) == 0
    assert await scalar(runtime.engine, "SELECT count(*) FROM facts") == 0


async def test_single_records_apply_at_once_and_repeat_as_duplicates(client, runtime):
    record = {
        "resident_id": person(9),
        "education_level": 6,
        "school": "东南大学",
        "graduation_date": "2025-06-30",
        "full_time": "是",
    }
    r = await client.post("/v1/feeds/education/records", json={"record": record}, headers=EDUCATION)
    assert r.status_code == 200, r.text
    assert r.json()["change"] == "new" and r.json()["version"] == 1
    again = await client.post(
        "/v1/feeds/education/records", json={"record": record}, headers=EDUCATION
    )
    assert again.json()["change"] == "duplicate"
    assert again.json()["batch_id"] == r.json()["batch_id"]
    changed = await client.post(
        "/v1/feeds/education/records",
        json={"record": record | {"education_level": 7}},
        headers=EDUCATION,
    )
    assert changed.json()["change"] == "changed" and changed.json()["version"] == 2
    events = await facts_published(runtime)
    assert [e.education.education_level for e in events] == [6, 7]

    bad = await client.post(
        "/v1/feeds/education/records",
        json={"record": record | {"resident_id": "32100219900101001", "school": ""}},
        headers=EDUCATION,
    )
    assert bad.status_code == 422
    assert {(e["field"], e["code"]) for e in bad.json()["errors"]} == {
        ("record.resident_id", "invalid_resident_id"),
        ("record.school", "missing"),
    }
    foreign = await client.post(
        "/v1/feeds/education/records", json={"record": record}, headers=SOCIAL_INSURANCE
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "feed-not-owned"
    # Staff tokens are not department clients.
    r = await client.post("/v1/feeds/education/records", json={"record": record}, headers=STAFF)
    assert r.status_code == 403
    assert len(await facts_published(runtime)) == 2
