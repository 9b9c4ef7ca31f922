"""Chinese full-text search: jieba segmentation into a `simple` tsvector.

PostgreSQL's parsers do not segment Chinese, and the embedded PostgreSQL (pgserver) ships
without pg_trgm, so job posts store their title and description as jieba tokens (search mode:
words and their sub-words, e.g. 工程师 -> 工程, 工程师) in a `tsvector` built with the `simple`
configuration and a GIN index. A query is segmented in precise mode and every token must match
(`plainto_tsquery('simple', ...)`). The README records the measurement behind this choice.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from functools import cache

MAX_QUERY_TOKENS = 12

_lock = threading.Lock()


@cache
def _jieba():
    with _lock:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        return jieba


def warm_up() -> None:
    """Load the dictionary (about a second), so the first search does not pay for it."""
    _jieba()


def _keep(token: str) -> bool:
    token = token.strip()
    return bool(token) and any(unicodedata.category(c)[0] in "LN" for c in token)


def document_tokens(*texts: str) -> str:
    """Space-separated distinct tokens of the texts, for `to_tsvector('simple', ...)`."""
    jieba = _jieba()
    seen: dict[str, None] = {}
    for text in texts:
        for token in jieba.cut_for_search(text.casefold(), HMM=False):
            if _keep(token):
                seen.setdefault(token.strip(), None)
    return " ".join(seen)


def query_tokens(query: str) -> list[str]:
    """The tokens of a search query, every one of which a post must contain."""
    jieba = _jieba()
    seen: dict[str, None] = {}
    for token in jieba.cut(query.casefold(), HMM=False):
        if _keep(token):
            seen.setdefault(token.strip(), None)
    return list(seen)[:MAX_QUERY_TOKENS]
