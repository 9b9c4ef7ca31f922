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
    lines.append("| benchmark | value | baseline (same run) | ratio | target |")
    lines.append("|---|---|---|---|---|")
    for r in results:
        if "error" in r:
            lines.append(f"| {r['name']} | failed: {r['error']} | | | |")
            continue
        base = r.get("baseline") or {}
        target = r.get("target")
        target_text = (
            f"{_num(target['value'])} {target['unit']} ({'met' if target['met'] else 'missed'})"
            if target
            else ""
        )
        extra = ""
        if "p50_ms" in r:
            extra = f" (p50 {_num(r['p50_ms'])}, p95 {_num(r['p95_ms'])})"
        if "accepted_per_s" in r:
            extra += f"; API accepted {_num(r['accepted_per_s'])}/s"
        lines.append(
            f"| {r['name']} | {_num(r['value'])} {r['unit']}{extra} | "
            f"{_num(base.get('value'))} {base.get('unit', '')} — {base.get('label', '')} | "
            f"{_num(r.get('ratio'))} | {target_text} |"
        )
        for more in r.get("extra_baselines", []):
            lines.append(
                f"| ↳ vs | | {_num(more['value'])} {more['unit']} — {more['label']} | "
                f"{_num(more.get('ratio'))} | |"
            )
    return "\n".join(lines)
