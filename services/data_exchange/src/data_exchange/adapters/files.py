"""Batch files on disk: checksum and row count in one streaming pass, then rows one by one.

Nothing here holds a whole file: files are read in 1 MiB blocks and rows are yielded as they
are parsed, so memory stays bounded whatever the size. Rows are numbered from 1 (the CSV
header line is not a row; blank JSON Lines lines are skipped and not counted).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from data_exchange.domain.manifest import FileFormat
from suxin_common import reasons

BLOCK = 1024 * 1024
# Field values over this are malformed input (csv's own default limit is 128 KiB).
csv.field_size_limit(64 * 1024)


class BadFile(ValueError):
    """The file as a whole is unusable: ``code`` and a stored reason (``feed.*``)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


class _HashingReader(io.RawIOBase):
    """A binary stream that hashes what passes through it."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        self.sha256.update(data)
        self.size += len(data)
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True, slots=True)
class FileFacts:
    sha256: str
    rows: int
    size: int
    header: tuple[str, ...]


def _text(stream: BinaryIO) -> io.TextIOWrapper:
    # utf-8-sig: spreadsheet exports start with a byte-order mark.
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", errors="strict")


def inspect(path: Path, fmt: FileFormat) -> FileFacts:
    """SHA-256 of the bytes, the number of rows and (CSV) the header, in one pass."""
    with path.open("rb") as raw:
        hashing = _HashingReader(raw)
        text = _text(io.BufferedReader(hashing, BLOCK))
        header: tuple[str, ...] = ()
        rows = 0
        try:
            if fmt is FileFormat.CSV:
                reader = csv.reader(text)
                first = next(reader, None)
                header = tuple(h.strip() for h in first) if first else ()
                for record in reader:
                    if record:
                        rows += 1
            else:
                for line in text:
                    if line.strip():
                        rows += 1
        except UnicodeDecodeError:
            raise BadFile("bad_encoding", reasons.stored("feed.bad_encoding")) from None
        except csv.Error as exc:
            raise BadFile(
                "malformed_csv", reasons.stored("feed.malformed_csv", detail=str(exc))
            ) from None
        # Hash anything the text layer did not need to read (nothing, normally).
        while hashing.readinto(bytearray(BLOCK)):
            pass
    return FileFacts(hashing.sha256.hexdigest(), rows, hashing.size, header)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Malformed:
    """A row that could not even be split into fields."""

    code: str
    reason: str


def rows(path: Path, fmt: FileFormat, *, skip: int = 0) -> Iterator[tuple[int, Any]]:
    """(row number, mapping of column to value | Malformed) for every row after ``skip``."""
    with path.open("rb") as raw:
        text = _text(io.BufferedReader(raw, BLOCK))
        if fmt is FileFormat.CSV:
            yield from _csv_rows(text, skip)
        else:
            yield from _jsonl_rows(text, skip)


def _csv_rows(text: io.TextIOWrapper, skip: int) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(text)
    header = [h.strip() for h in next(reader, [])]
    width = len(header)
    row_no = 0
    for record in reader:
        if not record:
            continue
        row_no += 1
        if row_no <= skip:
            continue
        if len(record) != width:
            yield (
                row_no,
                Malformed(
                    "wrong_field_count",
                    reasons.stored("feed.wrong_field_count", count=len(record), width=width),
                ),
            )
            continue
        yield row_no, dict(zip(header, record, strict=True))


def _jsonl_rows(text: io.TextIOWrapper, skip: int) -> Iterator[tuple[int, Any]]:
    row_no = 0
    for line in text:
        if not line.strip():
            continue
        row_no += 1
        if row_no <= skip:
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            yield row_no, Malformed("malformed_json", reasons.stored("feed.malformed_json"))
            continue
        if not isinstance(value, dict):
            yield row_no, Malformed("not_an_object", reasons.stored("feed.row_not_an_object"))
            continue
        yield row_no, value
