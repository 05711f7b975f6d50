"""Webhook signing secrets at rest: AES-256-GCM under a key derived from
DROP_WEBHOOK_SECRETS_KEY, bound to the endpoint's id (a ciphertext copied to another row does
not open). The secret is shown once, at creation; deliveries decrypt it to sign."""

from __future__ import annotations

import hashlib
import os
import secrets

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from drop_server.domain.webhooks import SECRET_PREFIX

NONCE_BYTES = 12


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _cipher(key: str) -> AESGCM:
    # The setting is text of any length (at least 32 characters): SHA-256 makes it 256 bits.
    return AESGCM(hashlib.sha256(key.encode()).digest())


def seal(key: str, endpoint_id: str, secret: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(key).encrypt(nonce, secret.encode(), endpoint_id.encode())


def open_sealed(key: str, endpoint_id: str, sealed: bytes) -> str:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    return _cipher(key).decrypt(nonce, ciphertext, endpoint_id.encode()).decode()
