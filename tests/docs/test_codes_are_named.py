"""Names beside codes, in every service (issue 26): wherever a response an app displays carries
a code from a national table or a platform vocabulary, the same object carries its name, so no
app ships code tables of its own. Checked on each service's OpenAPI (the API contract); the
job-matching render test (services/job_matching/tests/integration/test_app_renders_from_api.py)
renders a job card, a recommendation and a filter menu from live JSON."""

from __future__ import annotations

import pytest

from suxin_common.security.matrix import SERVICES
from suxin_devkit.testing import service_app

# A displayed code -> the member that names it.
NAMED = {
    "city_code": "city_name",
    "district_code": "district_name",
    "occupation_code": "occupation_name",
    "industry_code": "industry_name",
    "residence_district": "residence_district_name",
    "education": "education_name",
    "skill_level": "skill_level_name",
    "target_level": "target_level_name",
}
# Responses that are not displayed to people as they are (machine feeds, audit, exports).
NOT_DISPLAYED = ("Event", "Audit", "Replay", "Dead", "Delivery", "Feed", "Fact", "Batch")


@pytest.fixture(scope="module", params=SERVICES)
def spec(request):
    return request.param, service_app(request.param).openapi()


def _response_schemas(openapi: dict) -> set[str]:
    """Names of the component schemas used in responses (directly or nested)."""
    schemas = openapi.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in seen:
                    seen.add(name)
                    walk(schemas.get(name, {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in openapi.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict):
                walk(operation.get("responses", {}))
    return seen


def test_every_displayed_code_has_its_name_beside_it(spec) -> None:
    service, openapi = spec
    schemas = openapi.get("components", {}).get("schemas", {})
    unnamed = []
    for name in sorted(_response_schemas(openapi)):
        if name.endswith("In") or any(word in name for word in NOT_DISPLAYED):
            continue
        properties = schemas.get(name, {}).get("properties", {})
        for code, label in NAMED.items():
            if code in properties and label not in properties:
                unnamed.append(f"{name}.{code} (no {label})")
    assert not unnamed, f"{service}: codes without names: {unnamed}"
