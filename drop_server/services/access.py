"""The back-office permission check services share.

The auth interceptor already checks each route's `(drop.v1.route).permission`; services check
again so a use case is safe whoever calls it, and where a rule is finer than the route (a role
change inside a user update)."""

from __future__ import annotations

from drop_server.auth.principal import Principal
from drop_server.domain.permissions import Permission
from drop_server.errors import ApiError, Messages


def require(principal: Principal, permission: Permission) -> None:
    if not principal.can(permission):
        raise ApiError.forbidden(Messages.PERMISSION_REQUIRED)
