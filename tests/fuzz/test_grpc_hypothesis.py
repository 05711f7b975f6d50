"""Property-based fuzzing of the native gRPC API (schemathesis 4.32, the newest release on PyPI,
does not speak gRPC). Requests are generated from the method descriptors; every answer must be
a success or a documented error: never INTERNAL/UNKNOWN, always with google.rpc.ErrorInfo,
and with an HTTP status the route documents (the same rule the OpenAPI document uses)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor, message_factory, timestamp_pb2
from google.protobuf.descriptor import FieldDescriptor
from google.rpc import error_details_pb2, status_pb2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drop.v1 import events_pb2, route_pb2
from drop_server.api.routes import SERVICE_MODULES
from drop_server.openapi import documented_error_statuses
from tests.conftest import DropSystem

SESSION_ENDING = {"Logout", "Refresh"}
NEVER = {
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.DATA_LOSS,
    grpc.StatusCode.UNIMPLEMENTED,
}

# Strings that exercise the validators: empty, whitespace, markup, non-ASCII, long, and some
# that look like real values so deeper branches run too.
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "<script>",
            "javascript:x",
            "Bašić",
            "a@b.no",
            "Secret123",
            "1990-01-01",
            "+4791234567",
            "usr_0123456789abcdef",
            "admin",
            "approved",
            "x" * 300,
            # NUL cannot be stored in PostgreSQL text: 400 naming the field, never a 500.
            "\x00",
            "a\x00b",
        ]
    ),
)
SCALARS: dict[int, st.SearchStrategy[Any]] = {
    FieldDescriptor.TYPE_STRING: TEXT,
    FieldDescriptor.TYPE_BOOL: st.booleans(),
    FieldDescriptor.TYPE_INT32: st.one_of(st.integers(-(2**31), 2**31 - 1), st.integers(-2, 200)),
    FieldDescriptor.TYPE_DOUBLE: st.floats(allow_nan=True, allow_infinity=True),
}


def message_strategy(message: descriptor.Descriptor) -> st.SearchStrategy[Any]:
    cls = message_factory.GetMessageClass(message)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for field in message.fields:
        if field.message_type is not None:
            if field.message_type.full_name == "google.protobuf.Timestamp":
                value: st.SearchStrategy[Any] = st.builds(
                    timestamp_pb2.Timestamp, seconds=st.integers(0, 4_000_000_000)
                )
            else:
                value = message_strategy(field.message_type)
        else:
            value = SCALARS[field.type]
        if field.is_repeated:
            value = st.lists(value, max_size=3)
        # Leaving a field out is a case of its own (presence matters for `optional`).
        fields[field.name] = st.one_of(st.none(), value)

    def build(values: dict[str, Any]) -> Any:
        return cls(**{name: v for name, v in values.items() if v is not None})

    return st.fixed_dictionaries(fields).map(build)


def methods() -> Iterator[tuple[str, descriptor.MethodDescriptor]]:
    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                # Server streams have a fuzz test of their own, below.
                if not method.server_streaming:
                    yield f"/{service.full_name}/{method.name}", method


def check_answer(method: descriptor.MethodDescriptor, error: grpc.RpcError | None) -> None:
    if error is None:
        return
    assert error.code() not in NEVER, f"{method.full_name}: {error.code()} {error.details()}"
    trailers = dict(error.trailing_metadata() or ())
    assert "grpc-status-details-bin" in trailers, f"{method.full_name}: error without details"
    status = status_pb2.Status.FromString(trailers["grpc-status-details-bin"])
    info = error_details_pb2.ErrorInfo()
    assert status.details and status.details[0].Unpack(info)
    http_status = int(info.metadata["http_status"])
    route = method.GetOptions().Extensions[route_pb2.route]
    assert http_status in documented_error_statuses(route), (
        f"{method.full_name} answered undocumented {http_status} {info.reason}: {error.details()}"
    )


@pytest.fixture(scope="module")
def channel(drop_system: DropSystem) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(drop_system.grpc_target) as channel:
        yield channel


@pytest.mark.parametrize(
    ("path", "method"), list(methods()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_answer_is_success_or_documented_error(
    path: str,
    method: descriptor.MethodDescriptor,
    channel: grpc.Channel,
    admin_token: Callable[[], str],
) -> None:
    output = message_factory.GetMessageClass(method.output_type)
    call = channel.unary_unary(
        path,
        request_serializer=lambda m: m.SerializeToString(),
        response_deserializer=output.FromString,
    )
    ends_session = method.name in SESSION_ENDING
    token = admin_token()

    @settings(
        max_examples=15 if ends_session else 40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(request=message_strategy(method.input_type), authenticated=st.booleans())
    def fuzz(request: Any, authenticated: bool) -> None:
        nonlocal token
        metadata = (
            (("authorization", f"Bearer {token}"), ("x-drop-client", "mobile"))
            if authenticated
            else ()
        )
        try:
            call(request, metadata=metadata, timeout=15)
            error = None
        except grpc.RpcError as raised:
            error = raised
        check_answer(method, error)
        if ends_session and authenticated and error is None:
            token = admin_token()

    fuzz()


def raw_requests(message: descriptor.Descriptor) -> st.SearchStrategy[bytes]:
    """Bytes that are not a valid request: random bytes, and a valid message with one string
    field replaced by bytes that are not UTF-8."""
    strings = [f.number for f in message.fields if f.type == FieldDescriptor.TYPE_STRING]
    invalid_text = st.sampled_from([b"\xff", b"\xc0\xaf", b"a\xed\xa0\x80", b"\xf4\x90\x80\x80"])
    if not strings:
        return st.binary(min_size=1, max_size=64)
    injected = st.tuples(st.sampled_from(strings), invalid_text).map(
        lambda pair: bytes([pair[0] << 3 | 2, len(pair[1])]) + pair[1]
    )
    return st.one_of(st.binary(min_size=1, max_size=64), injected)


@pytest.mark.parametrize(
    ("path", "method"), list(methods()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_malformed_bytes_are_bad_requests(
    path: str, method: descriptor.MethodDescriptor, channel: grpc.Channel
) -> None:
    call = channel.unary_unary(path)

    @settings(max_examples=8, deadline=None, derandomize=True)
    @given(data=raw_requests(method.input_type))
    def fuzz(data: bytes) -> None:
        try:
            call(data, timeout=15)
            error = None
        except grpc.RpcError as raised:
            error = raised
        check_answer(method, error)

    fuzz()


def test_event_stream_opens_or_answers_a_documented_error(
    drop_system: DropSystem, admin_token: Callable[[], str]
) -> None:
    """StreamEvents (served by the streams process, through Envoy): any `after`, with or
    without a session, either opens (a heartbeat first) or ends with a documented error."""
    method = events_pb2.DESCRIPTOR.services_by_name["EventService"].methods_by_name["StreamEvents"]
    token = admin_token()
    with grpc.insecure_channel(drop_system.envoy_target) as envoy:
        call = envoy.unary_stream(
            "/drop.v1.EventService/StreamEvents",
            request_serializer=lambda m: m.SerializeToString(),
            response_deserializer=events_pb2.StreamEventsResponse.FromString,
        )

        @settings(
            max_examples=30,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )
        @given(request=message_strategy(method.input_type), authenticated=st.booleans())
        def fuzz(request: Any, authenticated: bool) -> None:
            metadata = (("authorization", f"Bearer {token}"),) if authenticated else ()
            stream = call(request, metadata=metadata, timeout=15)
            try:
                first = next(stream)
                assert first.type == "heartbeat"
                error = None
            except grpc.RpcError as raised:
                error = raised
            finally:
                stream.cancel()
            check_answer(method, error)

        fuzz()
