"""`suxin`: the command line (thin; the work is in the modules it calls).

suxin migrate <svc> [--database-url URL]
suxin token --role ROLE [--role ...] [--sub S] [--uscc U] [--platform-id P]
            [--institution-id I] [--district D]            HS256 development token
suxin token --client ID [--scope S ...] [--role ROLE ...] [tenant options] [--ttl SECONDS]
                                       EdDSA partner token from the dev issuer (JWKS file)
suxin jwks [--rotate]                  the dev issuer's JWKS (path on stderr); --rotate adds a key
suxin rotate-keys --service SVC [--database-url URL] [--batch-size N]
                                       re-encrypt personal-data columns under the active key
suxin ops dead-letters|streams|requeue|outbox ...   operators' tools (suxin_common.ops_cli)

Further command groups come from installed packages through the ``suxin.cli`` entry points
(``register(subparsers) -> {command: handler}``): the development kit adds ``suxin dev run|up|
down|status`` (suxin_devkit.cli), so the runtime kit never imports the development tooling and the
production image, which has no development kit, simply has no ``dev`` command.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points


def _build_parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[..., int]]]:
    parser = argparse.ArgumentParser(prog="suxin", description="Suxin commands")
    sub = parser.add_subparsers(dest="command", required=True)
    plugged: dict[str, Callable[..., int]] = {}
    for entry in entry_points(group="suxin.cli"):
        plugged.update(entry.load()(sub))

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
        "--department", default=None, help="department claim of a data-exchange client"
    )
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
    plugged["ops"] = ops_cli.run
    return parser, plugged


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
            department=args.department,
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
    parser, plugged = _build_parser()
    args = parser.parse_args(argv)
    if args.command in plugged:
        return plugged[args.command](args)
    if args.command == "migrate":
        return _migrate(args)
    if args.command == "jwks":
        return _jwks(args)
    if args.command == "rotate-keys":
        return _rotate_keys(args)
    return _token(args)


if __name__ == "__main__":
    sys.exit(main())
