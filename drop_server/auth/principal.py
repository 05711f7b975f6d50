"""Who is calling: a signed-in user (through a session) or a machine (through an API key)."""

from __future__ import annotations

from dataclasses import dataclass, field

from drop_server.auth.api_keys import Scope
from drop_server.domain.users import Role


@dataclass(frozen=True)
class Principal:
    user_id: str | None = None
    session_id: str | None = None
    role: Role | None = None
    api_key_id: str | None = None
    scopes: frozenset[Scope] = field(default_factory=frozenset)

    @property
    def is_user(self) -> bool:
        return self.user_id is not None

    def has_scope(self, scope: Scope) -> bool:
        return scope in self.scopes

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN or Scope.ADMIN in self.scopes
