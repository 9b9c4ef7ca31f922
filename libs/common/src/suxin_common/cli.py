"""`suxin`: the developer command line (thin; the work is in suxin_common.devstack).

suxin dev run [--only SVC ...] [--base-port N] [--no-demo]   the stack in the foreground
suxin dev up  [same options]                                 ... in the background
suxin dev down | suxin dev status
suxin migrate <svc> [--database-url URL]
suxin token --role ROLE [--role ...] [--sub S] [--uscc U] [--platform-id P]
            [--institution-id I] [--district D]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _stack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--only",
        action="append",
        metavar="SVC",
        default=[],
        help="run only this service (repeatable; e.g. job_matching or job-matching)",
    )
    parser.add_argument(
        "--base-port",
        type=int,
        default=None,
        help="port of the first service (default 8101; the others follow in order)",
    )
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    parser.add_argument(
        "--ready-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for every /readyz (default 60)",
    )


def _stack_argv(args: argparse.Namespace) -> list[str]:
    argv: list[str] = []
    for svc in args.only:
        argv += ["--only", svc]
    if args.base_port is not None:
        argv += ["--base-port", str(args.base_port)]
    if args.no_demo:
        argv.append("--no-demo")
    argv += ["--ready-timeout", str(args.ready_timeout)]
    return argv


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="suxin", description="Suxin developer commands")
    sub = parser.add_subparsers(dest="command", required=True)

    dev = sub.add_parser("dev", help="the local stack (PostgreSQL, NATS, the six services)")
    dev_sub = dev.add_subparsers(dest="dev_command", required=True)
    run = dev_sub.add_parser("run", help="start everything in the foreground; Ctrl-C stops it")
    _stack_options(run)
    up = dev_sub.add_parser("up", help="start the stack in the background; return when ready")
    _stack_options(up)
    dev_sub.add_parser("down", help="stop the background stack (idempotent)")
    dev_sub.add_parser("status", help="what runs, and whether every service is ready")

    migrate = sub.add_parser("migrate", help="alembic upgrade head for one service")
    migrate.add_argument("service", help="e.g. job_matching (or job-matching)")
    migrate.add_argument("--database-url", default=None, help="default: $DATABASE_URL")
    migrate.add_argument("--revision", default="head")

    token = sub.add_parser("token", help="print a development JWT")
    token.add_argument("--role", action="append", required=True, dest="roles", metavar="ROLE")
    token.add_argument("--sub", default="dev-user", help="subject (default dev-user)")
    token.add_argument("--uscc", default=None, help="enterprise USCC claim")
    token.add_argument("--platform-id", default=None)
    token.add_argument("--institution-id", default=None)
    token.add_argument("--district", default=None)
    return parser


def _dev(args: argparse.Namespace) -> int:
    if args.dev_command == "run":
        from suxin_common.devstack.stack import DEV_BASE_PORT, SERVICES, Stack, default_ports

        only = [s.replace("-", "_") for s in args.only]
        unknown = [s for s in only if s not in SERVICES]
        if unknown:
            print(
                f"suxin dev: unknown service(s) {', '.join(unknown)}; known: {', '.join(SERVICES)}",
                file=sys.stderr,
            )
            return 2
        ports = default_ports(args.base_port or DEV_BASE_PORT, only or SERVICES)
        stack = Stack(services=ports, load_demo=not args.no_demo, ready_timeout=args.ready_timeout)
        return stack.run()
    from suxin_common.devstack import control

    if args.dev_command == "up":
        return control.up(_stack_argv(args))
    if args.dev_command == "down":
        return control.down()
    return control.status()


def _migrate(args: argparse.Namespace) -> int:
    from suxin_common.migrate import MigrationsNotFound, upgrade

    url = args.database_url or os.environ.get("DATABASE_URL")
    if not url:
        print("suxin migrate: give --database-url or set DATABASE_URL", file=sys.stderr)
        return 2
    try:
        upgrade(args.service, url, args.revision)
    except MigrationsNotFound as e:
        print(f"suxin migrate: {e}", file=sys.stderr)
        return 1
    print(f"{args.service}: migrated to {args.revision}")
    return 0


def _token(args: argparse.Namespace) -> int:
    from suxin_common.auth import Role, mint_dev_token
    from suxin_common.settings import ServiceSettings

    known = [r.value for r in Role]
    unknown = [r for r in args.roles if r not in known]
    if unknown:
        print(
            f"suxin token: unknown role(s) {', '.join(unknown)}; roles: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    try:
        token = mint_dev_token(
            ServiceSettings(),
            args.sub,
            list(args.roles),
            uscc=args.uscc,
            platform_id=args.platform_id,
            institution_id=args.institution_id,
            district=args.district,
        )
    except (ValueError, RuntimeError) as e:
        print(f"suxin token: {e}", file=sys.stderr)
        return 2
    print(token)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "dev":
        return _dev(args)
    if args.command == "migrate":
        return _migrate(args)
    return _token(args)


if __name__ == "__main__":
    sys.exit(main())
