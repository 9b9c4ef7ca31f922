"""Write (or check) the table of docs/trust.md: fact -> accepted sources -> the rules, criteria
and statistics that use it, derived from the code (the services' own declarations).

.venv/bin/python scripts/trust_table.py          # rewrite the generated section
.venv/bin/python scripts/trust_table.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "trust.md"
BEGIN = "<!-- BEGIN GENERATED: scripts/trust_table.py -->"
END = "<!-- END GENERATED -->"


def _label(sources) -> str:  # noqa: ANN001
    from suxin_common.facts import SOURCE_LABELS

    return "<br>".join(SOURCE_LABELS[s] for s in sorted(sources, key=lambda s: s.value))


def subsidy_rows() -> list[str]:
    """training-vouchers: every fact a subsidy rule reads, its accepted sources, the rules."""
    from training_vouchers.domain.provenance import ACCEPTED_SOURCES, KEY_GROUP_FACTS
    from training_vouchers.policies import load_book

    used: dict[str, list[str]] = defaultdict(list)
    narrowed: dict[tuple[str, str], frozenset] = {}
    for policy in load_book().versions:
        for rule in policy.rules:
            for fact in sorted(rule.reads):
                used[fact].append(f"`{rule.id}` ({policy.version})")
                if rule.accepts[fact] != ACCEPTED_SOURCES[fact]:
                    narrowed[(fact, rule.id)] = rule.accepts[fact]
    rows = []
    for fact in sorted(ACCEPTED_SOURCES):
        rules = ", ".join(used.get(fact, [])) or "(no rule reads it yet)"
        accepted = _label(ACCEPTED_SOURCES[fact])
        if fact == "key_groups":
            accepted = (
                "<br>".join(
                    f"{group}: {_label(sources)}"
                    for group, (_, sources) in sorted(KEY_GROUP_FACTS.items())
                )
                + "<br>college_graduate: "
                + _label({s for s in ACCEPTED_SOURCES[fact] if s.value == "education"})
            )
        for (f, rule_id), sources in sorted(narrowed.items()):
            if f == fact:
                accepted += f"<br>(`{rule_id}`: only {_label(sources)})"
        rows.append(f"| `{fact}` | {accepted} | subsidy rules: {rules} |")
    return rows


def hiring_rows() -> list[str]:
    """job-matching: what makes a hire real, and the enterprise flags."""
    from job_matching.adapters.repositories import ENTERPRISE_FLAGS
    from job_matching.domain.model import HireConfirmation

    how = "<br>".join(f"`{h.value}`: {CONFIRMATION_LABELS[h.value]}" for h in HireConfirmation)
    rows = [
        f"| hire is real (`HireConfirmed`) | {how} | subsidy hire terms (`confirmed_hire`), "
        "talent-card moves and offers, every statistic of employment-monitor "
        "(hire_confirmations); NOT insurance cover |"
    ]
    for _kind, (column, sources) in sorted(ENTERPRISE_FLAGS.items()):
        rows.append(
            f"| enterprise `{column}` | {_label(sources)}<br>{_label({_staff()})} "
            f"(at registration; never the enterprise itself: 403) | {FLAG_USES[column]} |"
        )
    return rows


CONFIRMATION_LABELS = {
    "person": "本人确认 (the person confirms the hire filed about them)",
    "offer_accepted": "本人接受录用意向 (the person accepted the offer before the hire)",
    "social_insurance": "社保参保登记印证 (社保 shows the enrolment with the employer)",
}
FLAG_USES = {
    "specialized_sme": "专精特新 zone, HireRecorded flag, the monitor's 专精特新 module",
    "little_giant": "专精特新 zone (implies specialized_sme), HireRecorded flag",
    "key_monitored": "HireRecorded flag, the monitor's key-enterprise monitoring",
}


def card_rows() -> list[str]:
    """talent-card: the criteria attributes it takes from authority facts only."""
    from talent_card.hire_confirmation import VERIFIED_ATTRIBUTES

    return [
        f"| card criterion `{attribute}` | {_label(sources)} | 苏畅卡 levels and offers on a "
        f"confirmed hire (FactVerified `{kind}`; the hire's declared value is ignored) |"
        for attribute, (kind, sources, _) in sorted(VERIFIED_ATTRIBUTES.items())
    ]


def _staff():  # noqa: ANN202
    from suxin_common.facts import Source

    return Source.STAFF


def table() -> str:
    lines = [
        BEGIN,
        "",
        "| fact | accepted sources | used by |",
        "|---|---|---|",
        *subsidy_rows(),
        *hiring_rows(),
        *card_rows(),
        "",
        END,
    ]
    return "\n".join(lines)


def replace_generated(document: str, generated: str) -> str:
    if BEGIN in document and END in document:
        head, _, rest = document.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + generated + tail
    return document.rstrip("\n") + "\n\n" + generated + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the doc is stale")
    args = parser.parse_args()
    document = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Trust\n"
    fresh = replace_generated(document, table())
    if args.check:
        if fresh != document:
            print(f"{DOC} is stale: run scripts/trust_table.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
