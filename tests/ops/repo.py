"""The repository as the operations tests see it: its root and the services it has."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Every package under services/ (a new service must appear in compose and Kubernetes too).
SERVICES: tuple[str, ...] = tuple(
    sorted(p.name for p in (ROOT / "services").iterdir() if (p / "pyproject.toml").is_file())
)
