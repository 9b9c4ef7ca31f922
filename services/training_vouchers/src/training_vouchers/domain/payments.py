"""Payments (拨付): the queue of approved amounts, batches for the paying bank or treasury, and
the reconciliation of the result file the bank sends back.

The batch file and the result file are one documented format each (docs/money.md): UTF-8 CSV
with a header record (H), one detail record per payment (D) and a trailer record (T) holding the
control totals and the SHA-256 of every byte before the trailer line. Pure code: no I/O.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from suxin_common import errors

BATCH_FORMAT = "SUXIN-PAY-1"
RESULT_FORMAT = "SUXIN-PAYRESULT-1"
BATCH_COLUMNS = ("record", "seq", "payment_id", "payee_type", "payee_ref", "amount_fen", "memo")
RESULT_COLUMNS = (
    "record",
    "seq",
    "payment_id",
    "amount_fen",
    "result",
    "bank_reference",
    "return_code",
    "return_reason",
)
MAX_RESULT_BYTES = 5 * 1024 * 1024


class PaymentStatus(StrEnum):
    QUEUED = "queued"  # 待拨付: waits for a batch
    BATCHED = "batched"  # 已编批: in a batch not yet settled
    PAID = "paid"  # 已支付
    RETURNED = "returned"  # 退回 (e.g. closed account): a new attempt is queued
    RETRY = "retry"  # 待重发: the bank did not process it; a new attempt is queued
    CANCELLED = "cancelled"  # withdrawn before it went out (an appeal reopened the case)


class Outcome(StrEnum):
    """What the bank says about one payment in the result file."""

    PAID = "PAID"
    RETURNED = "RETURNED"
    RETRY = "RETRY"


class BatchStatus(StrEnum):
    PREPARED = "prepared"  # 已编制: waits for a second person to release it
    RELEASED = "released"  # 已放行: sent to the bank
    REFUSED = "refused"  # 放行被拒: its payments went back to the queue
    RECONCILED = "reconciled"  # 已对账: every payment has an outcome


@dataclass(frozen=True)
class Payment:
    id: uuid.UUID
    case_id: uuid.UUID
    attempt: int
    payer_account: str
    payee_type: str  # enterprise | person
    payee_ref: str
    amount_fen: int
    status: PaymentStatus
    approvers: tuple[str, ...]
    queued_at: datetime
    batch_id: uuid.UUID | None = None
    settled_at: datetime | None = None
    bank_reference: str | None = None
    return_code: str | None = None
    return_reason: str | None = None


def next_attempt(p: Payment, at: datetime) -> Payment:
    """A returned or unprocessed payment queued again as a new attempt."""
    return replace(
        p,
        id=uuid.uuid4(),
        attempt=p.attempt + 1,
        status=PaymentStatus.QUEUED,
        batch_id=None,
        queued_at=at,
        settled_at=None,
        bank_reference=None,
        return_code=None,
        return_reason=None,
    )


class FileProblem(errors.RuleViolation, ValueError):
    """A batch or result file that does not follow its format (422 naming ``file``, with the
    ``line``, 1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(
            f"line {line}: {message}" if line else message, field="file", extra={"line": line}
        )
        self.line = line


def _csv_line(fields: Sequence[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def batch_file(
    batch_id: uuid.UUID, name: str, payer_account: str, day: date, payments: Sequence[Payment]
) -> bytes:
    """The batch file for the bank: header, one line per payment, trailer with totals."""
    total = sum(p.amount_fen for p in payments)
    body = _csv_line(
        ["H", BATCH_FORMAT, str(batch_id), name, payer_account, day.isoformat(), len(payments)]
    )
    for seq, p in enumerate(payments, start=1):
        memo = f"subsidy case {p.case_id} attempt {p.attempt}"
        body += _csv_line(["D", seq, str(p.id), p.payee_type, p.payee_ref, p.amount_fen, memo])
    return (body + _csv_line(["T", len(payments), total, _checksum(body)])).encode("utf-8")


@dataclass(frozen=True)
class BatchLine:
    seq: int
    payment_id: uuid.UUID
    payee_type: str
    payee_ref: str
    amount_fen: int


@dataclass(frozen=True)
class BatchFile:
    batch_id: uuid.UUID
    name: str
    payer_account: str
    day: date
    lines: tuple[BatchLine, ...]
    total_fen: int
    sha256: str


@dataclass(frozen=True)
class ResultLine:
    seq: int
    payment_id: uuid.UUID
    amount_fen: int
    outcome: Outcome
    bank_reference: str
    return_code: str
    return_reason: str


@dataclass(frozen=True)
class ResultFile:
    batch_id: uuid.UUID
    payer_account: str
    lines: tuple[ResultLine, ...]
    paid_total_fen: int


def _records(content: bytes) -> tuple[list[list[str]], list[str]]:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise FileProblem("the file is not UTF-8") from None
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        raise FileProblem("a file needs at least a header and a trailer")
    records = []
    for n, line in enumerate(lines, start=1):
        try:
            records.append(next(csv.reader([line]), []) if line.strip() else [])
        except csv.Error as exc:
            raise FileProblem(f"not CSV: {exc}", n) from None
    return records, lines


def _int(value: str, what: str, line: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise FileProblem(f"{what} must be an integer, got {value!r}", line) from None
    if number < 0:
        raise FileProblem(f"{what} must not be negative", line)
    return number


def _id(value: str, line: int) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise FileProblem(f"not an id: {value!r}", line) from None


def _frame(content: bytes, fmt: str, width: int) -> tuple[list[str], list[list[str]], list[str]]:
    """Header, detail records and trailer, with the checksum verified."""
    records, lines = _records(content)
    header, trailer = records[0], records[-1]
    if len(header) < 3 or header[0] != "H" or header[1] != fmt:
        raise FileProblem(f"the header must start with H,{fmt}", 1)
    if len(trailer) != 4 or trailer[0] != "T":
        raise FileProblem("the last line must be the trailer T,count,total,sha256", len(lines))
    if _checksum("".join(lines[:-1])) != trailer[3]:
        raise FileProblem("checksum mismatch: the file was changed or cut", len(lines))
    details = records[1:-1]
    for n, record in enumerate(details, start=2):
        if len(record) != width or record[0] != "D":
            raise FileProblem(f"a detail record has {width} fields and starts with D", n)
    if _int(trailer[1], "the trailer's count", len(lines)) != len(details):
        raise FileProblem("control count does not match the detail records", len(lines))
    return header, details, trailer


def parse_batch_file(content: bytes) -> BatchFile:
    header, details, trailer = _frame(content, BATCH_FORMAT, len(BATCH_COLUMNS))
    if len(header) != 7:
        raise FileProblem("the header is H,format,batch_id,name,payer_account,day,count", 1)
    lines = tuple(
        BatchLine(
            seq=_int(r[1], "seq", n),
            payment_id=_id(r[2], n),
            payee_type=r[3],
            payee_ref=r[4],
            amount_fen=_int(r[5], "amount_fen", n),
        )
        for n, r in enumerate(details, start=2)
    )
    total = sum(line.amount_fen for line in lines)
    if _int(trailer[2], "the trailer's total", len(details) + 2) != total:
        raise FileProblem("control total does not match the detail amounts", len(details) + 2)
    try:
        day = date.fromisoformat(header[5])
    except ValueError:
        raise FileProblem(f"the batch day must be an ISO date, got {header[5]!r}", 1) from None
    return BatchFile(
        batch_id=_id(header[2], 1),
        name=header[3],
        payer_account=header[4],
        day=day,
        lines=lines,
        total_fen=total,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def parse_result_file(content: bytes) -> ResultFile:
    """The bank's result file, checked: format, checksum, control count and paid total."""
    if len(content) > MAX_RESULT_BYTES:
        raise FileProblem(f"a result file is at most {MAX_RESULT_BYTES} bytes")
    header, details, trailer = _frame(content, RESULT_FORMAT, len(RESULT_COLUMNS))
    if len(header) != 5:
        raise FileProblem("the header is H,format,batch_id,payer_account,count", 1)
    lines = []
    for n, r in enumerate(details, start=2):
        try:
            outcome = Outcome(r[4])
        except ValueError:
            allowed = ", ".join(o.value for o in Outcome)
            raise FileProblem(f"result must be one of {allowed}", n) from None
        if outcome is not Outcome.PAID and not r[6]:
            raise FileProblem("a returned or retried payment needs a return_code", n)
        lines.append(
            ResultLine(
                seq=_int(r[1], "seq", n),
                payment_id=_id(r[2], n),
                amount_fen=_int(r[3], "amount_fen", n),
                outcome=outcome,
                bank_reference=r[5],
                return_code=r[6],
                return_reason=r[7],
            )
        )
    paid = sum(line.amount_fen for line in lines if line.outcome is Outcome.PAID)
    if _int(trailer[2], "the trailer's paid total", len(details) + 2) != paid:
        raise FileProblem("control total does not match the paid amounts", len(details) + 2)
    if len({line.payment_id for line in lines}) != len(lines):
        raise FileProblem("a payment appears twice in the result file")
    return ResultFile(
        batch_id=_id(header[2], 1), payer_account=header[3], lines=tuple(lines), paid_total_fen=paid
    )


def result_file(
    batch_id: uuid.UUID,
    payer_account: str,
    rows: Sequence[tuple[uuid.UUID, int, Outcome, str, str, str]],
) -> bytes:
    """A result file as the bank writes it (for tests, docs and a bank simulator): rows are
    (payment_id, amount_fen, outcome, bank_reference, return_code, return_reason)."""
    body = _csv_line(["H", RESULT_FORMAT, str(batch_id), payer_account, len(rows)])
    for seq, (pid, amount, outcome, ref, code, reason) in enumerate(rows, start=1):
        body += _csv_line(["D", seq, str(pid), amount, outcome.value, ref, code, reason])
    paid = sum(r[1] for r in rows if r[2] is Outcome.PAID)
    return (body + _csv_line(["T", len(rows), paid, _checksum(body)])).encode("utf-8")


def check_against_batch(result: ResultFile, batch_id: uuid.UUID, payments: Sequence[Payment]):
    """Every result line names a payment of this batch with its amount; else FileProblem."""
    if result.batch_id != batch_id:
        raise FileProblem(f"the result file is for batch {result.batch_id}, not {batch_id}", 1)
    by_id = {p.id: p for p in payments}
    for n, line in enumerate(result.lines, start=2):
        payment = by_id.get(line.payment_id)
        if payment is None:
            raise FileProblem(f"payment {line.payment_id} is not in this batch", n)
        if payment.amount_fen != line.amount_fen:
            raise FileProblem(
                f"amount {line.amount_fen} differs from the batch's {payment.amount_fen}", n
            )
