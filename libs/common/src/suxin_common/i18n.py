"""Chinese first: the language of user-facing text, chosen per request.

Text for people (problem titles, reasons, messages) is Chinese unless the request asks for
English with ``Accept-Language: en`` (any ``en`` tag ranked above every ``zh`` tag); machine
codes stay the same in both. The kit's edge layer (`suxin_common.web_edge.EdgeMiddleware`)
puts the choice in :data:`current_language` for the request, so code far from the request
(response models, problem details) renders in it, and answers with ``Content-Language``.
"""

from __future__ import annotations

import contextvars
from typing import Final, Literal

Language = Literal["zh", "en"]
DEFAULT_LANGUAGE: Final[Language] = "zh"
CONTENT_LANGUAGE: Final[dict[str, str]] = {"zh": "zh-CN", "en": "en"}

current_language: contextvars.ContextVar[Language] = contextvars.ContextVar(
    "suxin_language", default=DEFAULT_LANGUAGE
)


def negotiate(accept_language: str | None) -> Language:
    """The language for an `Accept-Language` header: `en` only if an English tag outranks
    every Chinese one (ties keep Chinese); anything unparsable is Chinese."""
    best: dict[str, float] = {}
    for part in (accept_language or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().split("-")[0].casefold()
        if primary not in ("zh", "en"):
            continue
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                continue
        best[primary] = max(best.get(primary, 0.0), quality)
    if best.get("en", 0.0) > best.get("zh", 0.0):
        return "en"
    return DEFAULT_LANGUAGE


def text(zh: str, en: str) -> str:
    """The Chinese or the English text, as the current request asked."""
    return en if current_language.get() == "en" else zh
