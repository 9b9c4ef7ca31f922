"""Where the local development stack keeps its state (``.devstack/`` at the repository root).

The runtime kit needs only these locations (the development issuer's keys and JWKS under
``.devstack/auth``, the reconciler's default databases from ``state.json``); the stack itself
lives in the development kit (``suxin_devkit.devstack``), which builds on this module.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any


def repo_root() -> Path:
    """The workspace root (the pyproject.toml with ``[tool.uv.workspace]``)."""
    for start in (Path(__file__).resolve(), Path.cwd().resolve() / "_"):
        for parent in start.parents:
            pyproject = parent / "pyproject.toml"
            with contextlib.suppress(OSError):
                if "[tool.uv.workspace]" in pyproject.read_text():
                    return parent
    return Path.cwd()


def devstack_dir(state_dir: str | Path | None = None) -> Path:
    if state_dir is not None:
        return Path(state_dir).absolute()
    override = os.environ.get("SUXIN_DEVSTACK_DIR")
    return Path(override).absolute() if override else repo_root() / ".devstack"


def read_state(state_dir: str | Path | None = None) -> dict[str, Any] | None:
    """The running stack's ``state.json`` (what runs where), or None."""
    try:
        return json.loads((devstack_dir(state_dir) / "state.json").read_text())
    except (OSError, ValueError):
        return None
