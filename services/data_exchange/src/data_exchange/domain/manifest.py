"""The manifest (批次清单) that comes with every batch file.

It says who sends what: department, feed, period, how many rows, the file's SHA-256, the file
format and whether the batch is applied all-or-nothing or row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from data_exchange.domain.departments import FEED_OWNER, Department, FeedKind
from suxin_common.i18n import text

_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_ROWS = 100_000_000


class Mode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"  # 整批生效：any bad row rejects the batch
    ROW_BY_ROW = "row_by_row"  # 逐行生效：good rows apply, bad rows are reported


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


@dataclass(frozen=True, slots=True)
class Manifest:
    department: Department
    feed: FeedKind
    period: str
    as_of: date
    rows: int
    sha256: str
    mode: Mode
    format: FileFormat
    file_name: str | None = None


class ManifestError(ValueError):
    """A manifest field is wrong: ``field``, an English ``code`` and the reason, in the
    request's language (Chinese outside a request)."""

    def __init__(self, field: str, code: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.code, self.reason = field, code, reason


def period_end(period: str) -> date:
    """The last day a period ("2026-11" or "2026-12-06") describes."""
    match = _PERIOD.match(period)
    if match is None:
        raise ManifestError(
            "period",
            "invalid_period",
            text("period 应为 YYYY-MM 或 YYYY-MM-DD", "period must be YYYY-MM or YYYY-MM-DD"),
        )
    year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
    if not 1 <= month <= 12:
        raise ManifestError(
            "period",
            "invalid_period",
            text("period 的月份应在 01 到 12 之间", "the month of period must be 01 to 12"),
        )
    try:
        if day is not None:
            return date(year, month, int(day))
        first_next = date(year + month // 12, month % 12 + 1, 1)
    except ValueError:
        raise ManifestError(
            "period",
            "invalid_period",
            text("period 不是有效的日期或月份", "period is not a valid date or month"),
        ) from None
    return first_next - timedelta(days=1)


def parse_manifest(raw: Any, *, sender: Department | None = None) -> Manifest:
    """Validate a manifest (a JSON object). ``sender`` is the department of the client that
    delivers it, when known: a department may send only its own feeds."""
    if not isinstance(raw, dict):
        raise ManifestError(
            "manifest",
            "not_an_object",
            text("清单应为 JSON 对象", "the manifest must be a JSON object"),
        )
    try:
        department = Department(str(raw.get("department", "")))
    except ValueError:
        raise ManifestError(
            "department", "unknown_department", text("未知的部门", "unknown department")
        ) from None
    if department is Department.HRSS_RECORDS:
        raise ManifestError(
            "department",
            "unknown_department",
            text(
                "人社经办记录由工作人员办理，不接受批量文件",
                "HRSS records are kept by staff, not sent as batch files",
            ),
        )
    if sender is not None and sender is not department:
        raise ManifestError(
            "department",
            "not_your_department",
            text(
                "清单中的部门与发送方不一致",
                "the manifest names another department than the sender",
            ),
        )
    try:
        feed = FeedKind(str(raw.get("feed", "")))
    except ValueError:
        raise ManifestError(
            "feed", "unknown_feed", text("未知的数据类别", "unknown feed")
        ) from None
    if FEED_OWNER[feed] is not department:
        raise ManifestError(
            "feed",
            "feed_not_owned",
            text("该部门无权报送此类数据", "this department may not send this feed"),
        )
    period = raw.get("period")
    if not isinstance(period, str):
        raise ManifestError("period", "missing", text("缺少 period", "period is missing"))
    end = period_end(period)
    as_of_raw = raw.get("as_of")
    if as_of_raw is None:
        as_of = min(end, date.today())  # a period still running is described up to today
    else:
        try:
            as_of = date.fromisoformat(str(as_of_raw))
        except ValueError:
            raise ManifestError(
                "as_of",
                "invalid_date",
                text("as_of 应为日期 YYYY-MM-DD", "as_of must be a date YYYY-MM-DD"),
            ) from None
    if as_of > date.today() + timedelta(days=1):
        raise ManifestError(
            "as_of",
            "date_out_of_range",
            text("数据截止日期不能在未来", "as_of cannot be in the future"),
        )
    rows = raw.get("rows")
    if not isinstance(rows, int) or isinstance(rows, bool) or not 0 <= rows <= MAX_ROWS:
        raise ManifestError(
            "rows",
            "invalid_row_count",
            text(
                f"rows 应为 0 到 {MAX_ROWS} 的整数",
                f"rows must be a whole number from 0 to {MAX_ROWS}",
            ),
        )
    sha = raw.get("sha256")
    if not isinstance(sha, str) or not _SHA256.match(sha.lower()):
        raise ManifestError(
            "sha256",
            "invalid_sha256",
            text("sha256 应为 64 位十六进制", "sha256 must be 64 hexadecimal digits"),
        )
    try:
        mode = Mode(str(raw.get("mode", "")))
    except ValueError:
        raise ManifestError(
            "mode",
            "unknown_mode",
            text(
                "mode 应为 all_or_nothing 或 row_by_row",
                "mode must be all_or_nothing or row_by_row",
            ),
        ) from None
    try:
        fmt = FileFormat(str(raw.get("format", "")))
    except ValueError:
        raise ManifestError(
            "format",
            "unknown_format",
            text("format 应为 csv 或 jsonl", "format must be csv or jsonl"),
        ) from None
    file_name = raw.get("file")
    if file_name is not None and (
        not isinstance(file_name, str) or "/" in file_name or file_name.startswith(".")
    ):
        raise ManifestError(
            "file",
            "invalid_file_name",
            text("file 应为同目录下的文件名", "file must be a file name in the same folder"),
        )
    return Manifest(department, feed, period, as_of, rows, sha.lower(), mode, fmt, file_name)
