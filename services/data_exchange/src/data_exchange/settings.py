"""Data-exchange settings."""

from __future__ import annotations

from pydantic import Field

from suxin_common.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "data-exchange"

    # Where uploaded batch files are kept until processed (a volume shared by the replicas in
    # Kubernetes), and the inbox directory the sharing platform drops files into (unset: no
    # watcher). Inbox layout: <name>.csv|.jsonl plus <name>.manifest.json, written last.
    spool_dir: str = ".devstack/data-exchange/spool"
    inbox_dir: str | None = None
    inbox_poll_interval_s: float = Field(2.0, gt=0)
    # The batch-file upload streams to disk (never held in memory): Content-Length required,
    # up to this many bytes.
    streamed_upload_paths: str | None = r"^/v1/batches/[^/]+/file$"
    max_streamed_upload_bytes: int = Field(8 * 1024**3, ge=1024)
    # Rows per transaction (row-by-row) or per statement group (all-or-nothing).
    chunk_rows: int = Field(5_000, ge=1, le=100_000)
    # Row errors stored per batch; beyond this they are only counted.
    max_errors_stored: int = Field(10_000, ge=1)
    # Batch worker: how often it looks for work, and how long a claim lasts without progress.
    batch_poll_interval_s: float = Field(1.0, gt=0)
    batch_lease_s: float = Field(120.0, gt=0)
    # Yearly review of 就业困难人员认定 (days after recognition or the last review).
    difficulty_review_days: int = Field(365, ge=30)
