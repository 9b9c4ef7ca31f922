"""OpenAPI that teaches: every field described, every request body with an example.

A service's models describe their own fields where the meaning is specific; everything else
takes its description from the shared glossary (``glossary.yaml``: one Chinese term and its
English beside it, for the same field name in every service). Request bodies without an
example get one built from the schema: the model's own examples first, then the glossary's
example values, then the schema's enums, formats and bounds — so the example is a valid
request (tests/docs validates each against its model).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml
from fastapi import FastAPI

_REF = "#/components/schemas/"


@cache
def glossary() -> Mapping[str, Mapping[str, Any]]:
    text = resources.files(__package__).joinpath("glossary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def describe(name: str) -> str | None:
    entry = glossary().get(name)
    return f"{entry['zh']} / {entry['en']}" if entry else None


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _resolve(schema: Mapping[str, Any], spec: Mapping[str, Any]) -> Mapping[str, Any]:
    seen = 0
    while "$ref" in schema and seen < 20:
        schema = spec["components"]["schemas"][schema["$ref"].removeprefix(_REF)]
        seen += 1
    return schema


def _describe_properties(schema: dict[str, Any]) -> None:
    for name, prop in (schema.get("properties") or {}).items():
        own = prop.get("description")
        entry = glossary().get(name)
        if not own:
            text = describe(name)
            if text:
                prop["description"] = text
        elif entry and not has_chinese(own):
            # The model's own (English) words stay; the Chinese term goes in front.
            prop["description"] = f"{entry['zh']} / {own}"
        _describe_properties(prop)
        for key in ("items", "additionalProperties"):
            if isinstance(prop.get(key), dict):
                _describe_properties(prop[key])


_FORMATS = {
    "date": "2026-12-01",
    "date-time": "2026-12-01T09:30:00+08:00",
    "uuid": "3f6c1c2e-8a0b-4c55-9d2e-1b2a3c4d5e6f",
    "uri": "https://partner.example.com/suxin/webhooks",
    "email": "hr@example.com",
}


def example_for(
    schema: Mapping[str, Any], spec: Mapping[str, Any], name: str | None = None, depth: int = 0
) -> Any:
    """A value valid for `schema` (best effort; tests check it against the model)."""
    if depth > 8:
        return None
    for key in ("example", "default"):
        if key in schema and schema[key] is not None:
            return copy.deepcopy(schema[key])
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    entry = glossary().get(name or "")
    if entry and "example" in entry:
        return entry["example"]
    if "$ref" in schema:
        return example_for(_resolve(schema, spec), spec, name, depth + 1)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example_for(options[0], spec, name, depth + 1) if options else None
    if "allOf" in schema:
        return example_for(schema["allOf"][0], spec, name, depth + 1)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required") or [])
        out = {}
        for prop_name, prop in (schema.get("properties") or {}).items():
            wanted = prop_name in required or (glossary().get(prop_name) or {}).get("example")
            if wanted:
                out[prop_name] = example_for(prop, spec, prop_name, depth + 1)
        return out
    if kind == "array":
        item = example_for(schema.get("items") or {}, spec, None, depth + 1)
        return [item] * max(1, int(schema.get("minItems") or 1))
    if kind == "string":
        if schema.get("format") in _FORMATS:
            return _FORMATS[schema["format"]]
        text = "示例"
        minimum = int(schema.get("minLength") or 0)
        return (text * (minimum // len(text) + 1))[: max(minimum, len(text))]
    if kind == "integer":
        if "minimum" in schema:
            return int(schema["minimum"])
        if "exclusiveMinimum" in schema:
            return int(schema["exclusiveMinimum"]) + 1
        return 1
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return None


def enrich(spec: dict[str, Any]) -> dict[str, Any]:
    """Describe undescribed fields from the glossary and give every JSON request body an
    example. Changes `spec` in place and returns it."""
    for schema in (spec.get("components") or {}).get("schemas", {}).values():
        _describe_properties(schema)
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters") or []:
                if not parameter.get("description"):
                    text = describe(parameter.get("name", ""))
                    if text:
                        parameter["description"] = text
            body = operation.get("requestBody")
            if not body:
                continue
            for media_type, content in (body.get("content") or {}).items():
                if "example" in content or "examples" in content:
                    continue
                if "json" in media_type and "schema" in content:
                    content["example"] = example_for(content["schema"], spec)
    return spec


DOC_PAGES = frozenset({"/docs", "/redoc"})
# The documentation pages load their assets from the service only (fastapi-offline's packaged
# Swagger UI and ReDoc); this policy makes the browser refuse anything else they might reach
# for (ReDoc's bundle links a logo on a CDN), so they behave the same with or without internet.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)


def install(app: FastAPI) -> None:
    """Serve the enriched document as the app's OpenAPI."""
    original: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = enrich(original())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
