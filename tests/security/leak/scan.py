"""Where plaintext resident IDs hide: text, log files, JetStream streams, database dumps."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from suxin_common.privacy import RESIDENT_ID_SHAPE
from suxin_devkit.devstack.postgres import find_pg_bin

# Bytes form of the kit's pattern: 6-digit area, a valid birth date, 3 digits and a check char.
SHAPE_BYTES = re.compile(RESIDENT_ID_SHAPE.pattern.encode())


@dataclass(frozen=True)
class Leak:
    where: str
    what: str  # "exact" (an ID the test used) or "shape" (anything ID-shaped)
    excerpt: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what} match ...{self.excerpt}..."


def find(data: bytes | str, where: str, ids: Iterable[str]) -> list[Leak]:
    raw = data.encode() if isinstance(data, str) else data
    found: list[Leak] = []
    for rid in ids:
        for variant in {rid, rid.lower()}:
            i = raw.find(variant.encode())
            if i >= 0:
                found.append(Leak(where, f"exact {rid}", _excerpt(raw, i)))
    for m in SHAPE_BYTES.finditer(raw):
        found.append(Leak(where, "shape", _excerpt(raw, m.start())))
    return found


def _excerpt(raw: bytes, i: int) -> str:
    return raw[max(0, i - 60) : i + 80].decode("utf-8", "replace").replace("\n", "\\n")


def scan_files(paths: Iterable[Path], ids: Iterable[str]) -> list[Leak]:
    ids = list(ids)
    leaks: list[Leak] = []
    for path in paths:
        if path.is_file():
            leaks += find(path.read_bytes(), f"file {path}", ids)
    return leaks


async def scan_streams(nats_url: str, ids: Iterable[str]) -> tuple[list[Leak], int]:
    """Every message of every stream, read back from its first sequence: subject,
    headers and payload. Returns the leaks and the number of messages read."""
    import nats
    from nats.js.errors import NotFoundError

    ids = list(ids)
    leaks: list[Leak] = []
    count = 0
    nc = await nats.connect(nats_url)
    try:
        jsm = nc.jsm()
        for info in await jsm.streams_info():
            name, state = info.config.name, info.state
            for seq in range(max(1, state.first_seq), state.last_seq + 1):
                try:
                    msg = await jsm.get_msg(name, seq)
                except NotFoundError:
                    continue
                count += 1
                headers = "".join(f"{k}: {v}\n" for k, v in (msg.headers or {}).items())
                blob = f"{msg.subject}\n{headers}".encode() + (msg.data or b"")
                leaks += find(blob, f"stream {name} seq {seq} ({msg.subject})", ids)
    finally:
        await nc.close()
    return leaks, count


def dump_database(url: str, out: Path) -> Path:
    """`pg_dump` of one database (data and schema, plain SQL) into `out`."""
    u = make_url(url)
    pg_dump = find_pg_bin() / "pg_dump"
    env = {"PGPASSWORD": u.password or "", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [
            str(pg_dump),
            "--no-owner",
            "-h",
            u.host or "127.0.0.1",
            "-p",
            str(u.port or 5432),
            "-U",
            u.username or "postgres",
            "-f",
            str(out),
            u.database or "",
        ],
        check=True,
        env=env,
        capture_output=True,
        timeout=60,
    )
    return out
