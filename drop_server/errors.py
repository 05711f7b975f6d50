"""The one error type of Drop and the catalogue of its codes.

Raise `ApiError` anywhere; `api.interceptors` turns it into a gRPC status (with
google.rpc.ErrorInfo / BadRequest details) and into the REST envelope that Envoy serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import grpc


class ErrorCode(StrEnum):
    BAD_REQUEST = "bad_request"
    NO_BANK_ACCOUNT = "no_bank_account"
    UNAUTHORIZED = "unauthorized"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    FORBIDDEN = "forbidden"
    KYC_REQUIRED = "kyc_required"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    GONE = "gone"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    VALIDATION_ERROR = "validation_error"
    RATE_LIMITED = "rate_limited"
    INTERNAL_ERROR = "internal_error"
    SERVICE_UNAVAILABLE = "service_unavailable"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.NO_BANK_ACCOUNT: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.INSUFFICIENT_BALANCE: 402,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.KYC_REQUIRED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.CONFLICT: 409,
    ErrorCode.GONE: 410,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.SERVICE_UNAVAILABLE: 503,
}

GRPC_STATUS: dict[ErrorCode, grpc.StatusCode] = {
    ErrorCode.BAD_REQUEST: grpc.StatusCode.INVALID_ARGUMENT,
    ErrorCode.NO_BANK_ACCOUNT: grpc.StatusCode.FAILED_PRECONDITION,
    ErrorCode.UNAUTHORIZED: grpc.StatusCode.UNAUTHENTICATED,
    ErrorCode.INSUFFICIENT_BALANCE: grpc.StatusCode.FAILED_PRECONDITION,
    ErrorCode.FORBIDDEN: grpc.StatusCode.PERMISSION_DENIED,
    ErrorCode.KYC_REQUIRED: grpc.StatusCode.PERMISSION_DENIED,
    ErrorCode.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    ErrorCode.CONFLICT: grpc.StatusCode.ALREADY_EXISTS,
    ErrorCode.GONE: grpc.StatusCode.UNIMPLEMENTED,
    ErrorCode.PAYLOAD_TOO_LARGE: grpc.StatusCode.INVALID_ARGUMENT,
    ErrorCode.VALIDATION_ERROR: grpc.StatusCode.INVALID_ARGUMENT,
    ErrorCode.RATE_LIMITED: grpc.StatusCode.RESOURCE_EXHAUSTED,
    ErrorCode.INTERNAL_ERROR: grpc.StatusCode.INTERNAL,
    ErrorCode.SERVICE_UNAVAILABLE: grpc.StatusCode.UNAVAILABLE,
}


class Messages:
    """User-facing texts, kept in one place so REST and gRPC say the same."""

    INVALID_CREDENTIALS = "Invalid credentials"
    AUTH_REQUIRED = "Authentication required"
    SESSION_INVALID = "Session expired or revoked"
    ADMIN_REQUIRED = "Admin access required"
    PERMISSION_REQUIRED = "Your role or key does not allow this"
    API_KEY_INVALID = "Invalid, expired or revoked API key"
    API_KEY_NOT_A_USER = "API keys cannot act as a user; sign in as a user"
    EMAIL_TAKEN = "An account with this email already exists"
    VALIDATION_FAILED = "Validation failed"
    MISSING_FIELDS = "Missing required fields"
    INVALID_QUERY = "Invalid query parameters"
    INVALID_REQUEST = "Invalid request"
    PASSWORD_LOGIN_RETIRED = "Password login has been retired; sign in with BankID"  # noqa: S105
    NOT_FOUND = "Resource not found"
    USER_NOT_FOUND = "User not found"
    INTERNAL = "Internal server error"
    UNAVAILABLE = "Service temporarily unavailable, try again shortly"
    INVALID_TEXT = "Text must be valid UTF-8 without NUL characters"
    MALFORMED_MESSAGE = "Malformed request message"
    LOGGED_OUT = "Logged out"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


# What a 503 asks clients to wait before retrying: the database faults it answers (a restart,
# a failover, a full pool) usually clear within a few seconds.
RETRY_AFTER_SECONDS = 2


class ApiError(Exception):
    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: Iterable[FieldError] = (),
        *,
        retry_after_seconds: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = tuple(details)
        self.retry_after_seconds = retry_after_seconds

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    @property
    def grpc_status(self) -> grpc.StatusCode:
        return GRPC_STATUS[self.code]

    def envelope(self) -> dict[str, object]:
        return {
            "error": self.code.value,
            "message": self.message,
            "details": [{"field": d.field, "message": d.message} for d in self.details],
        }

    @classmethod
    def bad_request(cls, message: str, details: Iterable[FieldError] = ()) -> ApiError:
        return cls(ErrorCode.BAD_REQUEST, message, details)

    @classmethod
    def validation(cls, details: Iterable[FieldError]) -> ApiError:
        return cls(ErrorCode.VALIDATION_ERROR, Messages.VALIDATION_FAILED, details)

    @classmethod
    def unauthorized(cls, message: str = Messages.AUTH_REQUIRED) -> ApiError:
        return cls(ErrorCode.UNAUTHORIZED, message)

    @classmethod
    def forbidden(cls, message: str) -> ApiError:
        return cls(ErrorCode.FORBIDDEN, message)

    @classmethod
    def not_found(cls, message: str = Messages.NOT_FOUND) -> ApiError:
        return cls(ErrorCode.NOT_FOUND, message)

    @classmethod
    def conflict(cls, message: str) -> ApiError:
        return cls(ErrorCode.CONFLICT, message)

    @classmethod
    def gone(cls, message: str) -> ApiError:
        return cls(ErrorCode.GONE, message)

    @classmethod
    def internal(cls) -> ApiError:
        return cls(ErrorCode.INTERNAL_ERROR, Messages.INTERNAL)

    @classmethod
    def unavailable(cls) -> ApiError:
        return cls(
            ErrorCode.SERVICE_UNAVAILABLE,
            Messages.UNAVAILABLE,
            retry_after_seconds=RETRY_AFTER_SECONDS,
        )
