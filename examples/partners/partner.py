"""What a partner platform runs on its side, in a few lines each (example code for
docs/partners.md; the tests run it exactly as the guide does).

    python partner.py new-key KEY.json             # makes a P-256 key; prints the public JWKS
    python partner.py registration KEY.json BODY.json   # the registration body with the JWKS
    python partner.py token KEY.json CLIENT_ID TOKEN_URL [SCOPE]  # an access token
    python partner.py receiver PORT SECRET_FILE LOG     # a webhook receiver that verifies

The private key never leaves the partner: Suxin only ever sees the public half (the JWKS) and
JWTs signed with the private half (RFC 7523 client assertions).
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
from joserfc import jwt
from joserfc.jwk import ECKey
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def new_key(path: str) -> None:
    kid = "partner-" + uuid.uuid4().hex[:8]
    key = ECKey.generate_key("P-256", parameters={"kid": kid, "alg": "ES256", "use": "sig"})
    Path(path).write_text(json.dumps(key.as_dict(private=True)))
    print(json.dumps(public_jwks(key)))


def public_jwks(key: ECKey) -> dict:
    public = key.as_dict(private=False)
    return {"keys": [{k: public[k] for k in ("kty", "crv", "x", "y", "kid")} | {"alg": "ES256"}]}


def load(path: str) -> ECKey:
    return ECKey.import_key(json.loads(Path(path).read_text()))


def registration(key_path: str, body_path: str) -> None:
    body = json.loads(Path(body_path).read_text(encoding="utf-8"))
    print(json.dumps(body | {"jwks": public_jwks(load(key_path))}, ensure_ascii=False))


def token(key_path: str, client_id: str, token_url: str, scope: str | None = None) -> None:
    key = load(key_path)
    now = int(time.time())
    assertion = jwt.encode(
        {"alg": "ES256", "kid": key.kid},
        {
            "iss": client_id,
            "sub": client_id,
            "aud": token_url,
            "iat": now,
            "exp": now + 60,
            "jti": uuid.uuid4().hex,
        },
        key,
    )
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
    }
    if scope:
        form["scope"] = scope
    response = httpx.post(token_url, data=form, timeout=10)
    if response.status_code != 200:
        sys.exit(f"token refused: {response.status_code} {response.text}")
    print(response.json()["access_token"])


def receiver(port: str, secret_path: str, log_path: str) -> None:
    secret = Path(secret_path).read_text().strip()
    log = Path(log_path)

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            try:
                payload = Webhook(secret).verify(body, dict(self.headers))
            except WebhookVerificationError:
                self.send_response(400)  # not signed by Suxin with our secret: refuse
                self.end_headers()
                return
            with log.open("a", encoding="utf-8") as out:
                out.write(json.dumps(payload, ensure_ascii=False) + "\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    HTTPServer(("127.0.0.1", int(port)), Hook).serve_forever()


if __name__ == "__main__":
    commands = {
        "new-key": new_key,
        "registration": registration,
        "token": token,
        "receiver": receiver,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
