"""Every service's OpenAPI teaches: each operation has a summary or description, each request
body an example that its own model accepts, each field a description (Chinese term with the
English beside it), and the documentation pages use no CDN."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError

from suxin_common.apidocs import has_chinese
from suxin_common.security.matrix import SERVICES
from suxin_devkit.testing import service_app


@pytest.fixture(scope="module", params=SERVICES)
def service(request):
    app = service_app(request.param)
    return request.param, app, app.openapi()


def test_every_field_is_described_in_chinese_and_english(service) -> None:
    name, _, spec = service
    undescribed, untranslated = [], []
    for schema_name, schema in spec.get("components", {}).get("schemas", {}).items():
        for prop, prop_schema in (schema.get("properties") or {}).items():
            text = prop_schema.get("description") or ""
            if not text:
                undescribed.append(f"{schema_name}.{prop}")
            elif not has_chinese(text):
                untranslated.append(f"{schema_name}.{prop}")
    assert not undescribed, f"{name}: fields without a description: {undescribed}"
    assert not untranslated, f"{name}: fields described without the Chinese term: {untranslated}"


def test_every_request_body_has_an_example_its_model_accepts(service) -> None:
    name, app, spec = service
    missing, invalid = [], []
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.body_field is None:
            continue
        for method in route.methods:
            operation = spec["paths"][route.path_format][method.lower()]
            content = operation.get("requestBody", {}).get("content", {})
            json_content = content.get("application/json")
            if json_content is None:
                examples = [c for c in content.values() if "example" in c or "examples" in c]
                if not examples:
                    missing.append(f"{method} {route.path_format}")
                continue
            if "example" not in json_content:
                missing.append(f"{method} {route.path_format}")
                continue
            try:
                TypeAdapter(route.body_field.field_info.annotation).validate_python(
                    json_content["example"]
                )
            except ValidationError as exc:
                invalid.append(f"{method} {route.path_format}: {exc.errors()[0]}")
    assert not missing, f"{name}: request bodies without an example: {missing}"
    assert not invalid, f"{name}: examples their own model refuses: {invalid}"


def test_every_operation_says_what_it_does(service) -> None:
    name, _, spec = service
    silent = [
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if not (operation.get("summary") or operation.get("description"))
    ]
    assert not silent, f"{name}: operations with neither summary nor description: {silent}"


def test_the_documentation_pages_load_nothing_from_a_cdn(service) -> None:
    from fastapi.testclient import TestClient

    _, app, _ = service
    client = TestClient(app)
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = client.get(page).text
        assert "cdn." not in html and "unpkg" not in html, page
        assert asset in html
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
