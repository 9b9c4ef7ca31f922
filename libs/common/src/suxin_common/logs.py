"""Logs as one JSON object per line, with the trace and span of the moment they were written.

``configure_logging`` sends the root logger (and uvicorn's loggers) to stderr as JSON, so a log
line can be found from a trace and a trace from a log line: ``trace_id`` and ``span_id`` are
the W3C ids, hex, as trace viewers show them. ``LOG_FORMAT=text`` gives plain lines for a
terminal; ``LOG_LEVEL`` sets the level (default INFO).
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any

import orjson
from opentelemetry import trace

from suxin_common.privacy import mask_personal_data

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = frozenset(
    set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__)
    | {"message", "asctime", "taskName", "color_message"}
)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, trace ids, extras."""

    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if self.service:
            entry["service"] = self.service
        span = trace.get_current_span().get_span_context()
        if span.is_valid:
            entry["trace_id"] = format(span.trace_id, "032x")
            entry["span_id"] = format(span.span_id, "016x")
        if record.exc_info:
            # The masking record factory may have formatted (and masked) it already.
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry.setdefault(key, value)
        # Every path out goes through the masking: messages, extras, tracebacks alike.
        return mask_personal_data(orjson.dumps(entry, default=str).decode())


class _SkipHealthChecks(logging.Filter):
    """Drop uvicorn's access lines for /livez and /readyz: probes hit them every few seconds."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            return args[2].split("?", 1)[0] not in ("/livez", "/readyz")
        return True


class _Handler(logging.StreamHandler):
    """Ours, so configuring twice replaces instead of doubling."""


def configure_logging(service: str | None = None, *, fmt: str | None = None) -> None:
    """Root and uvicorn loggers to stderr, JSON unless ``LOG_FORMAT=text``."""
    fmt = (fmt or os.environ.get("LOG_FORMAT") or "json").lower()
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    handler = _Handler(sys.stderr)
    if fmt == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    else:
        handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn installs its own plain handlers; route its records through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _SkipHealthChecks) for f in access.filters):
        access.addFilter(_SkipHealthChecks())
