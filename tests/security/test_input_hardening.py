"""Request bodies refuse unknown fields (no mass assignment), on every service's OpenAPI.

Every object schema reachable from a JSON request body must say `additionalProperties: false`
(pydantic's `extra="forbid"`, which `suxin_common.web.InputModel` sets)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from security.harness import SERVICES
from suxin_common.security.matrix import service_app
from suxin_common.web import InputModel


def object_schemas(schema: Any, components: dict, seen: set[str], where: str) -> Iterator:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return
        seen.add(name)
        yield from object_schemas(components.get(name, {}), components, seen, name)
        return
    if schema.get("type") == "object" or "properties" in schema:
        yield where, schema
    for key in ("properties",):
        for field, sub in (schema.get(key) or {}).items():
            yield from object_schemas(sub, components, seen, f"{where}.{field}")
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from object_schemas(schema[key], components, seen, where)
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in schema.get(key) or ():
            yield from object_schemas(sub, components, seen, where)


def open_request_bodies(openapi: dict) -> list[str]:
    components = openapi.get("components", {}).get("schemas", {})
    problems = []
    for path, operations in openapi.get("paths", {}).items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            for media_type, body in content.items():
                if "json" not in media_type:
                    continue
                for where, schema in object_schemas(body.get("schema"), components, set(), "body"):
                    extra = schema.get("additionalProperties")
                    if isinstance(extra, dict) and "properties" not in schema:
                        continue  # a typed map (dict[str, int]): its keys are data, not fields
                    if extra is not False:
                        problems.append(f"{method.upper()} {path}: {where} allows unknown fields")
    return problems


@pytest.mark.parametrize("service", SERVICES)
def test_request_bodies_forbid_unknown_fields(service):
    problems = open_request_bodies(service_app(service).openapi())
    assert not problems, f"{service}:\n" + "\n".join(sorted(set(problems)))


class Open(BaseModel):
    name: str


class Closed(InputModel):
    name: str
    amounts_fen: dict[str, int] = {}


def test_the_check_notices_an_open_body():
    app = FastAPI()

    @app.post("/open")
    async def open_body(body: Open) -> None: ...

    @app.post("/closed")
    async def closed_body(body: Closed) -> None: ...

    assert open_request_bodies(app.openapi()) == ["POST /open: Open allows unknown fields"]
