"""A local BankID stand-in: an OpenID Connect provider with test identities, RS256-signed ID
tokens, a JWKS (with key rotation), authorization code flow with PKCE, and a sign-in page.
`drop serve` runs it when DROP_BANKID_ISSUER is not set.

For tests it can also misbehave on purpose, as a faulty or hostile provider would: the
authorize parameter `sandbox_fault` makes the token endpoint answer with an ID token that is
`tampered`, has a `wrong_nonce`, is `expired`, or names another `audience`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 300
FAULTS = ("tampered", "wrong_nonce", "expired", "audience")


@dataclass(frozen=True)
class TestPerson:
    key: str
    subject: str
    given_name: str
    family_name: str
    birthdate: str
    email: str | None


TEST_PEOPLE = {
    p.key: p
    for p in (
        TestPerson(
            "kari",
            "bankid-sandbox-0001",
            "Kari",
            "Nordmann",
            "1985-03-14",
            "kari.nordmann@example.no",
        ),
        TestPerson("ola", "bankid-sandbox-0002", "Ola", "Nordmann", "1979-11-02", None),
        TestPerson(
            "amir", "bankid-sandbox-0003", "Amir", "Bašić", "1990-04-12", "amir.basic@example.no"
        ),
        TestPerson(
            "lejla",
            "bankid-sandbox-0004",
            "Lejla",
            "Hodžić",
            "1994-08-30",
            "lejla.hodzic@example.no",
        ),
    )
}


# `login_hint=generated:<tag>` signs in a made-up person of that tag (e-mail `<tag>@example.no`,
# born 1990-04-12): tests get people no other test has signed in as, however often they run.
GENERATED_PREFIX = "generated:"
GENERATED_TAG = re.compile(r"^[a-z0-9.\-]{1,40}$")


def test_person(hint: str) -> TestPerson | None:
    if hint.startswith(GENERATED_PREFIX):
        tag = hint.removeprefix(GENERATED_PREFIX)
        if not GENERATED_TAG.match(tag):
            return None
        return TestPerson(
            hint, f"bankid-sandbox-{tag}", "Test", "Person", "1990-04-12", f"{tag}@example.no"
        )
    return TEST_PEOPLE.get(hint)


@dataclass
class _Grant:
    person: TestPerson
    client_id: str
    redirect_uri: str
    nonce: str
    challenge: str
    fault: str | None
    expires: float


class SandboxProvider:
    def __init__(
        self, issuer: str, client_id: str, client_secret: str, redirect_uris: list[str]
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self._redirect_uris = redirect_uris
        self._lock = threading.Lock()
        self._grants: dict[str, _Grant] = {}
        self._keys: list[tuple[str, rsa.RSAPrivateKey]] = []
        self.rotate_keys()

    def rotate_keys(self) -> str:
        """A new signing key; the previous one stays published for tokens already issued."""
        kid = secrets.token_hex(8)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        with self._lock:
            self._keys = [(kid, key), *self._keys[:1]]
        return kid

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def jwks(self) -> dict[str, Any]:
        with self._lock:
            keys = list(self._keys)
        published = []
        for kid, key in keys:
            jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
            published.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": published}

    def authorize(self, params: dict[str, str]) -> str:
        """Checks the request and returns the redirect back to the client with a code."""
        if params.get("response_type") != "code" or params.get("client_id") != self.client_id:
            raise ValueError("unknown client or response type")
        if params.get("redirect_uri") not in self._redirect_uris:
            raise ValueError("redirect_uri is not registered")
        if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
            raise ValueError("PKCE with S256 is required")
        person = test_person(params.get("login_hint", ""))
        if person is None:
            raise LookupError("choose a test person")
        fault = params.get("sandbox_fault")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = _Grant(
                person,
                self.client_id,
                params["redirect_uri"],
                params.get("nonce", ""),
                params["code_challenge"],
                fault if fault in FAULTS else None,
                time.time() + CODE_LIFETIME_SECONDS,
            )
        query = urllib.parse.urlencode({"code": code, "state": params.get("state", "")})
        return f"{params['redirect_uri']}?{query}"

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        if form.get("grant_type") != "authorization_code":
            raise ValueError("unsupported_grant_type")
        if form.get("client_id") != self.client_id or not secrets.compare_digest(
            form.get("client_secret", ""), self._client_secret
        ):
            raise PermissionError("invalid_client")
        with self._lock:
            grant = self._grants.pop(form.get("code", ""), None)  # a code works once
        if (
            grant is None
            or grant.expires < time.time()
            or grant.redirect_uri != form.get("redirect_uri")
        ):
            raise ValueError("invalid_grant")
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.challenge:
            raise ValueError("invalid_grant")
        return {
            "access_token": secrets.token_urlsafe(24),
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "id_token": self._id_token(grant),
        }

    def _id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        person = grant.person
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": person.subject,
            "aud": "someone-else" if grant.fault == "audience" else grant.client_id,
            "iat": now - 600 if grant.fault == "expired" else now,
            "exp": now - 300 if grant.fault == "expired" else now + TOKEN_LIFETIME_SECONDS,
            "nonce": "not-the-nonce" if grant.fault == "wrong_nonce" else grant.nonce,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "name": f"{person.given_name} {person.family_name}",
            "birthdate": person.birthdate,
        }
        if person.email:
            claims["email"] = person.email
        with self._lock:
            kid, key = self._keys[0]
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
        if grant.fault == "tampered":
            header, payload, signature = token.split(".")
            forged = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            forged["sub"] = "bankid-sandbox-0002"
            payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
            token = f"{header}.{payload}.{signature}"
        return token


def _page(params: dict[str, str]) -> str:
    links = []
    for person in TEST_PEOPLE.values():
        query = urllib.parse.urlencode({**params, "login_hint": person.key})
        links.append(
            f'<li><a href="/authorize?{html.escape(query)}">{html.escape(person.given_name)} '
            f"{html.escape(person.family_name)}</a> (born {person.birthdate})</li>"
        )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>BankID sandbox</title></head>"
        "<body>"
        "<h1>BankID sandbox</h1><p>Sign in as a test person:</p><ul>"
        + "".join(links)
        + "</ul></body></html>"
    )


def _handler(provider: SandboxProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return  # codes and tokens must not reach logs

        def _send(
            self,
            status: int,
            body: str,
            content_type: str = "application/json",
            headers: dict[str, str] | None = None,
        ) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.send_header("cache-control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            if url.path == "/.well-known/openid-configuration":
                self._send(200, json.dumps(provider.discovery()))
            elif url.path == "/jwks":
                self._send(200, json.dumps(provider.jwks()))
            elif url.path == "/authorize":
                try:
                    self._send(302, "", headers={"location": provider.authorize(params)})
                except LookupError:
                    self._send(200, _page(params), "text/html; charset=utf-8")
                except ValueError as error:
                    self._send(
                        400,
                        json.dumps({"error": "invalid_request", "error_description": str(error)}),
                    )
            else:
                self._send(404, json.dumps({"error": "not_found"}))

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if self.path == "/token":
                try:
                    self._send(200, json.dumps(provider.token(form)))
                except PermissionError as error:
                    self._send(401, json.dumps({"error": str(error)}))
                except ValueError as error:
                    self._send(400, json.dumps({"error": str(error)}))
            elif self.path == "/rotate-keys":
                self._send(200, json.dumps({"kid": provider.rotate_keys()}))
            else:
                self._send(404, json.dumps({"error": "not_found"}))

    return Handler


def start_sandbox(host: str, port: int, provider: SandboxProvider) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer((host, port), _handler(provider))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="bankid-sandbox", daemon=True).start()
    return server
