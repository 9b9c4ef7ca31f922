"""`suxin dev`: the local stack from the command line (plugged into `suxin` by the ``suxin.cli``
entry point of this package; the work is in suxin_devkit.devstack).

suxin dev run [--only SVC ...] [--base-port N] [--no-demo]   the stack in the foreground
suxin dev up  [same options]                                 ... in the background
suxin dev down | suxin dev status
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


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


def register(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``dev`` to the `suxin` command line; returns its handler."""
    dev = sub.add_parser("dev", help="the local stack (PostgreSQL, NATS, the six services)")
    dev_sub = dev.add_subparsers(dest="dev_command", required=True)
    run = dev_sub.add_parser("run", help="start everything in the foreground; Ctrl-C stops it")
    _stack_options(run)
    up = dev_sub.add_parser("up", help="start the stack in the background; return when ready")
    _stack_options(up)
    dev_sub.add_parser("down", help="stop the background stack (idempotent)")
    dev_sub.add_parser("status", help="what runs, and whether every service is ready")
    return {"dev": dev_command}


def dev_command(args: argparse.Namespace) -> int:
    if args.dev_command == "run":
        from suxin_devkit.devstack.stack import DEV_BASE_PORT, SERVICES, Stack, default_ports

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
    from suxin_devkit.devstack import control

    if args.dev_command == "up":
        return control.up(_stack_argv(args))
    if args.dev_command == "down":
        return control.down()
    return control.status()
