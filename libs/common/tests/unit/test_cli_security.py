"""`suxin token --client` and `suxin jwks`: the development issuer from the command line."""

from __future__ import annotations

import json

import pytest

from suxin_common.auth import Authenticator, Role
from suxin_common.cli import main
from suxin_common.settings import ServiceSettings


@pytest.fixture
def issuer_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTH_DEV_ISSUER_DIR", str(tmp_path / "auth"))
    return tmp_path / "auth"


def test_a_partner_token_verifies_against_the_written_jwks(issuer_dir, capsys):
    code = main(
        ["token", "--client", "meituan", "--role", "platform", "--platform-id", "P1"]
        + ["--scope", "orders:write", "--scope", "workers:write"]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert f"AUTH_JWKS_FILE={issuer_dir / 'jwks.json'}" in err
    settings = ServiceSettings(
        environment="test", auth_jwt_secret=None, auth_jwks_file=str(issuer_dir / "jwks.json")
    )
    principal = Authenticator(settings).verify(out.strip())
    assert principal.client_id == "meituan"
    assert principal.roles == {Role.PLATFORM}
    assert principal.tenant.platform_id == "P1"
    assert principal.scopes == {"orders:write", "workers:write"}


def test_jwks_rotate_keeps_the_previous_key_published(issuer_dir, capsys):
    assert main(["jwks"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["jwks", "--rotate"]) == 0
    second = json.loads(capsys.readouterr().out)
    kids = [key["kid"] for key in second["keys"]]
    assert len(kids) == 2 and kids[0] == first["keys"][0]["kid"]


def test_token_without_role_or_client_is_refused(issuer_dir, capsys):
    assert main(["token"]) == 2
    assert "--role" in capsys.readouterr().err
