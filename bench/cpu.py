"""CPU time each process (tree) used during a measurement, from ``/proc/<pid>/stat``.

A figure says where the time went: the services, PostgreSQL, NATS, the load generator and the
benchmark's own driver are each sampled before and after (``utime + stime`` of the process and
every live descendant, plus ``cutime + cstime``: the children it has already reaped, such as
PostgreSQL backends that ended). Linux only; elsewhere every figure is ``None``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int, *, reaped: bool = True) -> tuple[int, float] | None:
    """(ppid, cpu seconds, with its reaped children's unless ``reaped=False``) of one process,
    None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return ppid, (utime + stime + (cutime + cstime if reaped else 0)) / TICK


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None:
                tree.setdefault(stat[0], []).append(int(entry.name))
    return tree


def tree_seconds(roots: Iterable[int], tree: Mapping[int, list[int]] | None = None) -> float:
    """CPU seconds used so far by the processes ``roots`` and all their descendants."""
    tree = _children() if tree is None else tree
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        stat = _stat(pid)
        if stat is not None:
            total += stat[1]
        todo.extend(tree.get(pid, ()))
    return total


class CpuMeter:
    """``with CpuMeter({"postgres": [pid], ...}) as m: ...`` then ``m.seconds`` per group.

    ``extra`` adds CPU seconds measured another way (a child reaped with ``os.wait4``)."""

    def __init__(self, groups: Mapping[str, Iterable[int | None]]) -> None:
        self.groups = {name: [p for p in pids if p] for name, pids in groups.items()}
        self.seconds: dict[str, float] = {}
        self.wall = 0.0
        self.machine = 0.0
        self._before: dict[str, float] = {}
        self._t0 = 0.0

    def _sample(self) -> dict[str, float]:
        tree = _children()
        sample = {name: tree_seconds(pids, tree) for name, pids in self.groups.items()}
        # itself only: the load generators it reaps are measured apart (wait4)
        own = _stat(os.getpid(), reaped=False)
        sample["bench driver"] = own[1] if own else 0.0
        sample["_machine"] = machine_busy_seconds() or 0.0
        return sample

    def start(self) -> CpuMeter:
        self._before = self._sample()
        self._t0 = time.monotonic()
        return self

    def stop(self, **extra: float) -> dict[str, float]:
        after = self._sample()
        self.wall = time.monotonic() - self._t0
        self.machine = round(after.pop("_machine") - self._before.get("_machine", 0.0), 2)
        self.seconds = {k: round(after[k] - self._before.get(k, 0.0), 2) for k in after}
        for name, secs in extra.items():
            self.seconds[name] = round(self.seconds.get(name, 0.0) + secs, 2)
        return self.seconds

    def report(self, units: float, unit: str) -> dict:
        """The CPU seconds per group, their sum, cores busy, and CPU ms per ``unit``."""
        total = sum(self.seconds.values())
        return {
            "wall_s": round(self.wall, 2),
            "cpu_s": self.seconds,
            "cpu_s_total": round(total, 2),
            "cores_busy": round(total / self.wall, 2) if self.wall else None,
            # every process on the machine (other agents' too): what we did not measure is noise
            "machine_cpu_s": self.machine,
            "others_cpu_s": round(max(0.0, self.machine - total), 2),
            f"cpu_ms_per_{unit}": {
                k: round(1000 * v / units, 3) for k, v in self.seconds.items() if units
            },
            f"cpu_ms_per_{unit}_total": round(1000 * total / units, 3) if units else None,
        }


def machine_load() -> dict:
    """Load averages and the CPU the whole machine used (all processes, not only ours)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return {}
    return {"loadavg_1m": one, "loadavg_5m": five, "loadavg_15m": fifteen}


def machine_busy_seconds() -> float | None:
    """CPU seconds all cores spent outside idle/iowait since boot (``/proc/stat``)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    values = [int(v) for v in first[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / TICK
