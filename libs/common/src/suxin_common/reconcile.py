"""Reconciliation: did every published event take effect exactly once in every consumer?

``python -m suxin_common.reconcile`` (on the running dev stack) or :func:`reconcile` (the chaos
suite) compares, for each event type that fans out, the events the publisher committed (its
outbox: written in the same transaction as the business change, so it is the complete list) with
what each consumer recorded:

* **lost** — an event the consumer has no inbox row for (never handled, or not yet);
* **duplicated** — more than one effect row for one event, for consumers whose effect table is
  declared in :data:`EFFECTS` (the inbox itself cannot hold a duplicate: its key forbids it);
* **without effect** — an event the consumer's inbox says it handled but whose declared effect
  row is missing (a handler that committed the inbox row and not its effect).

It reads only; it is safe on a live system (pending events show up as lost until they arrive, so
call it once the system is quiet, or look at the age of the gaps).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


@dataclass(frozen=True)
class Flow:
    """Events of ``subject`` published by ``publisher`` and consumed by ``consumers``."""

    subject: str
    publisher: str
    consumers: tuple[str, ...]


FLOWS: tuple[Flow, ...] = (
    Flow(
        "suxin.hiring.hire_recorded.v1",
        "job_matching",
        ("training_vouchers", "injury_insurance", "talent_card", "employment_monitor"),
    ),
    Flow("suxin.gig.orders_reported.v1", "gig_market", ("injury_insurance", "employment_monitor")),
)

# consumer -> subject -> SQL returning one row per effect: the key of the entity it belongs to,
# the event's ce_subject (the aggregate id, e.g. the hire id). One hire is one row in each.
_HIRE = "suxin.hiring.hire_recorded.v1"
EFFECTS: dict[str, dict[str, str]] = {
    "training_vouchers": {
        _HIRE: "SELECT hire_id::text FROM subsidy_cases WHERE hire_id IS NOT NULL",
    },
    "injury_insurance": {_HIRE: "SELECT hire_id::text FROM coverages WHERE hire_id IS NOT NULL"},
    # A recorded hire is kept until the person or 社保 confirms it (issue 27); the card move
    # follows confirmation, so the effect of HireRecorded itself is the kept claim.
    "talent_card": {_HIRE: "SELECT hire_id::text FROM hire_claims WHERE recorded IS NOT NULL"},
    "employment_monitor": {_HIRE: "SELECT hire_id::text FROM hire_facts"},
}


@dataclass
class ConsumerReport:
    consumer: str
    handled: int = 0
    effects: int | None = None  # distinct keys with an effect row (None: none declared)
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    without_effect: list[str] = field(default_factory=list)
    error: str | None = None  # the effect query failed (e.g. a table renamed)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.without_effect or self.error)


@dataclass
class FlowReport:
    subject: str
    publisher: str
    published: int
    consumers: list[ConsumerReport]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.consumers)


async def _rows(url: str, sql: str, **params) -> list[tuple]:
    engine = create_async_engine(url, pool_size=1)
    try:
        async with engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(text(sql), params)]
    finally:
        await engine.dispose()


async def reconcile(database_urls: Mapping[str, str], flows=FLOWS) -> list[FlowReport]:  # noqa: ANN001
    reports = []
    for flow in flows:
        if flow.publisher not in database_urls:
            continue
        published = dict(
            await _rows(
                database_urls[flow.publisher],
                "SELECT id::text, ce_subject FROM outbox WHERE subject = :s",
                s=flow.subject,
            )
        )
        report = FlowReport(flow.subject, flow.publisher, len(published), [])
        for consumer in flow.consumers:
            if consumer not in database_urls:
                continue
            url = database_urls[consumer]
            handled = {
                r[0]
                for r in await _rows(
                    url,
                    "SELECT event_id FROM inbox WHERE consumer = :c",
                    c=consumer.replace("_", "-"),
                )
            }
            c = ConsumerReport(consumer)
            c.handled = len(handled & published.keys())
            c.lost = sorted(published[e] for e in published.keys() - handled)
            query = EFFECTS.get(consumer, {}).get(flow.subject)
            if query:
                try:
                    rows = Counter(str(r[0]) for r in await _rows(url, query))
                except Exception as exc:  # report, do not hide the other consumers' figures
                    c.error = f"effect query failed: {type(exc).__name__}: {exc}"[:500]
                else:
                    keys = set(published.values())
                    c.effects = len(keys & rows.keys())
                    c.duplicated = sorted(k for k, n in rows.items() if n > 1 and k in keys)
                    handled_keys = {published[e] for e in handled & published.keys()}
                    c.without_effect = sorted(handled_keys - rows.keys())
            report.consumers.append(c)
        reports.append(report)
    return reports


def summary(reports: list[FlowReport]) -> str:
    lines = []
    for r in reports:
        lines.append(f"{r.subject} from {r.publisher}: {r.published} published")
        for c in r.consumers:
            status = "ok" if c.ok else "GAP"
            effects = "-" if c.effects is None else c.effects
            lines.append(
                f"  {c.consumer:<20} handled {c.handled:>7}  effects {effects:>7}  "
                f"lost {len(c.lost):>5}  duplicated {len(c.duplicated):>5}  "
                f"without effect {len(c.without_effect):>5}  {status}"
            )
            for key in c.lost[:5]:
                lines.append(f"      lost: {key}")
            for key in c.duplicated[:5]:
                lines.append(f"      duplicated: {key}")
            for key in c.without_effect[:5]:
                lines.append(f"      without effect: {key}")
            if c.error:
                lines.append(f"      {c.error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m suxin_common.reconcile",
        description="Compare published events with every consumer's inbox and effects.",
    )
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        metavar="SERVICE=URL",
        help="a service database (repeatable); default: the running dev stack's",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    urls = dict(item.split("=", 1) for item in args.database)
    if not urls:
        from suxin_common.localstack import read_state

        state = read_state() or {}
        urls = {
            svc: info["database_url"]
            for svc, info in (state.get("services") or {}).items()
            if info.get("database_url")
        }
        if not urls:
            parser.error("no --database given and no dev stack runs here")
    reports = asyncio.run(reconcile(urls))
    if args.json:
        print(json.dumps([asdict(r) | {"ok": r.ok} for r in reports], indent=2, default=str))
    else:
        print(summary(reports))
    return 0 if all(r.ok for r in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
