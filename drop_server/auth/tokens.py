"""Session JWTs: HS256 only, with sub, sid, role, iat and exp all required."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import jwt

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "sid", "role", "iat", "exp"]


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    session_id: str
    role: str


class InvalidToken(Exception):
    pass


def issue_token(
    secret: str,
    *,
    user_id: str,
    session_id: str,
    role: str,
    issued_at: datetime,
    expires_at: datetime,
) -> str:
    claims = {
        "sub": user_id,
        "sid": session_id,
        "role": role,
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> TokenClaims:
    """Verifies signature and expiry; any other algorithm (`none` included) is refused."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(type(exc).__name__) from None
    values = (claims["sub"], claims["sid"], claims["role"])
    if not all(isinstance(v, str) and v for v in values):
        raise InvalidToken("malformed claims")
    return TokenClaims(user_id=claims["sub"], session_id=claims["sid"], role=claims["role"])
