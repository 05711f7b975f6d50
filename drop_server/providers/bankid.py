"""BankID as an OpenID Connect relying party: discovery, the authorization URL (code flow with
PKCE, state and nonce), the code exchange at the token endpoint, and ID-token verification
(RS256 through the issuer's JWKS, with unknown key ids fetched again so key rotation works;
`iss`, `aud`, `exp`, `iat` and `nonce` checked)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

import jwt

DISCOVERY_TTL_SECONDS = 3600
HTTP_TIMEOUT_SECONDS = 10
LEEWAY_SECONDS = 30
JWKS_REFRESH_COOLDOWN_SECONDS = 1.0


class BankIdError(Exception):
    """The sign-in cannot be trusted or completed; the message says why (never a secret)."""


@dataclass(frozen=True)
class PkcePair:
    verifier: str
    challenge: str


def new_pkce() -> PkcePair:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return PkcePair(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


@dataclass(frozen=True)
class Identity:
    subject: str
    given_name: str
    family_name: str
    birthdate: str | None
    email: str | None


def _fetch_json(request: urllib.request.Request | str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:  # noqa: S310 (configured issuer)
            body: dict[str, Any] = json.load(response)
            return body
    except urllib.error.HTTPError as error:
        raise BankIdError(f"the identity provider answered {error.code}") from None
    except (OSError, ValueError):
        raise BankIdError("the identity provider could not be reached") from None


class BankIdClient:
    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self._lock = threading.Lock()
        self._discovery: tuple[float, dict[str, Any]] | None = None
        self._jwks: jwt.PyJWKClient | None = None

    def discovery(self) -> dict[str, Any]:
        with self._lock:
            if (
                self._discovery is not None
                and time.monotonic() - self._discovery[0] < DISCOVERY_TTL_SECONDS
            ):
                return self._discovery[1]
        document = _fetch_json(f"{self.issuer}/.well-known/openid-configuration")
        if document.get("issuer", "").rstrip("/") != self.issuer:
            raise BankIdError("discovery document names another issuer")
        with self._lock:
            self._discovery = (time.monotonic(), document)
            if self._jwks is None or self._jwks.uri != document["jwks_uri"]:
                # PyJWKClient fetches the set again when a token names a key id it has not seen.
                self._jwks = jwt.PyJWKClient(
                    document["jwks_uri"],
                    cache_keys=True,
                    lifespan=300,
                    # A token naming an unknown key fetches the set again at most once a second.
                    cooldown_duration=JWKS_REFRESH_COOLDOWN_SECONDS,
                    timeout=HTTP_TIMEOUT_SECONDS,
                )
        return document

    def authorization_url(self, state: str, nonce: str, pkce: PkcePair) -> str:
        endpoint = self.discovery()["authorization_endpoint"]
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid profile email",
                "state": state,
                "nonce": nonce,
                "code_challenge": pkce.challenge,
                "code_challenge_method": "S256",
            }
        )
        return f"{endpoint}?{query}"

    def exchange_code(self, code: str, code_verifier: str) -> str:
        endpoint = self.discovery()["token_endpoint"]
        form = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "client_id": self.client_id,
                "client_secret": self._client_secret,
                "code_verifier": code_verifier,
            }
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (configured issuer)
            endpoint,
            data=form,
            headers={"content-type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        tokens = _fetch_json(request)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise BankIdError("the token endpoint returned no ID token")
        return id_token

    def verify_id_token(self, id_token: str, nonce: str) -> Identity:
        self.discovery()
        assert self._jwks is not None
        try:
            key = self._jwks.get_signing_key_from_jwt(id_token)
            claims = jwt.decode(
                id_token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
            )
        except jwt.PyJWKClientError:
            raise BankIdError("the ID token is signed with an unknown key") from None
        except jwt.PyJWTError as error:
            raise BankIdError(f"the ID token is not valid ({type(error).__name__})") from None
        if not secrets.compare_digest(str(claims["nonce"]), nonce):
            raise BankIdError("the ID token was issued for another sign-in (nonce)")
        return Identity(
            subject=str(claims["sub"]),
            given_name=str(claims.get("given_name") or ""),
            family_name=str(claims.get("family_name") or ""),
            birthdate=claims.get("birthdate"),
            email=claims.get("email"),
        )
