"""The inbox directory (交换目录) the provincial sharing platform drops batch files into.

A batch is a data file (``<name>.csv`` or ``<name>.jsonl``) and its manifest
``<name>.manifest.json``, written last: the manifest's arrival means the file is complete. The
watcher moves the file into the spool, declares the batch (department from the manifest: the
directory is the platform's, trusted like a department client) and leaves a receipt
``<name>.receipt.json`` in ``done/`` (accepted, with the batch id to follow) or ``rejected/``
(with the reason); the manifest goes along. When an accepted batch has been applied, its
report is written to ``done/<name>.report.json``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from data_exchange.adapters import batch_store, files
from data_exchange.adapters.repositories import unit_of_work
from data_exchange.domain.manifest import ManifestError, parse_manifest
from data_exchange.handlers import batches as handlers
from data_exchange.settings import Settings
from suxin_common import reasons
from suxin_common.service import Runtime

log = logging.getLogger(__name__)
MANIFEST_SUFFIX = ".manifest.json"
INBOX_SENDER = "inbox"


def _write_json(path: Path, value: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, indent=2, default=str), "utf-8")
    tmp.replace(path)


def _settle(inbox: Path, stem: str, outcome: str, receipt: dict, moved: list[Path]) -> None:
    target = inbox / outcome
    target.mkdir(exist_ok=True)
    for path in moved:
        if path.exists():
            path.replace(target / path.name)
    _write_json(target / f"{stem}.receipt.json", receipt)


async def pick_up(runtime: Runtime) -> list[dict]:
    """Take every complete batch in the inbox; returns the receipts written."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    if not settings.inbox_dir:
        return []
    inbox = Path(settings.inbox_dir)
    await asyncio.to_thread(inbox.mkdir, parents=True, exist_ok=True)
    manifests = await asyncio.to_thread(lambda: sorted(inbox.glob("*" + MANIFEST_SUFFIX)))
    receipts = []
    for manifest_path in manifests:
        receipts.append(await _take(runtime, inbox, manifest_path))
    return receipts


async def _take(runtime: Runtime, inbox: Path, manifest_path: Path) -> dict:
    stem = manifest_path.name.removesuffix(MANIFEST_SUFFIX)
    moved = [manifest_path]

    def reject(code: str, reason: str, field: str = "manifest") -> dict:
        receipt = {"status": "rejected", "code": code, "field": field, "reason": reason}
        _settle(inbox, stem, "rejected", receipt, moved)
        return receipt

    try:
        raw = json.loads(await asyncio.to_thread(manifest_path.read_text, "utf-8"))
        manifest = parse_manifest(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, ManifestError):
            return await asyncio.to_thread(reject, exc.code, exc.reason, exc.field)
        return await asyncio.to_thread(reject, "malformed_manifest", "清单不是有效的 JSON")
    data = inbox / (manifest.file_name or f"{stem}.{manifest.format.value}")
    if not await asyncio.to_thread(data.is_file):
        return await asyncio.to_thread(reject, "file_missing", "找不到清单对应的数据文件", "file")
    moved.append(data)
    try:
        batch_id = await handlers.declare(
            unit_of_work(runtime), manifest, sender=INBOX_SENDER, source="inbox"
        )
    except handlers.Duplicate as dup:
        receipt = {
            "status": "duplicate",
            "code": "duplicate_batch",
            "duplicate_of": str(dup.first),
            "reason": "该部门已报送过相同文件（SHA-256 相同），未作任何变更",
        }
        await asyncio.to_thread(_settle, inbox, stem, "rejected", receipt, moved)
        return receipt
    spool = handlers.spool_path(runtime.settings, batch_id, manifest.format)  # type: ignore[arg-type]
    await asyncio.to_thread(shutil.copyfile, data, spool)
    await asyncio.to_thread(data.unlink)
    moved.remove(data)
    sha256 = await asyncio.to_thread(files.sha256_of, spool)
    receipt: dict[str, Any] = {"batch_id": str(batch_id), "file": data.name}
    try:
        await handlers.receive(unit_of_work(runtime), batch_id, spool, sha256)
    except handlers.Rejected as exc:
        reason = reasons.render(exc.reason, "zh")  # receipts are files: in Chinese
        receipt |= {"status": "rejected", "code": exc.code, "field": "sha256", "reason": reason}
        await asyncio.to_thread(_settle, inbox, stem, "rejected", receipt, moved)
        return receipt
    except handlers.Duplicate as dup:
        receipt |= {
            "status": "duplicate",
            "code": "duplicate_batch",
            "duplicate_of": str(dup.first),
        }
        await asyncio.to_thread(_settle, inbox, stem, "rejected", receipt, moved)
        return receipt
    receipt["status"] = "received"
    await asyncio.to_thread(_settle, inbox, stem, "done", receipt, moved)
    return receipt


async def write_reports(runtime: Runtime) -> None:
    """A report next to each inbox receipt whose batch has finished."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    if not settings.inbox_dir:
        return
    done = Path(settings.inbox_dir) / "done"
    receipts = await asyncio.to_thread(lambda: sorted(done.glob("*.receipt.json")))
    for receipt_path in receipts:
        stem = receipt_path.name.removesuffix(".receipt.json")
        report_path = done / f"{stem}.report.json"
        if await asyncio.to_thread(report_path.exists):
            continue
        receipt = json.loads(await asyncio.to_thread(receipt_path.read_text, "utf-8"))
        async with runtime.sessions() as session:
            batch = await batch_store.get(session, _uuid(receipt.get("batch_id")))
            if batch is None or batch["status"] in ("received", "processing"):
                continue
            errors = await batch_store.errors(session, batch["id"], after=(-1, "", ""), limit=1000)
        # Reports are files for the department: reasons rendered in Chinese.
        report = {k: batch[k] for k in _REPORTED} | {
            "reject_reason": reasons.render(batch["reject_reason"], "zh")
            if batch["reject_reason"]
            else None,
            "errors": [
                {k: e[k] for k in ("row_no", "field", "code")}
                | {"reason": reasons.render(e["reason"], "zh")}
                for e in errors
            ],
        }
        await asyncio.to_thread(_write_json, report_path, report)


_REPORTED = (
    "id",
    "department",
    "feed",
    "period",
    "status",
    "reject_code",
    "reject_reason",
    "declared_rows",
    "rows_read",
    "rows_applied",
    "rows_failed",
    "facts_new",
    "facts_changed",
    "facts_revoked",
    "facts_unchanged",
)


def _uuid(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)


async def watch(runtime: Runtime, stop: asyncio.Event, wake: asyncio.Event) -> None:
    """The watcher task: pick up new batches, wake the batch worker, write reports."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    while not stop.is_set():
        try:
            receipts = await pick_up(runtime)
            if any(r.get("status") == "received" for r in receipts):
                wake.set()
            await write_reports(runtime)
        except Exception:
            log.exception("inbox pick-up failed; retrying")
        try:
            await asyncio.wait_for(stop.wait(), settings.inbox_poll_interval_s)
        except TimeoutError:
            pass


async def work(runtime: Runtime, stop: asyncio.Event, wake: asyncio.Event) -> None:
    """The batch worker task: apply received batches as they come."""
    settings: Settings = runtime.settings  # type: ignore[assignment]
    while not stop.is_set():
        try:
            await handlers.process_pending(runtime)
        except Exception:
            log.exception("batch worker failed; retrying")
        wake.clear()
        waiter = asyncio.ensure_future(wake.wait())
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait(
            {waiter, stopper},
            timeout=settings.batch_poll_interval_s,
            return_when=asyncio.FIRST_COMPLETED,
        )
        waiter.cancel()
        stopper.cancel()
