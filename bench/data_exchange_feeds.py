"""data_exchange_feeds: rows/s applying a month of 社保 contributions as a batch file.

A CSV of N contribution rows (one person-month each, default 200,000; ``--quick`` 20,000) goes
through data-exchange as a department would send it: declared, spooled, then applied by the
batch worker (checksum and row-count pass, parsing, resident-ID validation and person keys,
comparison with the current facts, fact and version rows, one FactVerified per row in the
outbox), row by row in chunks. Two figures:

* ``data_exchange_feeds``: the first delivery, every row a new fact (the worst case: one event
  per row);
* ``data_exchange_feeds_resent``: the same facts again in another file (rows reordered), every
  row unchanged (no events).

Baseline in the same run: PostgreSQL's own ``COPY`` of the same file into a table of text
columns, the least any loader of that file must do. Peak memory of the process is reported
with the file size, to show it does not grow with the file.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import random
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg

from suxin_common.db import asyncpg_dsn
from suxin_devkit.testing import make_resident_id, make_uscc, service_runtime

HEADER = [
    "resident_id",
    "uscc",
    "month",
    "employer_pension_fen",
    "employer_medical_fen",
    "employer_unemployment_fen",
    "employer_work_injury_fen",
    "employer_maternity_fen",
    "employee_total_fen",
    "base_fen",
]
EMPLOYERS = [make_uscc(n, region="321002") for n in range(1, 201)]


def write_file(path: Path, rows: int, *, shuffle_seed: int | None = None) -> None:
    order = list(range(rows))
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(order)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        for n in order:
            base = 500_000 + (n % 50) * 10_000
            writer.writerow(
                [
                    make_resident_id(n, born="19800101"),
                    EMPLOYERS[n % len(EMPLOYERS)],
                    "2026-11",
                    base * 16 // 100,
                    base * 9 // 100,
                    base // 200,
                    base // 250,
                    base // 125,
                    base * 105 // 1000,
                    base,
                ]
            )


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


async def _copy_baseline(url: str, path: Path) -> float:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS copy_baseline ("
            + ", ".join(f"{c} text" for c in HEADER)
            + ")"
        )
        await conn.execute("TRUNCATE copy_baseline")
        t0 = time.perf_counter()
        await conn.copy_to_table(
            "copy_baseline", source=str(path), format="csv", header=True, columns=HEADER
        )
        return time.perf_counter() - t0
    finally:
        await conn.close()


async def _apply(runtime, path: Path, rows: int, period: str) -> float:  # noqa: ANN001
    from data_exchange.adapters.repositories import unit_of_work
    from data_exchange.domain.manifest import parse_manifest
    from data_exchange.handlers import batches

    manifest = parse_manifest(
        {
            "department": "social_insurance",
            "feed": "si_contribution",
            "period": period,
            "rows": rows,
            "sha256": await asyncio.to_thread(_sha, path),
            "mode": "row_by_row",
            "format": "csv",
        }
    )
    batch_id = await batches.declare(
        unit_of_work(runtime), manifest, sender="bench", source="upload"
    )
    spool = batches.spool_path(runtime.settings, batch_id, manifest.format)
    await asyncio.to_thread(shutil.copyfile, path, spool)
    await batches.receive(unit_of_work(runtime), batch_id, spool, manifest.sha256)
    t0, c0 = time.perf_counter(), time.process_time()
    await batches.process_pending(runtime, worker="bench")
    return time.perf_counter() - t0, time.process_time() - c0


async def run(infra, *, quick: bool = False, runs: int = 3) -> list[dict]:  # noqa: ANN001
    from data_exchange.settings import Settings

    rows = 20_000 if quick else 200_000
    new_s, resent_s, copy_s, cpu_new = [], [], [], []
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory(prefix="suxin-bench-dx-") as tmp:
        first, again = Path(tmp) / "first.csv", Path(tmp) / "again.csv"
        await asyncio.to_thread(write_file, first, rows)
        await asyncio.to_thread(write_file, again, rows, shuffle_seed=7)
        size = first.stat().st_size
        for i in range(runs):
            async with service_runtime(infra, "data-exchange", Settings) as runtime:
                runtime.settings = runtime.settings.model_copy(
                    update={"spool_dir": str(Path(tmp) / f"spool{i}")}
                )
                wall, cpu = await _apply(runtime, first, rows, "2026-11")
                new_s.append(wall)
                cpu_new.append(cpu)
                resent_s.append((await _apply(runtime, again, rows, "2026-11-30"))[0])
                async with runtime.engine.connect() as conn:
                    from sqlalchemy import text

                    facts = (await conn.execute(text("SELECT count(*) FROM facts"))).scalar()
                    events = (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar()
                assert facts == rows and events == rows, (facts, events)
                copy_s.append(await _copy_baseline(runtime.settings.database_url, first))
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    new_rate = [rows / s for s in new_s]
    resent_rate = [rows / s for s in resent_s]
    copy_rate = [rows / s for s in copy_s]
    baseline = {
        "label": "PostgreSQL COPY of the same file into text columns",
        "value": statistics.median(copy_rate),
        "unit": "rows/s",
        "runs": copy_rate,
    }
    params = {
        "rows": rows,
        "file_bytes": size,
        "chunk_rows": Settings().chunk_rows,
        "peak_rss_growth_mib": round(max(0, peak_after - peak_before) / 1024, 1),
        # CPU of this process (parsing, person keys, events; not PostgreSQL's) per new row.
        "service_cpu_us_per_row": round(statistics.median(cpu_new) / rows * 1e6, 1),
        "runs": runs,
    }
    return [
        {
            "name": "data_exchange_feeds",
            "what": "社保 contribution rows/s applied from a CSV batch, every row a new fact "
            "(validation, person key, fact + version rows, one FactVerified each)",
            "value": statistics.median(new_rate),
            "unit": "rows/s",
            "runs": new_rate,
            "baseline": baseline,
            "ratio": statistics.median(new_rate) / baseline["value"],
            "params": params,
        },
        {
            "name": "data_exchange_feeds_resent",
            "what": "the same facts re-sent in another file: every row checked, none changed",
            "value": statistics.median(resent_rate),
            "unit": "rows/s",
            "runs": resent_rate,
            "baseline": baseline,
            "ratio": statistics.median(resent_rate) / baseline["value"],
            "params": params,
        },
    ]
