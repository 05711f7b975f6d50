"""The three layers every unary RPC passes through, outermost first:

1. `CallInterceptor`: request id, the `Call` context, one log line per RPC, and the response
   headers (REST status from the route option or the servicer, cookies) sent as initial
   metadata once the servicer succeeded.
2. `ErrorInterceptor`: `ApiError` -> gRPC status with google.rpc details for gRPC clients and
   `x-http-status`/`x-error-body` trailers for the REST envelope; a database availability fault
   -> service_unavailable (503 + Retry-After, UNAVAILABLE); anything else -> internal_error
   with no traceback on the wire (the log has it, under the request id, without messages).
3. `AuthInterceptor`: answers a route whose feature flag is off as missing (404, before any
   credential is looked at, so every caller gets the same answer), finds the principal from
   `x-api-key`, `Authorization: Bearer` or the `drop_token` cookie, and refuses calls the
   route's access and permission do not allow.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import error_details_pb2, status_pb2

from drop_server.api.call import Call, current_call, enter_call, leave_call, maybe_current_call
from drop_server.api.routes import Access, route_for
from drop_server.auth.credentials import credentials_of
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.faults import database_unavailable
from drop_server.errors import ApiError, Messages
from drop_server.log_format import scrubbed_traceback
from drop_server.observability import metrics
from drop_server.observability.request_ids import request_id_from
from drop_server.services.feature_flags import is_enabled
from drop_server.services.sessions import authenticate_api_key, authenticate_token

log = logging.getLogger("drop.rpc")

Behavior = Callable[[Any, grpc.ServicerContext], Any]
ERROR_DOMAIN = "drop.app"
# gRPC metadata must be printable ASCII: JSON is percent-encoded (only '%' and non-ASCII
# bytes), and Envoy's Lua filter decodes it back, so "Bašić" survives.
_SAFE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "%")


def _deterministic(message: Any) -> bytes:
    # Map fields (the rates) in one order whatever the worker process: Python's string hashing
    # differs per process, and the same answer must be the same bytes (and ETag) from any
    # worker Envoy picks.
    return bytes(message.SerializeToString(deterministic=True))


def _wrap_unary(handler: grpc.RpcMethodHandler | None, wrap: Callable[[Behavior], Behavior]) -> Any:
    if handler is None or handler.unary_unary is None:
        return handler
    return grpc.unary_unary_rpc_method_handler(
        wrap(handler.unary_unary),
        request_deserializer=handler.request_deserializer,
        response_serializer=_deterministic,
    )


def metadata_of(context: grpc.ServicerContext | grpc.aio.ServicerContext) -> dict[str, list[str]]:
    """The call's text metadata by lower-case key (binary `-bin` values left out)."""
    found: dict[str, list[str]] = {}
    for key, value in context.invocation_metadata() or ():
        if isinstance(value, str):
            found.setdefault(key.lower(), []).append(value)
    return found


def _client_ip(metadata: dict[str, list[str]], peer: str) -> str:
    # Envoy (use_remote_address) sets x-envoy-external-address from the TCP peer; a client's
    # own X-Forwarded-For is never trusted.
    external = metadata.get("x-envoy-external-address")
    if external:
        return external[0]
    if peer.startswith("ipv4:"):
        return peer[5:].rsplit(":", 1)[0]
    if peer.startswith("ipv6:"):
        return peer[5:].rsplit(":", 1)[0].strip("[]")
    return peer


class CallInterceptor(grpc.ServerInterceptor):
    def intercept_service(self, continuation: Any, details: grpc.HandlerCallDetails) -> Any:
        method = details.method
        success_status = route_for(method).success_status

        def wrap(behavior: Behavior) -> Behavior:
            def run(request: Any, context: grpc.ServicerContext) -> Any:
                metadata = metadata_of(context)
                request_id = request_id_from((metadata.get("x-request-id") or [None])[0])
                call = Call(
                    method=method,
                    request_id=request_id,
                    client_ip=_client_ip(metadata, context.peer()),
                    metadata=metadata,
                )
                token = enter_call(call)
                started = time.perf_counter()
                try:
                    response = behavior(request, context)
                    headers = [("x-request-id", request_id), *call.response_headers]
                    status = call.http_status or success_status
                    if status != 200:
                        headers = [("x-http-code", str(status)), *headers]
                    context.send_initial_metadata(tuple(headers))
                    return response
                finally:
                    elapsed = time.perf_counter() - started
                    code = call.error_code or "ok"
                    metrics.RPCS.labels(method, code).inc()
                    metrics.RPC_SECONDS.labels(method).observe(elapsed)
                    principal = call.principal
                    # The access log line: structured fields for the JSON format (and the
                    # same facts in the text format's message).
                    log.info(
                        "rpc method=%s status=%s ms=%.1f request_id=%s ip=%s",
                        method,
                        code,
                        elapsed * 1000,
                        request_id,
                        call.client_ip,
                        extra={
                            "code": code,
                            "latency_ms": round(elapsed * 1000, 1),
                            "client_ip": call.client_ip,
                            "user_id": principal.user_id if principal is not None else None,
                        },
                    )
                    leave_call(token)

            return run

        return _wrap_unary(continuation(details), wrap)


class _AbortStatus(grpc.Status):  # type: ignore[misc]
    def __init__(
        self,
        code: grpc.StatusCode,
        details: str,
        trailing_metadata: tuple[tuple[str, str | bytes], ...],
    ) -> None:
        self.code = code
        self.details = details
        self.trailing_metadata = trailing_metadata


def error_status(error: ApiError) -> grpc.Status:
    info = error_details_pb2.ErrorInfo(
        reason=error.code.value.upper(),
        domain=ERROR_DOMAIN,
        metadata={"http_status": str(error.http_status)},
    )
    packed = [any_pb2.Any()]
    packed[0].Pack(info)
    if error.details:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=d.field, description=d.message)
                for d in error.details
            ]
        )
        packed.append(any_pb2.Any())
        packed[-1].Pack(bad_request)
    retry: tuple[tuple[str, str], ...] = ()
    if error.retry_after_seconds is not None:
        packed.append(any_pb2.Any())
        packed[-1].Pack(
            error_details_pb2.RetryInfo(
                retry_delay=duration_pb2.Duration(seconds=error.retry_after_seconds)
            )
        )
        # Over REST this is the Retry-After header; gRPC clients see it as trailing metadata.
        retry = (("retry-after", str(error.retry_after_seconds)),)
    status = status_pb2.Status(
        code=error.grpc_status.value[0], message=error.message, details=packed
    )
    envelope = error.envelope()
    call = maybe_current_call()
    request_id: tuple[tuple[str, str], ...] = ()
    if call is not None:
        envelope["requestId"] = call.request_id
        request_id = (("x-request-id", call.request_id),)
    body = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
    return _AbortStatus(
        error.grpc_status,
        error.message,
        (
            *request_id,
            ("x-http-status", str(error.http_status)),
            ("x-error-body", urllib.parse.quote(body, safe=_SAFE_ASCII)),
            ("grpc-status-details-bin", status.SerializeToString()),
            *retry,
        ),
    )


class ErrorInterceptor(grpc.ServerInterceptor):
    def intercept_service(self, continuation: Any, details: grpc.HandlerCallDetails) -> Any:
        def wrap(behavior: Behavior) -> Behavior:
            def run(request: Any, context: grpc.ServicerContext) -> Any:
                try:
                    return behavior(request, context)
                except ApiError as error:
                    current_call().error_code = error.code.value
                    context.abort_with_status(error_status(error))
                except Exception as error:
                    call = current_call()
                    if database_unavailable(error):
                        call.error_code = "service_unavailable"
                        log.warning(
                            "database unavailable in %s request_id=%s (%s)",
                            call.method,
                            call.request_id,
                            type(error).__name__,
                        )
                        context.abort_with_status(error_status(ApiError.unavailable()))
                    call.error_code = "internal_error"
                    log.error(
                        "unhandled error in %s request_id=%s\n%s",
                        call.method,
                        call.request_id,
                        scrubbed_traceback(error),
                    )
                    context.abort_with_status(error_status(ApiError.internal()))

            return run

        return _wrap_unary(continuation(details), wrap)


class AuthInterceptor(grpc.ServerInterceptor):
    def __init__(self, settings: Settings, db: Database) -> None:
        self._secret = settings.jwt_secret
        self._db = db

    def intercept_service(self, continuation: Any, details: grpc.HandlerCallDetails) -> Any:
        rule = route_for(details.method)
        access = rule.access

        def wrap(behavior: Behavior) -> Behavior:
            def run(request: Any, context: grpc.ServicerContext) -> Any:
                # One pooled connection for the whole RPC: the credential lookup and the
                # service's transactions share it (one checkout instead of two or more).
                with self._db.call_scope():
                    return checked(request, context)

            def checked(request: Any, context: grpc.ServicerContext) -> Any:
                # The contract: a disabled feature answers every caller (anonymous, API key,
                # user) exactly like a route that does not exist.
                if not all(is_enabled(self._db, flag) for flag in rule.feature_flags):
                    raise ApiError.not_found()
                if access is not Access.PUBLIC:
                    call = current_call()
                    credentials = credentials_of(call.metadata)
                    if credentials is None:
                        raise ApiError.unauthorized(Messages.AUTH_REQUIRED)
                    kind, secret_value = credentials
                    if kind == "api_key":
                        call.principal = authenticate_api_key(self._db, secret_value)
                    else:
                        call.principal = authenticate_token(self._db, self._secret, secret_value)
                    if access is Access.USER:
                        call.user()
                    if rule.permission is not None and not call.principal.can(rule.permission):
                        raise ApiError.forbidden(Messages.PERMISSION_REQUIRED)
                return behavior(request, context)

            return run

        return _wrap_unary(continuation(details), wrap)
