"""Who is calling: a signed-in user (through a session) or a machine (through an API key)."""

from __future__ import annotations

from dataclasses import dataclass, field

from drop_server.domain.permissions import SCOPE_PERMISSIONS, Permission, Scope, permissions_of
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

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.role, self.scopes)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def has_scope(self, scope: Scope) -> bool:
        """Holds everything `scope` grants, through a key's scopes or a back-office role (a
        `finance` user may do what a `settlement` key may)."""
        return SCOPE_PERMISSIONS[scope] <= self.permissions

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN or Scope.ADMIN in self.scopes
