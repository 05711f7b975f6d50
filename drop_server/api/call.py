"""What one RPC knows about its caller, and what it will send back besides the message.

The interceptors create a `Call` for every unary RPC and keep it in a context variable;
servicers read it with `current_call()`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from drop_server.auth.principal import Principal
from drop_server.errors import ApiError, Messages
from drop_server.services.sessions import ClientKind

_current: ContextVar[Call] = ContextVar("drop_call")


def maybe_current_call() -> Call | None:
    """The call being served on this thread, if any (for log records)."""
    return _current.get(None)


@dataclass
class Call:
    method: str
    request_id: str
    client_ip: str
    metadata: dict[str, list[str]]
    principal: Principal | None = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    # REST status overriding the route's success status (e.g. 503 from health).
    http_status: int | None = None
    error_code: str | None = None

    def header(self, name: str) -> str | None:
        values = self.metadata.get(name)
        return values[0] if values else None

    def headers(self, name: str) -> list[str]:
        return self.metadata.get(name, [])

    @property
    def client_kind(self) -> ClientKind:
        """`X-Drop-Client: mobile` asks for a bearer token in the body instead of a cookie."""
        value = (self.header("x-drop-client") or "").strip().lower()
        return ClientKind.MOBILE if value == ClientKind.MOBILE.value else ClientKind.WEB

    def respond_with_status(self, http_status: int) -> None:
        """A REST status other than the route's declared success status; rest.lua applies it."""
        self.http_status = http_status

    def set_cookie(self, value: str) -> None:
        self.response_headers.append(("set-cookie", value))

    def user(self) -> Principal:
        """The signed-in user making this call."""
        if self.principal is None:
            raise ApiError.unauthorized()
        if not self.principal.is_user:
            raise ApiError.forbidden(Messages.API_KEY_NOT_A_USER)
        return self.principal

    def caller(self) -> Principal:
        """A signed-in user or an API key."""
        if self.principal is None:
            raise ApiError.unauthorized()
        return self.principal


def current_call() -> Call:
    return _current.get()


def enter_call(call: Call) -> object:
    return _current.set(call)


def leave_call(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
