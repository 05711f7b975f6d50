"""Drop's gRPC API from Python.

The generated messages and stubs are in `drop.v1` (`from drop.v1 import auth_pb2,
auth_pb2_grpc`); this module adds what every caller otherwise writes by hand: the credentials as
metadata, idempotency keys for payments, and the `google.rpc` error details decoded into one
exception with the contract's error code.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from drop.v1 import (
    admin_pb2_grpc,
    auth_pb2_grpc,
    bank_accounts_pb2_grpc,
    cards_pb2_grpc,
    complaints_pb2_grpc,
    health_pb2_grpc,
    merchants_pb2_grpc,
    notifications_pb2_grpc,
    privacy_pb2_grpc,
    rates_pb2_grpc,
    recipients_pb2_grpc,
    settings_pb2_grpc,
    transactions_pb2_grpc,
)

__all__ = [
    "DropClient",
    "DropError",
    "FieldViolation",
    "auth_metadata",
    "decode_error",
    "idempotency_key",
]

Metadata = list[tuple[str, str]]


def auth_metadata(
    token: str | None = None, *, api_key: str | None = None, mobile: bool = True
) -> Metadata:
    """Metadata for a call: `authorization: Bearer` for a user's token, `x-api-key` for a
    machine, and `x-drop-client: mobile` so that sign-in answers carry the token (not a
    cookie, which gRPC clients have no jar for)."""
    metadata: Metadata = []
    if mobile:
        metadata.append(("x-drop-client", "mobile"))
    if token:
        metadata.append(("authorization", f"Bearer {token}"))
    if api_key:
        metadata.append(("x-api-key", api_key))
    return metadata


def idempotency_key() -> str:
    """A fresh key for one payment. Send the same key again when retrying that payment (a
    timeout, a dropped connection): Drop answers the first result and moves no money twice."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


@dataclass
class DropError(Exception):
    """A failed call, as the Drop contract names it: `code` (`validation_error`,
    `unauthorized`, ...), the REST status it maps to, and the fields that failed."""

    code: str
    message: str
    http_status: int
    grpc_code: grpc.StatusCode
    field_violations: list[FieldViolation] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code} ({self.http_status}): {self.message}"


def decode_error(error: grpc.RpcError) -> DropError | None:
    """The google.rpc.ErrorInfo and BadRequest details of a Drop error (None when the error
    carries none, e.g. a connection failure: handle those as grpc.RpcError)."""
    status = rpc_status.from_call(error)  # type: ignore[arg-type]
    if status is None:
        return None
    info, violations = None, []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations += [FieldViolation(v.field, v.description) for v in bad.field_violations]
    if info is None:
        return None
    return DropError(
        code=info.reason.lower(),
        message=status.message,
        http_status=int(info.metadata.get("http_status", "0")),
        grpc_code=error.code(),  # type: ignore[attr-defined]
        field_violations=violations,
    )


class _Service:
    """A stub whose methods send the client's metadata and raise DropError."""

    def __init__(self, stub: Any, client: DropClient) -> None:
        self._stub, self._client = stub, client

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._stub, name)

        def call(request: Any, *, metadata: Sequence[tuple[str, str]] = (), **options: Any) -> Any:
            try:
                return method(request, metadata=[*self._client.metadata(), *metadata], **options)
            except grpc.RpcError as error:
                decoded = decode_error(error)
                if decoded is None:
                    raise
                raise decoded from error

        return call


class DropClient:
    """Every Drop service over one channel, e.g. `DropClient("127.0.0.1:8080")` (Envoy; the
    workers' port works too). `client.token = ...` after sign-in."""

    def __init__(
        self,
        target: str,
        *,
        token: str | None = None,
        api_key: str | None = None,
        channel: grpc.Channel | None = None,
    ) -> None:
        self.channel = channel or grpc.insecure_channel(target)
        self.token, self.api_key = token, api_key
        self.auth = _Service(auth_pb2_grpc.AuthServiceStub(self.channel), self)
        self.admin = _Service(admin_pb2_grpc.AdminServiceStub(self.channel), self)
        self.health = _Service(health_pb2_grpc.HealthServiceStub(self.channel), self)
        self.bank_accounts = _Service(
            bank_accounts_pb2_grpc.BankAccountServiceStub(self.channel), self
        )
        self.rates = _Service(rates_pb2_grpc.RateServiceStub(self.channel), self)
        self.recipients = _Service(recipients_pb2_grpc.RecipientServiceStub(self.channel), self)
        self.transactions = _Service(
            transactions_pb2_grpc.TransactionServiceStub(self.channel), self
        )
        self.merchants = _Service(merchants_pb2_grpc.MerchantServiceStub(self.channel), self)
        self.notifications = _Service(
            notifications_pb2_grpc.NotificationServiceStub(self.channel), self
        )
        self.settings = _Service(settings_pb2_grpc.SettingsServiceStub(self.channel), self)
        self.privacy = _Service(privacy_pb2_grpc.PrivacyServiceStub(self.channel), self)
        self.complaints = _Service(complaints_pb2_grpc.ComplaintServiceStub(self.channel), self)
        self.cards = _Service(cards_pb2_grpc.CardServiceStub(self.channel), self)

    def metadata(self) -> Metadata:
        return auth_metadata(self.token, api_key=self.api_key)

    def close(self) -> None:
        self.channel.close()

    def __enter__(self) -> DropClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
