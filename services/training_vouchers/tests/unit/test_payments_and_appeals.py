"""The payment files (SUXIN-PAY-1, SUXIN-PAYRESULT-1) and appeal attachments, as pure code."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime

import pytest

from suxin_common.attachments import MAX_ATTACHMENT_BYTES, AttachmentProblem, checked_attachment
from suxin_devkit.testing import make_resident_id
from training_vouchers.domain import payments
from training_vouchers.domain.payments import FileProblem, Outcome, Payment, PaymentStatus

AT = datetime(2026, 12, 7, 2, tzinfo=UTC)
BATCH = uuid.UUID(int=7)


def payment(n: int, amount: int = 100_000) -> Payment:
    return Payment(
        id=uuid.UUID(int=n),
        case_id=uuid.UUID(int=1000 + n),
        attempt=1,
        payer_account="JSRS-JYZJ-3210",
        payee_type="enterprise",
        payee_ref="91321000MA1XXXXX18",
        amount_fen=amount,
        status=PaymentStatus.QUEUED,
        approvers=("a", "b"),
        queued_at=AT,
    )


def resign(content: bytes) -> bytes:
    """The file with its trailer's checksum recomputed (a consistent but wrong file)."""
    lines = content.decode().splitlines(keepends=True)
    body = "".join(lines[:-1])
    fields = lines[-1].rstrip("\n").split(",")
    fields[3] = hashlib.sha256(body.encode()).hexdigest()
    return (body + ",".join(fields) + "\n").encode()


def test_a_batch_file_round_trips_with_its_totals() -> None:
    ps = [payment(1), payment(2, 250_000)]
    content = payments.batch_file(BATCH, "B-1", "JSRS-JYZJ-3210", date(2026, 12, 7), ps)

    parsed = payments.parse_batch_file(content)

    assert (parsed.batch_id, parsed.total_fen) == (BATCH, 350_000)
    assert [(x.seq, x.payment_id, x.amount_fen) for x in parsed.lines] == [
        (1, ps[0].id, 100_000),
        (2, ps[1].id, 250_000),
    ]
    assert parsed.sha256 == hashlib.sha256(content).hexdigest()


def test_result_files_are_checked_line_by_line() -> None:
    rows = [
        (uuid.UUID(int=1), 100_000, Outcome.PAID, "BK1", "", ""),
        (uuid.UUID(int=2), 250_000, Outcome.RETURNED, "", "R03", "账户已销户"),
    ]
    good = payments.result_file(BATCH, "JSRS-JYZJ-3210", rows)
    assert payments.parse_result_file(good).paid_total_fen == 100_000

    with pytest.raises(FileProblem, match="checksum"):
        payments.parse_result_file(good.replace(b"BK1", b"BK2"))
    with pytest.raises(FileProblem, match="control total"):
        payments.parse_result_file(resign(good.replace(b",100000,PAID", b",100001,PAID")))
    with pytest.raises(FileProblem, match="result must be one of") as bad:
        payments.parse_result_file(resign(good.replace(b"RETURNED", b"LOST")))
    assert bad.value.line == 3
    with pytest.raises(FileProblem, match="return_code"):
        payments.parse_result_file(payments.result_file(BATCH, "X", [rows[1][:4] + ("", "")]))
    with pytest.raises(FileProblem, match="twice"):
        payments.parse_result_file(payments.result_file(BATCH, "X", [rows[0], rows[0]]))
    with pytest.raises(FileProblem, match="UTF-8"):
        payments.parse_result_file(b"\xff\xfe")
    for garbage in (b"H,\x00\nT,0,0,x\n", b"\n\n\n", b'"\n"', b"T\n" * 3):
        with pytest.raises(FileProblem):
            payments.parse_result_file(garbage)
    parsed = payments.parse_result_file(good)
    with pytest.raises(FileProblem, match="not in this batch"):
        payments.check_against_batch(parsed, BATCH, [payment(1)])
    with pytest.raises(FileProblem, match="differs"):
        payments.check_against_batch(parsed, BATCH, [payment(1, 99), payment(2, 250_000)])
    with pytest.raises(FileProblem, match="is for batch"):
        payments.check_against_batch(parsed, uuid.UUID(int=8), [payment(1), payment(2)])


def test_a_returned_payment_is_queued_again_as_a_new_attempt() -> None:
    returned = payment(1)
    again = payments.next_attempt(returned, AT)
    assert (again.attempt, again.status, again.case_id) == (
        2,
        PaymentStatus.QUEUED,
        returned.case_id,
    )
    assert again.id != returned.id and again.batch_id is None


PDF = b"%PDF-1.7\n" + b"0" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_attachment_is_checked_and_its_name_masked() -> None:
    rid = make_resident_id(5)
    ok = checked_attachment(f"证明-{rid}.pdf", "application/pdf", PDF, 0)
    assert rid not in ok.file_name and ok.file_name.startswith(f"证明-{rid[:4]}")
    assert (ok.size_bytes, ok.sha256) == (len(PDF), hashlib.sha256(PDF).hexdigest())

    cases = [
        (("a.png", "application/pdf", PNG), "attachments[0].content_base64"),
        (("a.html", "text/html", b"<html></html>"), "attachments[0].content_type"),
        (("a.pdf", "application/pdf", b""), "attachments[0].content_base64"),
        (
            ("a.pdf", "application/pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES),
            "attachments[0].content_base64",
        ),
    ]
    for args, field in cases:
        with pytest.raises(AttachmentProblem) as refused:
            checked_attachment(*args, 0)
        assert refused.value.field == field
