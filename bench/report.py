"""The markdown table of benchmark results (README and bench/results/latest.md)."""

from __future__ import annotations


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def markdown(results: list[dict], *, machine: dict | None = None) -> str:
    lines = []
    if machine:
        lines.append(
            f"Machine: {machine['cpus']} CPUs, {machine['platform']}, Python "
            f"{machine['python']}. Medians of the runs; baseline measured in the same run."
        )
        lines.append("")
    lines.append("| benchmark | value | baseline (same run) | ratio | target | load (1 min) |")
    lines.append("|---|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            lines.append(f"| {r['name']} | failed: {r['error']} | | | | |")
            continue
        load = r.get("loadavg_1m") or {}
        load_text = (
            f"{_num(load.get('start'))} → {_num(load.get('end'))}" if load.get("start") else "–"
        )
        base = r.get("baseline") or {}
        target = r.get("target")
        target_text = (
            f"{'≥ ' if r.get('target_is_ratio') else ''}{_num(target['value'])} {target['unit']}"
            f" ({'met' if target['met'] else 'missed'})"
            if target
            else ""
        )
        extra = ""
        if "p50_ms" in r:
            extra = f" (p50 {_num(r['p50_ms'])}, p95 {_num(r['p95_ms'])})"
        if "per_cpu_s" in r:
            extra += f" ({_num(r['per_cpu_s'])} per CPU-second of the process)"
        if "accepted_per_s" in r:
            extra += f"; API accepted {_num(r['accepted_per_s'])}/s"
        lines.append(
            f"| {r['name']} | {_num(r['value'])} {r['unit']}{extra} | "
            f"{_num(base.get('value'))} {base.get('unit', '')} — {base.get('label', '')} | "
            f"{_num(r.get('ratio'))} | {target_text} | {load_text} |"
        )
        for more in r.get("extra_baselines", []):
            lines.append(
                f"| ↳ vs | | {_num(more['value'])} {more['unit']} — {more['label']} | "
                f"{_num(more.get('ratio'))} | | |"
            )
    lines += cpu_table(results)
    return "\n".join(lines)


def cpu_table(results: list[dict]) -> list[str]:
    """Where the CPU went, for the results that carry a ``cpu`` report (bench/cpu.py)."""
    rows = [(r["name"], label, rep) for r in results for label, rep in r.get("cpu", {}).items()]
    if not rows:
        return []
    lines = [
        "",
        "Where the CPU went: CPU seconds per process group during the measurement (/proc);",
        "`others` is every other process on the shared machine in that time.",
        "",
        "| benchmark | measured | wall s | CPU s by process | cores | others | CPU ms per unit |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, label, rep in rows:
        by = ", ".join(
            f"{k} {v:.1f}"
            for k, v in sorted(rep["cpu_s"].items(), key=lambda kv: -kv[1])
            if v >= 0.05
        )
        total = next(k for k in rep if k.startswith("cpu_ms_per_") and k.endswith("_total"))
        unit = total.removeprefix("cpu_ms_per_").removesuffix("_total")
        lines.append(
            f"| {name} | {label} | {rep['wall_s']:.1f} | {by} | {rep['cores_busy']} |"
            f" {rep.get('others_cpu_s', '–')} | {_num(rep[total])} per {unit} |"
        )
    return lines
