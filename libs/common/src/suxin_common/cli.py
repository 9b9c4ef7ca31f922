"""`suxin`: the developer command line (thin; the work is in suxin_common.devstack).

suxin dev run [--only SVC ...] [--base-port N] [--no-demo]   the stack in the foreground
suxin dev up  [same options]                                 ... in the background
suxin dev down | suxin dev status
suxin migrate <svc> [--database-url URL]
suxin token --role ROLE [--role ...] [--sub S] [--uscc U] [--platform-id P]
            [--institution-id I] [--district D]            HS256 development token
suxin token --client ID [--scope S ...] [--role ROLE ...] [tenant options] [--ttl SECONDS]
                                       EdDSA partner token from the dev issuer (JWKS file)
suxin jwks [--rotate]                  the dev issuer's JWKS (path on stderr); --rotate adds a key
suxin rotate-keys --service SVC [--database-url URL] [--batch-size N]
                                       re-encrypt personal-data columns under the active key
suxin ops dead-letters|streams|requeue|outbox ...   operators' tools (suxin_common.ops_cli)
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
    token.add_argument("--role", action="append", default=[], dest="roles", metavar="ROLE")
    token.add_argument(
        "--client", default=None, help="partner client id: an EdDSA client-credentials token"
    )
    token.add_argument("--scope", action="append", default=[], dest="scopes", metavar="SCOPE")
    token.add_argument("--ttl", type=int, default=None, help="lifetime in seconds")
    token.add_argument("--sub", default="dev-user", help="subject (default dev-user)")
    token.add_argument("--uscc", default=None, help="enterprise USCC claim")
    token.add_argument("--platform-id", default=None)
    token.add_argument("--institution-id", default=None)
    token.add_argument("--district", default=None)
    token.add_argument(
        "--resident-id",
        default=None,
        help="a person verified by real name: puts the person key of this ID in the token",
    )

    jwks = sub.add_parser("jwks", help="print the development issuer's JWKS")
    jwks.add_argument("--rotate", action="store_true", help="add a new active signing key first")

    rotate = sub.add_parser(
        "rotate-keys", help="re-encrypt a service's personal-data columns under the active key"
    )
    rotate.add_argument("--service", required=True, help="e.g. job_matching")
    rotate.add_argument("--database-url", default=None, help="default: $DATABASE_URL")
    rotate.add_argument("--batch-size", type=int, default=500)

    from suxin_common import ops_cli

    ops_cli.add_parser(sub)
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
    if not args.roles and not args.client:
        print("suxin token: give --role (user token) or --client (partner token)", file=sys.stderr)
        return 2
    unknown = [r for r in args.roles if r not in known]
    if unknown:
        print(
            f"suxin token: unknown role(s) {', '.join(unknown)}; roles: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    if args.client:
        return _partner_token(args)
    try:
        token = mint_dev_token(
            ServiceSettings(),
            args.sub,
            list(args.roles),
            uscc=args.uscc,
            platform_id=args.platform_id,
            institution_id=args.institution_id,
            district=args.district,
            scopes=args.scopes,
            person_key=_person_key_of(args.resident_id),
            **({"ttl_s": args.ttl} if args.ttl else {}),
        )
    except (ValueError, RuntimeError) as e:
        print(f"suxin token: {e}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _person_key_of(resident_id: str | None) -> str | None:
    if resident_id is None:
        return None
    from suxin_common.identity import normalize_resident_id
    from suxin_common.privacy import PersonalData
    from suxin_common.settings import ServiceSettings

    return PersonalData.from_settings(ServiceSettings()).person_key(
        normalize_resident_id(resident_id)
    )


def _partner_token(args: argparse.Namespace) -> int:
    from suxin_common.security.devissuer import DEFAULT_TTL_S, DevIssuer
    from suxin_common.settings import ServiceSettings

    tenant = {
        "uscc": args.uscc,
        "platform_id": args.platform_id,
        "institution_id": args.institution_id,
        "district": args.district,
    }
    try:
        issuer = DevIssuer.from_settings(ServiceSettings())
        token = issuer.mint(
            args.client,
            scopes=args.scopes,
            roles=args.roles,
            tenant={k: v for k, v in tenant.items() if v is not None},
            ttl_s=args.ttl or DEFAULT_TTL_S,
        )
    except (ValueError, RuntimeError) as e:
        print(f"suxin token: {e}", file=sys.stderr)
        return 2
    print(f"verify with AUTH_JWKS_FILE={issuer.jwks_path}", file=sys.stderr)
    print(token)
    return 0


def _jwks(args: argparse.Namespace) -> int:
    import json

    from suxin_common.security.devissuer import DevIssuer
    from suxin_common.settings import ServiceSettings

    try:
        issuer = DevIssuer.from_settings(ServiceSettings())
    except RuntimeError as e:
        print(f"suxin jwks: {e}", file=sys.stderr)
        return 2
    if args.rotate:
        print(f"new active key {issuer.rotate()}", file=sys.stderr)
    else:
        issuer.ensure_key()
    print(f"AUTH_JWKS_FILE={issuer.jwks_path}", file=sys.stderr)
    print(json.dumps(issuer.jwks(), indent=2))
    return 0


def _rotate_keys(args: argparse.Namespace) -> int:
    import asyncio

    from suxin_common.migrate import MigrationsNotFound
    from suxin_common.security.rotation import rotate_service

    url = args.database_url or os.environ.get("DATABASE_URL")
    if not url:
        print("suxin rotate-keys: give --database-url or set DATABASE_URL", file=sys.stderr)
        return 2
    try:
        report = asyncio.run(rotate_service(args.service, url, batch_size=args.batch_size))
    except (MigrationsNotFound, ValueError) as e:
        print(f"suxin rotate-keys: {e}", file=sys.stderr)
        return 1
    for column, count in report.items():
        print(f"{column}: {count} row(s) re-encrypted")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    if args.command == "dev":
        return _dev(args)
    if args.command == "migrate":
        return _migrate(args)
    if args.command == "jwks":
        return _jwks(args)
    if args.command == "rotate-keys":
        return _rotate_keys(args)
    if args.command == "ops":
        from suxin_common import ops_cli

        return ops_cli.run(args)
    return _token(args)


if __name__ == "__main__":
    sys.exit(main())
