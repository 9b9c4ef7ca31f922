"""Rule reasons: a stable code and its parameters are stored; people read them rendered, in
Chinese unless the request asks for English (``Accept-Language: en``).

A reason is kept as the JSON text ``{"code": "condition.not_met", "params": {...}}`` (one
element of a ``text[]`` column, or of a JSON document), so stored rows, events and
comparisons stay plain strings. ``messages/reasons.yaml`` is the one vocabulary: each code's
Chinese and English template, the English of the policies' own words (a condition's
meaning, a group's name), and how a fact's value is shown. :func:`render` turns a stored
reason into text at the edge (API responses, pages).

Text stored before reasons had codes (mixed Chinese and English, e.g. ``符合 met：…``) is not a
JSON object: it is shown as it was stored, in either language (:data:`LEGACY`).
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator

from suxin_common.i18n import Language, current_language

LEGACY = "legacy.text"  # a reason stored as text before codes: {"text": ...}


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def stored(self) -> str:
        return stored(self.code, **self.params)


def stored(code: str, **params: Any) -> str:
    """The stored form of a reason (deterministic: equal reasons are equal strings)."""
    if code not in catalogue()["codes"]:
        raise KeyError(f"reason code {code!r} is not in suxin_common/messages/reasons.yaml")
    return _STORED.encode({"code": code, "params": params})


# json.dumps with these options builds an encoder per call; one encoder gives the same text.
_STORED = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=str)


def parse(value: str | Reason) -> Reason:
    """A stored reason; text stored before codes is a :data:`LEGACY` reason."""
    if isinstance(value, Reason):
        return value
    if value.startswith("{"):
        try:
            doc = json.loads(value)
        except ValueError:
            doc = None
        if isinstance(doc, dict) and isinstance(doc.get("code"), str):
            return Reason(doc["code"], doc.get("params") or {})
    return Reason(LEGACY, {"text": value})


def code_of(value: str | Reason) -> str:
    return parse(value).code


@cache
def catalogue() -> dict[str, Any]:
    raw = resources.files("suxin_common.messages").joinpath("reasons.yaml").read_text("utf-8")
    doc = yaml.safe_load(raw)
    for code, entry in doc["codes"].items():
        if set(_fields(entry["zh"])) != set(_fields(entry["en"])):
            raise ValueError(f"reason {code}: the Chinese and English templates differ in values")
    return doc


def _fields(template: str) -> list[str]:
    return [n for _, n, _, _ in string.Formatter().parse(template) if n is not None]


def phrase(text: str, language: Language) -> str:
    """A policy's own words (Chinese) in `language`; unknown words stay as written."""
    if language == "zh":
        return text
    return catalogue()["phrases"].get(text, text)


def _value(value: Any, language: Language) -> str:
    shown = catalogue()["values"]
    if value is None:
        return shown["none"][language]
    if isinstance(value, bool):
        return shown["true" if value else "false"][language]
    if isinstance(value, Mapping) and "zh" in value and "en" in value:  # a name in both
        return str(value[language])
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v, language) for v in value) + "]"
    if isinstance(value, str):
        return phrase(value, language)
    return str(value)


def _facts(facts: Mapping[str, Any], language: Language) -> str:
    return ", ".join(f"{name}={_value(v, language)}" for name, v in sorted(facts.items()))


def _param(name: str, value: Any, language: Language) -> str:
    if name == "facts" and isinstance(value, Mapping):
        return _facts(value, language)
    if name in ("names", "insurances") and isinstance(value, (list, tuple)):
        sep = "、" if language == "zh" else ", "
        return sep.join(str(v) for v in value)
    if name.endswith("_fen") and isinstance(value, int):
        return str(value)
    return _value(value, language)


def render(value: str | Reason, language: Language | None = None) -> str:
    """A stored reason as text in `language` (the request's, by default)."""
    language = language or current_language.get()
    reason = parse(value)
    if reason.code == LEGACY:
        return str(reason.params.get("text", ""))
    entry = catalogue()["codes"].get(reason.code)
    if entry is None:  # a code this build does not know: show it, never fail a read
        return reason.code
    params = {k: _param(k, v, language) for k, v in reason.params.items()}
    for name in _fields(entry[language]):
        params.setdefault(name, "")
    return entry[language].format(**params)


def render_all(values: Iterable[str | Reason], language: Language | None = None) -> list[str]:
    return [render(v, language) for v in values]


def _rendered(value: str) -> str:
    return render(value)


# A response field holding a stored reason (or text typed by staff, shown as typed): rendered
# in the request's language when the response model is built.
Rendered = Annotated[str, AfterValidator(_rendered)]
