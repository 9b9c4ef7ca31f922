"""Batches over HTTP: CSV and JSON Lines, one event per change, duplicates, checksums,
malformed rows in both modes, progress and the per-row report."""

from __future__ import annotations

import asyncio
import os

import pytest
from sqlalchemy import text

from data_exchange.handlers.batches import process_pending
from suxin.dataexchange.v1 import facts_pb2 as facts_pb
from suxin_devkit.testing import make_uscc, scalar

from .conftest import (
    EDUCATION,
    EMPLOYER,
    INDUSTRY,
    SOCIAL_INSURANCE,
    STAFF,
    bearer,
    csv_bytes,
    errors_of,
    facts_published,
    jsonl_bytes,
    manifest,
    person,
    send,
    send_and_apply,
)

pytestmark = pytest.mark.integration

ENROLMENT_HEADER = ["resident_id", "uscc", "enrolled_on", "ended_on", "district_code"]


def enrolments(*people: int, ended: str = "") -> list[list]:
    return [[person(n), EMPLOYER, "2026-03-01", ended, "321002"] for n in people]


async def test_a_csv_batch_publishes_one_fact_per_change_and_nothing_for_a_repeat(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1, 2, 3, 4))
    body = manifest("social_insurance", "si_enrolment", data, 4)
    batch = await send_and_apply(client, runtime, SOCIAL_INSURANCE, body, data)
    assert batch["status"] == "applied"
    assert (batch["rows_read"], batch["rows_applied"], batch["facts_new"]) == (4, 4, 4)
    assert batch["progress"] == 1.0
    events = await facts_published(runtime)
    assert len(events) == 4
    first = events[0]
    assert first.kind == facts_pb.FACT_KIND_SOCIAL_INSURANCE_ENROLMENT
    assert first.department == facts_pb.DEPARTMENT_SOCIAL_INSURANCE
    assert first.subject_kind == facts_pb.SUBJECT_KIND_PERSON
    assert first.person_key.startswith("pk_") and first.enterprise_uscc == EMPLOYER
    assert first.version == 1 and not first.revoked
    assert first.enrolment.enrolled_on.month == 3 and first.enrolment.district_code == "321002"
    assert first.evidence_ref == f"{batch['id']}#1"
    assert first.as_of_date.month == 11 and first.as_of_date.day == 30

    # Next month's file: one person left (ended_on), three unchanged, one new.
    rows = enrolments(1, 2, 3) + enrolments(4, ended="2026-11-15") + enrolments(5)
    data = csv_bytes(ENROLMENT_HEADER, rows)
    body = manifest("social_insurance", "si_enrolment", data, 5, period="2026-12-01")
    batch = await send_and_apply(client, runtime, SOCIAL_INSURANCE, body, data)
    assert (batch["facts_new"], batch["facts_changed"], batch["facts_unchanged"]) == (1, 1, 3)
    events = await facts_published(runtime)
    assert len(events) == 6
    changed = [e for e in events if e.version == 2]
    assert len(changed) == 1 and changed[0].enrolment.ended_on.day == 15
    assert changed[0].fact_key == events[3].fact_key


async def test_a_jsonl_batch_all_or_nothing_applies_every_row(client, runtime):
    rows = [
        {
            "resident_id": person(n),
            "education_level": 5,
            "school": "扬州大学",
            "graduation_date": "2026-06-30",
            "full_time": True,
        }
        for n in range(1, 8)
    ]
    data = jsonl_bytes(rows)
    body = manifest("education", "education", data, 7, format="jsonl", mode="all_or_nothing")
    batch = await send_and_apply(client, runtime, EDUCATION, body, data)
    assert batch["status"] == "applied" and batch["facts_new"] == 7
    events = await facts_published(runtime)
    assert {e.education.school for e in events} == {"扬州大学"}
    assert all(e.education.education_level == 5 and e.education.full_time for e in events)
    assert await scalar(runtime.engine, "SELECT count(*) FROM fact_versions") == 7


async def test_a_duplicate_batch_is_reported_and_changes_nothing(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1, 2))
    body = manifest("social_insurance", "si_enrolment", data, 2)
    first = await send_and_apply(client, runtime, SOCIAL_INSURANCE, body, data)
    # Declared again: refused at once, naming the first batch.
    r = await client.post("/v1/batches", json=body, headers=SOCIAL_INSURANCE)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate-batch" and r.json()["duplicate_of"] == first["id"]
    # Declared under a different checksum, but the bytes are the same file: caught on upload.
    other = await client.post(
        "/v1/batches", json=body | {"sha256": "0" * 64}, headers=SOCIAL_INSURANCE
    )
    assert other.status_code == 201
    assert len(await facts_published(runtime)) == 2


async def test_a_checksum_mismatch_rejects_the_batch_and_changes_nothing(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1, 2))
    body = manifest("social_insurance", "si_enrolment", data, 2)
    tampered = data.replace(b"2026-03-01", b"2026-04-01", 1)
    r = await send(client, SOCIAL_INSURANCE, body, tampered, expect=422)
    problem = r.json()
    assert problem["errors"][0]["field"] == "sha256"
    assert problem["errors"][0]["code"] == "checksum_mismatch"
    batch_id = (await client.get("/v1/batches", headers=SOCIAL_INSURANCE)).json()["items"][0]["id"]
    batch = (await client.get(f"/v1/batches/{batch_id}", headers=STAFF)).json()
    assert batch["status"] == "rejected" and batch["reject_code"] == "checksum_mismatch"
    assert await errors_of(client, batch_id, STAFF) == [(0, "file", "checksum_mismatch")]
    assert await process_pending(runtime) == 0
    assert await facts_published(runtime) == []
    spooled = await asyncio.to_thread(os.listdir, runtime.settings.spool_dir)
    assert spooled == []  # the file is gone
    # The same file, correctly declared, is not a duplicate of the rejected one.
    r = await send(client, SOCIAL_INSURANCE, body | {"period": "2026-11"}, data)
    assert r.json()["status"] == "received"


async def test_malformed_rows_row_by_row_apply_the_good_rows_and_report_the_bad(client, runtime):
    rows = [
        enrolments(1)[0],
        ["11010119900307123X", EMPLOYER, "2026-03-01", "", "321002"],  # bad check digit
        [person(3), "91320100000000000X", "2026-03-01", "", "321002"],  # bad USCC
        [person(4), EMPLOYER, "2026-13-01", "", "999999"],  # bad date and district
        [person(5), EMPLOYER, "2026-03-01", "2026-02-01", "321002"],  # ends before it starts
        enrolments(6)[0],
    ]
    data = csv_bytes(ENROLMENT_HEADER, rows) + b'"' + person(7).encode() + b'",only-two\n'
    body = manifest("social_insurance", "si_enrolment", data, 7)
    batch = await send_and_apply(client, runtime, SOCIAL_INSURANCE, body, data)
    assert batch["status"] == "partially_applied"
    assert (batch["rows_applied"], batch["rows_failed"], batch["facts_new"]) == (2, 5, 2)
    assert await errors_of(client, batch["id"], SOCIAL_INSURANCE) == [
        (2, "resident_id", "invalid_resident_id"),
        (3, "uscc", "invalid_uscc"),
        (4, "district_code", "invalid_district"),
        (4, "enrolled_on", "invalid_date"),
        (5, "ended_on", "ends_before_start"),
        (7, "*", "wrong_field_count"),
    ]
    r = await client.get(f"/v1/batches/{batch['id']}/errors", headers=SOCIAL_INSURANCE)
    reasons = {e["code"]: e["reason"] for e in r.json()["items"]}
    assert reasons["invalid_resident_id"] == "公民身份号码无效（长度、校验位或出生日期）"
    english = {
        e["code"]: e["reason"]
        for e in (
            await client.get(
                f"/v1/batches/{batch['id']}/errors",
                headers=SOCIAL_INSURANCE | {"Accept-Language": "en"},
            )
        ).json()["items"]
    }
    assert english["invalid_resident_id"] == (
        "not a valid resident ID (length, check digit or date of birth)"
    )
    assert english["invalid_district"] == (
        "the field district_code must be a six-digit Jiangsu division code (32xxxx)"
    )
    assert english["ends_before_start"] == "the enrolment ends before it starts"
    assert english["wrong_field_count"].startswith("the row has 2 fields, the header ")
    events = await facts_published(runtime)
    assert [e.evidence_ref.rsplit("#", 1)[1] for e in events] == ["1", "6"]


async def test_malformed_rows_all_or_nothing_reject_the_whole_batch(client, runtime):
    rows = [
        {
            "resident_id": person(1),
            "education_level": 5,
            "school": "南京大学",
            "graduation_date": "2026-06-30",
            "full_time": True,
        },
        {
            "resident_id": person(2),
            "education_level": 9,
            "school": "南京大学",
            "graduation_date": "2026-06-30",
            "full_time": "maybe",
            "nickname": "x",
        },
        {
            "resident_id": person(3),
            "education_level": 6,
            "school": "南京大学",
            "graduation_date": "2026-06-30",
            "full_time": False,
        },
    ]
    for n in range(4, 9):
        rows.append(rows[0] | {"resident_id": person(n)})
    data = jsonl_bytes(rows) + b"not json\n"
    body = manifest("education", "education", data, 9, format="jsonl", mode="all_or_nothing")
    batch = await send_and_apply(client, runtime, EDUCATION, body, data)
    assert batch["status"] == "rejected" and batch["reject_code"] == "row_errors"
    assert batch["rows_applied"] == 0 and batch["rows_failed"] == 2 and batch["rows_read"] == 9
    assert await errors_of(client, batch["id"], EDUCATION) == [
        (0, "rows", "row_errors"),
        (2, "education_level", "out_of_range"),
        (2, "full_time", "not_a_boolean"),
        (2, "nickname", "unknown_field"),
        (9, "*", "malformed_json"),
    ]
    assert await facts_published(runtime) == []
    assert await scalar(runtime.engine, "SELECT count(*) FROM facts") == 0


async def test_row_count_mismatch_and_bad_headers_reject_before_any_row(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1, 2, 3))
    body = manifest("social_insurance", "si_enrolment", data, 4)
    batch = await send_and_apply(client, runtime, SOCIAL_INSURANCE, body, data)
    assert batch["status"] == "rejected" and batch["reject_code"] == "row_count_mismatch"
    assert "文件有 3 行，清单声明 4 行" in batch["reject_reason"]
    again = await client.get(
        f"/v1/batches/{batch['id']}", headers=SOCIAL_INSURANCE | {"Accept-Language": "en"}
    )
    assert again.json()["reject_reason"] == "the file has 3 rows, the manifest declares 4"

    data = csv_bytes(
        ["resident_id", "uscc", "enrolled_on", "colour"],
        [[person(1), EMPLOYER, "2026-01-01", "red"]],
    )
    body = manifest("social_insurance", "si_enrolment", data, 1)
    batch = await send_and_apply(client, runtime, SOCIAL_INSURANCE, body, data)
    assert batch["status"] == "rejected" and batch["reject_code"] == "missing_columns"
    assert await facts_published(runtime) == []


async def test_manifests_are_checked_against_the_sending_department(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1))
    body = manifest("social_insurance", "si_enrolment", data, 1)
    cases = [
        (
            body | {"department": "weather_bureau"},
            SOCIAL_INSURANCE,
            "department",
            "unknown_department",
        ),
        (body, EDUCATION, "department", "not_your_department"),
        (
            body | {"department": "industry", "feed": "education"},
            INDUSTRY,
            "feed",
            "feed_not_owned",
        ),
        (body | {"sha256": "xyz"}, SOCIAL_INSURANCE, "sha256", "invalid_sha256"),
        (body | {"rows": -1}, SOCIAL_INSURANCE, "rows", "invalid_row_count"),
        (body | {"mode": "some"}, SOCIAL_INSURANCE, "mode", "unknown_mode"),
        (body | {"period": "2026-13"}, SOCIAL_INSURANCE, "period", "invalid_period"),
    ]
    for sent, headers, field, code in cases:
        r = await client.post("/v1/batches", json=sent, headers=headers)
        assert r.status_code == 422, (sent, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["field"] == field and r.json()["errors"][0]["code"] == code
    # Not a department client at all, a client naming no department, or one without the scope.
    assert (await client.post("/v1/batches", json=body, headers=STAFF)).status_code == 403
    nameless = bearer("service", "c", ("feeds:write",))
    assert (await client.post("/v1/batches", json=body, headers=nameless)).status_code == 403
    read_only = bearer("service", "c", (), department="social_insurance")
    assert (await client.post("/v1/batches", json=body, headers=read_only)).status_code == 403
    # Unknown fields in the manifest are refused by name.
    r = await client.post("/v1/batches", json=body | {"owner": "x"}, headers=SOCIAL_INSURANCE)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "owner"
    assert await scalar(runtime.engine, "SELECT count(*) FROM batches") == 0


async def test_departments_see_only_their_own_batches(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1))
    batch = await send_and_apply(
        client,
        runtime,
        SOCIAL_INSURANCE,
        manifest("social_insurance", "si_enrolment", data, 1),
        data,
    )
    assert (await client.get(f"/v1/batches/{batch['id']}", headers=EDUCATION)).status_code == 404
    assert (await client.get(f"/v1/batches/{batch['id']}", headers=STAFF)).status_code == 200
    assert (await client.get("/v1/batches", headers=EDUCATION)).json()["items"] == []


async def test_an_upload_needs_its_content_length_and_a_waiting_batch(client, runtime):
    data = csv_bytes(ENROLMENT_HEADER, enrolments(1))
    r = await client.post(
        "/v1/batches",
        json=manifest("social_insurance", "si_enrolment", data, 1),
        headers=SOCIAL_INSURANCE,
    )

    async def chunked():
        yield data

    r2 = await client.put(r.json()["upload"], content=chunked(), headers=SOCIAL_INSURANCE)
    assert r2.status_code == 411
    assert (
        await client.put(r.json()["upload"], content=data, headers=SOCIAL_INSURANCE)
    ).status_code == 202
    r3 = await client.put(r.json()["upload"], content=data, headers=SOCIAL_INSURANCE)
    assert r3.status_code == 409


async def test_a_fact_stated_twice_in_one_batch_is_two_versions_in_file_order(client, runtime):
    rows = enrolments(1) + enrolments(1, ended="2026-10-31")
    data = csv_bytes(ENROLMENT_HEADER, rows)
    batch = await send_and_apply(
        client,
        runtime,
        SOCIAL_INSURANCE,
        manifest("social_insurance", "si_enrolment", data, 2),
        data,
    )
    assert (batch["facts_new"], batch["facts_changed"]) == (1, 1)
    events = await facts_published(runtime)
    assert [(e.version, e.enrolment.HasField("ended_on")) for e in events] == [
        (1, False),
        (2, True),
    ]


async def test_lists_revoke_and_enterprises_are_keyed_by_uscc(client, runtime):
    firm = make_uscc(42, region="320100")
    header = ["uscc", "name", "list_year", "level", "valid_from", "valid_until", "status"]
    data = csv_bytes(
        header, [[firm, "某精密机械有限公司", "2025", "省级", "2025-01-01", "2027-12-31", "有效"]]
    )
    await send_and_apply(
        client, runtime, INDUSTRY, manifest("industry", "specialized_sme", data, 1), data
    )
    data = csv_bytes(
        header, [[firm, "某精密机械有限公司", "2025", "省级", "2025-01-01", "2027-12-31", "撤销"]]
    )
    batch = await send_and_apply(
        client,
        runtime,
        INDUSTRY,
        manifest("industry", "specialized_sme", data, 1, period="2026-12"),
        data,
    )
    assert batch["facts_revoked"] == 1
    events = await facts_published(runtime)
    assert [(e.fact_key, e.version, e.revoked) for e in events] == [
        (f"specialized_sme:{firm}", 1, False),
        (f"specialized_sme:{firm}", 2, True),
    ]
    assert events[0].subject_kind == facts_pb.SUBJECT_KIND_ENTERPRISE
    assert events[0].list_membership.level == facts_pb.LIST_LEVEL_PROVINCIAL
    assert events[1].valid_until.year == 2027
    r = await client.get("/v1/facts", params={"uscc": firm}, headers=STAFF)
    assert r.status_code == 200 and r.json()[0]["revoked"] is True and r.json()[0]["version"] == 2
    assert await scalar(runtime.engine, "SELECT count(*) FROM fact_versions") == 2


async def test_a_worker_that_dies_mid_batch_is_resumed_after_its_checkpoint(
    client, runtime, monkeypatch
):
    """Row by row: chunks commit with a checkpoint; another attempt after the lease runs out
    continues after it, so every row changes its fact exactly once."""
    from data_exchange.handlers import batches as handlers

    rows = enrolments(*range(1, 11))  # 10 rows, chunks of 3
    data = csv_bytes(ENROLMENT_HEADER, rows)
    r = await send(
        client, SOCIAL_INSURANCE, manifest("social_insurance", "si_enrolment", data, 10), data
    )
    real, calls = handlers.apply_facts, 0

    async def dies_on_the_third_chunk(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 3:
            raise ConnectionError("worker lost its database connection")
        return await real(*args, **kwargs)

    monkeypatch.setattr(handlers, "apply_facts", dies_on_the_third_chunk)
    assert await process_pending(runtime) == 1
    batch = (await client.get(f"/v1/batches/{r.json()['id']}", headers=STAFF)).json()
    assert batch["status"] == "processing" and batch["rows_read"] == 6
    assert len(await facts_published(runtime)) == 6

    monkeypatch.setattr(handlers, "apply_facts", real)
    assert await process_pending(runtime) == 0  # still leased to the first worker
    async with runtime.engine.begin() as conn:
        await conn.execute(text("UPDATE batches SET lease_until = now() - interval '1 second'"))
    assert await process_pending(runtime) == 1
    batch = (await client.get(f"/v1/batches/{r.json()['id']}", headers=STAFF)).json()
    assert batch["status"] == "applied"
    assert (batch["rows_read"], batch["rows_applied"], batch["facts_new"]) == (10, 10, 10)
    events = await facts_published(runtime)
    assert len(events) == 10 and {e.version for e in events} == {1}
    assert sorted(int(e.evidence_ref.rsplit("#", 1)[1]) for e in events) == list(range(1, 11))
