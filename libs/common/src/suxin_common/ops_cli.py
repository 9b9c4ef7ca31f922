"""``suxin ops ...``: the operators' commands (the work is in :mod:`suxin_common.operate`).

suxin ops dead-letters list    --url URL [--subject S] [--json]
suxin ops dead-letters replay  --url URL (--all | --id N [--id N ...]) [--subject S]
suxin ops dead-letters discard --url URL (--all | --id N [--id N ...]) [--subject S]
suxin ops streams  [--nats-url URL] [--replicas N]       create missing streams (after NATS loss)
suxin ops requeue  [--database-url URL ...] --since 6h|ISO [--subject S]   publish kept rows again
suxin ops outbox   [--database-url URL]                  unpublished rows, oldest age, kept window

The token for the admin API: ``--token`` or ``$SUXIN_OPS_TOKEN``; outside production a
development ``ops`` token is minted when neither is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime


def add_parser(sub: argparse._SubParsersAction) -> None:
    ops = sub.add_parser("ops", help="operators' tools: dead letters, streams, outbox requeue")
    ops_sub = ops.add_subparsers(dest="ops_command", required=True)

    letters = ops_sub.add_parser("dead-letters", help="list, replay or discard dead letters")
    letters.add_argument("action", choices=["list", "replay", "discard"])
    letters.add_argument("--url", required=True, help="the service's base URL")
    letters.add_argument("--subject", default=None, help="only letters of this event subject")
    letters.add_argument("--id", type=int, action="append", default=[], dest="ids")
    letters.add_argument("--all", action="store_true", help="every (matching) letter")
    letters.add_argument("--token", default=None, help="default: $SUXIN_OPS_TOKEN")
    letters.add_argument("--json", action="store_true", help="list: one JSON object a line")

    streams = ops_sub.add_parser("streams", help="create every missing stream of the catalogue")
    streams.add_argument("--nats-url", default=None, help="default: $NATS_URL")
    streams.add_argument("--replicas", type=int, default=None, help="default: $STREAM_REPLICAS")

    requeue = ops_sub.add_parser("requeue", help="publish a service's kept outbox rows again")
    requeue.add_argument(
        "--database-url",
        action="append",
        default=[],
        dest="database_urls",
        help="a service's database (repeat for several); default: $DATABASE_URL",
    )
    requeue.add_argument("--since", required=True, help="ISO time with offset, or 90m / 6h / 7d")
    requeue.add_argument("--subject", default=None)

    outbox = ops_sub.add_parser("outbox", help="a service's outbox: backlog and kept window")
    outbox.add_argument("--database-url", default=None, help="default: $DATABASE_URL")


def _token(args: argparse.Namespace) -> str:
    token = args.token or os.environ.get("SUXIN_OPS_TOKEN")
    if token:
        return token
    from suxin_common.auth import mint_dev_token
    from suxin_common.settings import ServiceSettings

    return mint_dev_token(ServiceSettings(), "ops-cli", ["ops"])  # refused in production


def _say(done: int, total: int, line: str) -> None:
    print(f"[{done}/{total}] {line}", file=sys.stderr, flush=True)


async def _dead_letters(args: argparse.Namespace) -> int:
    import httpx

    if args.action != "list" and not (args.all or args.ids):
        print(f"suxin ops dead-letters {args.action}: give --all or --id", file=sys.stderr)
        return 2
    headers = {"Authorization": f"Bearer {_token(args)}"}
    async with httpx.AsyncClient(
        base_url=args.url, headers=headers, timeout=60, trust_env=False
    ) as client:
        return await run_dead_letters(client, args)


async def run_dead_letters(client, args: argparse.Namespace) -> int:  # noqa: ANN001
    """The dead-letters command on an open client (tests pass one on the app)."""
    from suxin_common import operate

    try:
        letters = await operate.list_dead_letters(client, args.subject)
        if args.action == "list":
            for item in letters:
                if args.json:
                    print(json.dumps(item, ensure_ascii=False, default=str))
                else:
                    print(
                        f"{item['id']}\t{item['created_at']}\t{item['consumer']}\t"
                        f"{item['subject']}\t{item['event_id']}\t{item['error'][:120]}"
                    )
            print(f"{len(letters)} dead letter(s)", file=sys.stderr)
            return 0
        known = {item["id"] for item in letters}
        ids = sorted(known) if args.all else args.ids
        unknown = [i for i in ids if i not in known]
        if unknown:
            print(f"no such dead letter(s): {unknown}", file=sys.stderr)
            return 1
        act = (
            operate.replay_dead_letters if args.action == "replay" else operate.discard_dead_letters
        )
        result = await act(client, ids, _say)
    except operate.OpsError as e:
        print(f"suxin ops: {e}", file=sys.stderr)
        return 1
    print(f"{args.action}: {result.line()}")
    return 0 if result.ok else 1


def run(args: argparse.Namespace) -> int:
    from suxin_common import operate

    if args.ops_command == "dead-letters":
        return asyncio.run(_dead_letters(args))
    if args.ops_command == "streams":
        url = args.nats_url or os.environ.get("NATS_URL")
        if not url:
            print("suxin ops streams: give --nats-url or set NATS_URL", file=sys.stderr)
            return 2
        names = asyncio.run(operate.ensure_streams(url, args.replicas))
        print("streams present: " + ", ".join(names))
        return 0
    given = args.database_urls if args.ops_command == "requeue" else [args.database_url]
    urls = [u for u in given if u] or [os.environ.get("DATABASE_URL", "")]
    if not all(urls):
        print(
            f"suxin ops {args.ops_command}: give --database-url or set DATABASE_URL",
            file=sys.stderr,
        )
        return 2
    if args.ops_command == "outbox":
        print(json.dumps(asyncio.run(operate.outbox_state(urls[0]))))
        return 0
    try:
        since = operate.parse_since(args.since, datetime.now(UTC))
    except ValueError as e:
        print(f"suxin ops requeue: {e}", file=sys.stderr)
        return 2
    total = 0
    for url in urls:
        n = asyncio.run(operate.requeue_outbox(url, since, args.subject))
        total += n
        print(f"{_database_name(url)}: {n} outbox row(s) queued for publishing again")
    print(f"{total} outbox row(s) created since {since.isoformat()} queued in all")
    return 0


def _database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database or url
