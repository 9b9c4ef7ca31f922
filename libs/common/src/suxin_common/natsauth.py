"""Least privilege on NATS: one user per service, publish/subscribe limited to its own subjects.

A service's user (named like the package, ``job_matching``) may

- publish its own events (``suxin.<context>.>`` of the streams it publishes) and its audit
  checkpoints (``suxin.audit.checkpoint.<service-name>`` on SUXIN_AUDIT_CHECKPOINTS);
- call the JetStream API for stream info/creation (the catalogue's streams only; updates of its
  own streams only), its own durable consumer (named after the service) on any stream,
  short-lived consumers of any name only on the streams it consumes (employment-monitor's
  replay), and reading checkpoints back;
- ack, nak and answer flow control for its own consumer; receive replies on its own inbox
  prefix ``_INBOX_<user>.>`` only (:func:`inbox_prefix`; its clients connect with it), so it
  cannot read the replies meant for another service (JetStream API answers, fetched messages).

Everything else (another service's subjects, deleting or purging streams, another consumer)
is refused by the server ("Permissions Violation"). ``suxin_admin`` has every right: tests,
the demo loader and operators.

What each service publishes and consumes comes from its app (``app.state.bus_use``, set by
``build_service_app``), written to ``messaging/bus_map.json`` by ``scripts/nats_users.py``; a
test keeps that file fresh. Passwords: ``$NATS_PASSWORD_<SERVICE>`` in the server's
environment (deploy/compose, deploy/k8s); development and tests derive them (:func:`dev_password`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ADMIN_USER = "suxin_admin"
CHECKPOINT_STREAM = "SUXIN_AUDIT_CHECKPOINTS"  # = security.audit_checkpoints.STREAM
CHECKPOINT_PREFIX = "suxin.audit.checkpoint."
DEV_NATS_PASSWORD_SEED = "suxin-dev-nats-password-seed-not-for-production"
BUS_MAP_FILE = Path(__file__).resolve().parent / "messaging" / "bus_map.json"


def user_of(service: str) -> str:
    return service.strip().replace("-", "_")


def service_name_of(service: str) -> str:
    return service.strip().replace("_", "-")


def password_env(user: str) -> str:
    """The environment variable holding `user`'s password in the server's config."""
    return "NATS_PASSWORD_" + user.upper()


def dev_password(user: str) -> str:
    digest = hmac.new(DEV_NATS_PASSWORD_SEED.encode(), user.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


@cache
def bus_map() -> dict[str, dict]:
    """service -> {"consumer", "publishes", "consumes"} (stream names), from bus_map.json."""
    return json.loads(BUS_MAP_FILE.read_text())


def all_streams() -> list[str]:
    from suxin_common.messaging.catalog import STREAMS

    return sorted({s.name for s in STREAMS} | {CHECKPOINT_STREAM})


def permissions(service: str, use: Mapping | None = None) -> dict:
    """The NATS permissions of `service`'s user (a service missing from the bus map may only
    publish its checkpoints)."""
    from suxin_common.messaging.catalog import STREAMS

    use = use if use is not None else bus_map().get(user_of(service), {})
    consumer = use.get("consumer") or service_name_of(service)
    contexts = {s.name: s.context for s in STREAMS}
    publishes = sorted(use.get("publishes", []))
    consumes = sorted(use.get("consumes", []))
    api = "$JS.API"
    allow = [f"suxin.{contexts[s]}.>" for s in publishes if s in contexts]
    allow += [
        CHECKPOINT_PREFIX + consumer,
        f"{api}.INFO",
        f"{api}.STREAM.NAMES",
        f"{api}.STREAM.MSG.GET.{CHECKPOINT_STREAM}",
        f"{api}.DIRECT.GET.{CHECKPOINT_STREAM}.>",
    ]
    for stream in all_streams():
        allow += [f"{api}.STREAM.INFO.{stream}", f"{api}.STREAM.CREATE.{stream}"]
    allow += [f"{api}.STREAM.UPDATE.{s}" for s in publishes]
    # Its own durable consumer, on any stream (a new subscription needs no new permission).
    allow += [
        f"{api}.CONSUMER.CREATE.*.{consumer}",
        f"{api}.CONSUMER.CREATE.*.{consumer}.>",
        f"{api}.CONSUMER.DURABLE.CREATE.*.{consumer}",
        f"{api}.CONSUMER.INFO.*.{consumer}",
        f"{api}.CONSUMER.MSG.NEXT.*.{consumer}",
        f"$JS.ACK.*.{consumer}.>",
    ]
    # Short-lived consumers of any name (replays) on the streams it consumes.
    for stream in consumes:
        allow += [
            f"{api}.CONSUMER.CREATE.{stream}",
            f"{api}.CONSUMER.CREATE.{stream}.>",
            f"{api}.CONSUMER.INFO.{stream}.>",
            f"{api}.CONSUMER.DELETE.{stream}.>",
            f"$JS.FC.{stream}.>",
        ]
    return {
        "publish": {"allow": allow},
        "subscribe": {"allow": [inbox_prefix(user=user_of(service)) + ".>"]},
    }


def _conf(value: object, indent: int = 0) -> str:
    """A value in nats-server's config syntax (JSON-like; $VAR references left bare)."""
    pad = "  " * indent
    if isinstance(value, dict):
        inner = "\n".join(f"{pad}  {k}: {_conf(v, indent + 1)}" for k, v in value.items())
        return "{\n" + inner + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = "\n".join(f"{pad}  {_conf(v, indent + 1)}" for v in value)
        return "[\n" + inner + f"\n{pad}]"
    if isinstance(value, str) and value.startswith("$") and not value.startswith("$JS"):
        return value
    return json.dumps(value)


def users(services: Iterable[str]) -> list[dict]:
    """The authorization users: the admin and one per service, passwords as $VAR references."""
    entries = [{"user": ADMIN_USER, "password": "$" + password_env(ADMIN_USER)}]
    for service in sorted({user_of(s) for s in services}):
        entries.append(
            {
                "user": service,
                "password": "$" + password_env(service),
                "permissions": permissions(service),
            }
        )
    return entries


def server_config(services: Iterable[str]) -> str:
    """The ``authorization`` block of nats-server's config for these services."""
    return (
        "# Generated by suxin_common.natsauth (scripts/nats_users.py): one user per service,\n"
        "# passwords from the environment ($NATS_PASSWORD_<USER>).\n"
        "authorization " + _conf({"users": users(services)}) + "\n"
    )


def dev_passwords(services: Iterable[str]) -> dict[str, str]:
    """user -> development password, the admin included."""
    names = [ADMIN_USER, *sorted({user_of(s) for s in services})]
    return {name: dev_password(name) for name in names}


def password_environment(passwords: Mapping[str, str]) -> dict[str, str]:
    return {password_env(user): pw for user, pw in passwords.items()}


def with_user(url: str, user: str, password: str) -> str:
    """`url` (possibly a comma-separated list) with `user`'s credentials on every server."""
    out = []
    for part in url.split(","):
        p = urlsplit(part.strip())
        host = p.hostname or "127.0.0.1"
        netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
        if p.port:
            netloc += f":{p.port}"
        out.append(urlunsplit((p.scheme or "nats", netloc, p.path, p.query, p.fragment)))
    return ",".join(out)


def inbox_prefix(url: str = "", *, user: str | None = None) -> str:
    """The reply-subject prefix for a client connecting as `user` (else as the user named in
    `url`): ``_INBOX_<user>`` for a service's user, whose permissions allow no other inbox;
    the NATS default ``_INBOX`` for the admin or a connection without a user."""
    if not user:
        user = urlsplit(url.split(",")[0].strip()).username if url else None
    if not user or user == ADMIN_USER:
        return "_INBOX"
    return "_INBOX_" + user_of(user)


def service_user_url(url: str, service: str, passwords: Mapping[str, str]) -> str:
    """`url` as `service`'s user; `url` itself when the server has no such user."""
    user = user_of(service)
    if user not in passwords:
        return url
    return with_user(url, user, passwords[user])
