"""Every endpoint of every service × every role (and no token), generated from the code.

The allowed roles of a route are read from its `require_roles` dependencies (see
suxin_common.security.matrix). A caller with an allowed role must not get 401/403; any other
role must get 401, 403 or 404; no token must get 401; a route without a role declaration (and
not reviewed as public) fails. Requests carry an empty JSON body and dummy path values, so
allowed callers typically get 404/422 and nothing is created.
"""

from __future__ import annotations

import uuid

import pytest

from security.harness import SERVICES, running_service, token_for
from suxin_common.auth import Role
from suxin_common.security.matrix import EndpointRule, endpoint_rules
from suxin_devkit.testing import make_uscc

pytestmark = pytest.mark.integration

REFUSED = {401, 403, 404}
BODY_METHODS = {"POST", "PUT", "PATCH"}


def dummy_path(path: str, parameters: list[dict]) -> str:
    for parameter in parameters:
        if parameter.get("in") != "path":
            continue
        name = parameter["name"]
        schema = parameter.get("schema", {})
        if schema.get("format") == "uuid":
            value = str(uuid.uuid4())
        elif schema.get("type") == "integer":
            value = "1"
        elif "uscc" in name:
            value = make_uscc(902)
        elif name == "month":
            value = "2026-01"
        else:
            value = "x1"
        path = path.replace("{" + name + "}", value)
    return path


async def call(client, rule: EndpointRule, url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"json": {}} if rule.method in BODY_METHODS else {}
    return await client.request(rule.method, url, headers=headers, **body)


@pytest.mark.parametrize("service", SERVICES)
async def test_every_endpoint_admits_exactly_its_declared_roles(infra, service):
    findings: list[str] = []
    async with running_service(infra, service) as (app, client):
        openapi = app.openapi()
        settings = app.state.settings
        tokens = {role: token_for(settings, role) for role in Role}
        for rule in endpoint_rules(app, service):
            where = f"{service}: {rule.method} {rule.path}"
            if not rule.declared:
                findings.append(f"{where}: no require_roles declaration (and not public)")
                continue
            if rule.public:
                continue
            operation = openapi.get("paths", {}).get(rule.path, {}).get(rule.method.lower(), {})
            url = dummy_path(rule.path, operation.get("parameters", []))
            anonymous = await call(client, rule, url, None)
            if anonymous.status_code != 401:
                findings.append(f"{where}: no token answered {anonymous.status_code}, not 401")
            if rule.scopes and rule.allows(Role.PLATFORM):
                # A partner's machine token must carry the route's scopes.
                bare = await call(client, rule, url, tokens[Role.PLATFORM])
                if bare.status_code != 403:
                    findings.append(
                        f"{where}: platform token without scopes got {bare.status_code}"
                    )
            for role in Role:
                token = (
                    token_for(settings, role, scopes=rule.scopes) if rule.scopes else tokens[role]
                )
                response = await call(client, rule, url, token)
                status = response.status_code
                if status >= 500:
                    findings.append(f"{where}: role {role} caused {status}")
                elif rule.allows(role) and status in (401, 403):
                    findings.append(f"{where}: allowed role {role} was refused with {status}")
                elif not rule.allows(role) and status not in REFUSED:
                    findings.append(f"{where}: role {role} is not allowed but got {status}")
    assert not findings, "authorization matrix violations:\n" + "\n".join(findings)
