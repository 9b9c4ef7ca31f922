"""Sampling profiles of a running service with ``py-spy`` (a dev dependency), summarised.

``async with profiled(pid, out) as prof:`` records the process while the block runs (py-spy
``--format raw``: collapsed stacks), then writes ``out`` (the raw stacks) and ``prof.summary``:
the functions with the most samples on the stack (inclusive) and at its top (self), as shares
of all samples. Off when py-spy is missing or may not attach (the figure says so).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path


class Profile:
    def __init__(self) -> None:
        self.summary: dict = {}


def _py_spy() -> str | None:
    here = Path(sys.executable).parent / "py-spy"
    return str(here) if here.exists() else shutil.which("py-spy")


@contextlib.asynccontextmanager
async def profiled(pid: int, out: Path, *, rate: int = 200) -> AsyncIterator[Profile]:
    prof = Profile()
    exe = _py_spy()
    if exe is None:
        prof.summary = {"error": "py-spy is not installed"}
        yield prof
        return
    # --gil: only the thread holding the GIL, i.e. where the process spends CPU in Python (a
    # sample while it waits on the network or in epoll is not CPU)
    argv = [exe, "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw", "--gil"]
    argv += ["--output", str(out), "--nonblocking"]
    proc = await asyncio.to_thread(_start, argv)
    try:
        yield prof
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = await asyncio.to_thread(proc.communicate, timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            err = b"py-spy did not stop"
        prof.summary = await asyncio.to_thread(_summary_of, out, err)


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _summary_of(out: Path, err: bytes) -> dict:
    if out.exists():
        return summarise(out.read_text())
    return {"error": err.decode(errors="replace")[-500:]}


def _frame(raw: str) -> str:
    """'function (path/to/module.py:123)' -> 'function (module.py)' (lines differ per site)."""
    name, _, where = raw.partition(" (")
    where = where.rstrip(")").rsplit(":", 1)[0]
    parts = where.split("/")
    short = "/".join(parts[-2:]) if len(parts) > 1 else where
    return f"{name} ({short})"


# The trunk every sample shares (process start-up, the event loop): left out of the listing.
_TRUNK = (
    "click/",
    "runpy",
    "uvicorn/main.py",
    "uvicorn/server.py",
    "uvicorn/_compat.py",
    "uvicorn/__main__.py",
    "asyncio/runners.py",
    "asyncio/base_events.py",
    "asyncio/events.py",
)


_OURS = (
    "suxin_common",
    "job_matching",
    "training_vouchers",
    "injury_insurance",
    "talent_card",
    "employment_monitor",
    "gig_market",
)


def summarise(collapsed: str, top: int = 25) -> dict:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    ours: Counter[str] = Counter()  # the project's own functions (services and the kit)
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        raw_frames = stack.split(";")
        frames = [_frame(f) for f in raw_frames]
        own[frames[-1]] += n
        for f in {_frame(f) for f in raw_frames if any(f"{pkg}/" in f for pkg in _OURS)}:
            ours[f] += n
        for f in set(frames):
            if not any(t in f for t in _TRUNK):
                inclusive[f] += n
    if not total:
        return {"samples": 0}

    def share(c: Counter[str]) -> list[list]:
        return [[f, round(100 * n / total, 1)] for f, n in c.most_common(top)]

    return {
        "samples": total,
        "inclusive_pct": share(inclusive),
        "self_pct": share(own),
        "project_pct": share(ours),
    }


def markdown(summary: dict, title: str) -> str:
    if "inclusive_pct" not in summary:
        return f"### {title}\n\n(no profile: {summary})\n"
    lines = [f"### {title}", "", f"{summary['samples']} samples.", ""]
    lines += ["| on the stack (inclusive) | % | at the top (self) | % |", "|---|---|---|---|"]
    for (fi, pi), (fs, ps) in zip(summary["inclusive_pct"], summary["self_pct"], strict=False):
        lines.append(f"| `{fi}` | {pi} | `{fs}` | {ps} |")
    if summary.get("project_pct"):
        lines += ["", "| the project's own code (inclusive) | % |", "|---|---|"]
        lines += [f"| `{f}` | {pct} |" for f, pct in summary["project_pct"]]
    return "\n".join(lines) + "\n"
