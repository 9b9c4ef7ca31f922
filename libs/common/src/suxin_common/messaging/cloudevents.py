"""CloudEvents 1.0 in binary mode on NATS headers.

The payload is the protobuf message; the envelope travels in ``ce-*`` headers together with
the W3C trace context. ``Nats-Msg-Id`` equals ``ce-id`` so JetStream drops duplicates that a
relay re-publishes within the stream's duplicate window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

CONTENT_TYPE = "application/protobuf"
SPEC_VERSION = "1.0"
_REQUIRED = ("ce-id", "ce-type", "ce-source")


class EnvelopeError(ValueError):
    """The headers do not form a CloudEvents envelope: the message is poison."""


@dataclass(frozen=True)
class EventMeta:
    id: str
    type: str
    source: str
    subject: str
    time: datetime
    headers: dict[str, str]


def build_headers(
    *,
    event_id: str,
    ce_type: str,
    source: str,
    subject: str,
    time: datetime,
    trace_headers: dict[str, str],
) -> dict[str, str]:
    headers = {
        "ce-specversion": SPEC_VERSION,
        "ce-id": event_id,
        "ce-type": ce_type,
        "ce-source": source,
        "ce-subject": subject,
        "ce-time": time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "ce-datacontenttype": CONTENT_TYPE,
        "Nats-Msg-Id": event_id,
    }
    headers.update(trace_headers)
    return headers


def parse_headers(headers: dict[str, str] | None) -> EventMeta:
    headers = dict(headers or {})
    missing = [h for h in _REQUIRED if not headers.get(h)]
    if missing:
        raise EnvelopeError(f"missing CloudEvents headers: {', '.join(missing)}")
    if headers.get("ce-datacontenttype", CONTENT_TYPE) != CONTENT_TYPE:
        raise EnvelopeError(f"unsupported content type {headers['ce-datacontenttype']!r}")
    raw_time = headers.get("ce-time")
    try:
        time = datetime.fromisoformat(raw_time.replace("Z", "+00:00")) if raw_time else None
    except ValueError as exc:
        raise EnvelopeError(f"bad ce-time {raw_time!r}") from exc
    return EventMeta(
        id=headers["ce-id"],
        type=headers["ce-type"],
        source=headers["ce-source"],
        subject=headers.get("ce-subject", ""),
        time=time or datetime.now(UTC),
        headers=headers,
    )
