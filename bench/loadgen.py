"""HTTP load from outside Python: ``wrk`` (C, Debian package) walking a file of JSON bodies.

The Python drivers the benchmarks used before cost as much CPU as the endpoint they drove (a
minimal FastAPI + asyncpg insert measured 230–400 req/s driven from Python, ~1,970 req/s driven
by wrk on the same machine). ``wrk`` with :file:`post_bodies.lua` sends each line of a body
file once (distinct hires need distinct seekers), so every request does real, distinct work.
``scripts/ensure-wrk.sh`` installs wrk when it is missing (as root, with apt-get).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "post_bodies.lua"


def ensure_wrk() -> str:
    """Path of ``wrk``, installing it (scripts/ensure-wrk.sh) when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["sh", str(ROOT / "scripts" / "ensure-wrk.sh")], check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and scripts/ensure-wrk.sh could not install it")
    return found


def write_bodies(path: Path, bodies: Iterable[dict]) -> int:
    lines = [json.dumps(b, ensure_ascii=False, separators=(",", ":")) for b in bodies]
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


@dataclass
class WrkResult:
    requests: int
    seconds: float
    ok: int  # 2xx/3xx
    errors: dict[str, int]
    latency_ms: dict[str, float]
    cpu_s: float  # the wrk process itself (user + system, from wait4)
    started_at: float = 0.0  # epoch, for comparing with PostgreSQL now()
    raw: dict = field(default_factory=dict)

    @property
    def per_s(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "ok_per_s": round(self.per_s, 1),
            "errors": self.errors,
            "latency_ms": self.latency_ms,
            "wrk_cpu_s": round(self.cpu_s, 2),
            "first_refusals": self.raw.get("first_refusals", []),
        }


def _run(argv: list[str], *, once: bool, threads: int) -> tuple[str, float, int]:
    """Run wrk; when sending each line once, interrupt it as soon as every thread is done
    (wrk otherwise sleeps out its whole ``-d``). CPU of wrk from ``wait4``."""
    env = {**os.environ, "WRK_ONCE": "1" if once else "0"}
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    assert proc.stdout is not None
    lines, done = [], 0
    for raw in proc.stdout:
        line = raw.decode(errors="replace")
        lines.append(line)
        if line.startswith("WRK_THREAD_DONE"):
            done += 1
            if done == threads:
                proc.send_signal(signal.SIGINT)  # wrk then reports at once
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return "".join(lines), usage.ru_utime + usage.ru_stime, proc.returncode


async def post_bodies(
    url: str,
    path: str,
    bodies: Path,
    *,
    token: str | None = None,
    connections: int = 32,
    threads: int = 1,
    seconds: float = 600,
    cycle: bool = False,
) -> WrkResult:
    """POST each line of ``bodies`` to ``url + path`` once (``cycle``: round and round until
    ``seconds``), from ``connections`` kept-alive connections; once: stops when every line is
    answered (or at ``seconds``)."""
    wrk = ensure_wrk()
    argv = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, int(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        url.rstrip("/") + path,
        "--",
        str(bodies),
        path,
        token or "-",
        str(threads),
        "1" if cycle else "0",
    ]
    started = time.time()
    out, cpu, code = await asyncio.to_thread(_run, argv, once=not cycle, threads=threads)
    line = next((ln for ln in out.splitlines() if ln.startswith("WRK_RESULT ")), None)
    if code != 0 or line is None:
        raise RuntimeError(f"wrk failed (exit {code}):\n{out[-2000:]}")
    raw = json.loads(line.removeprefix("WRK_RESULT "))
    refusals = [ln for ln in out.splitlines() if ln.startswith("WRK_FIRST_REFUSAL ")]
    errors = {
        k.removesuffix("_errors"): raw[k]
        for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts")
        if raw[k]
    }
    return WrkResult(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        ok=raw["requests"] - raw["status_errors"],
        errors=errors,
        latency_ms={
            k.removesuffix("_us"): round(raw[k] / 1000, 2)
            for k in ("p50_us", "p90_us", "p99_us", "max_us", "mean_us")
        },
        cpu_s=cpu,
        started_at=started,
        raw={**raw, "first_refusals": [r.removeprefix("WRK_FIRST_REFUSAL ") for r in refusals]},
    )
