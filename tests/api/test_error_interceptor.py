"""An unexpected exception becomes internal_error with nothing of it on the wire."""

from __future__ import annotations

import json
import urllib.parse

import grpc
import pytest

from drop.v1 import health_pb2, health_pb2_grpc
from tests.support.envelopes import without_request_id


class ExplodingHealth(health_pb2_grpc.HealthServiceServicer):
    def GetHealth(self, request, context):  # type: ignore[no-untyped-def]
        raise RuntimeError("password=hunter2 at /srv/secret/path.py line 7")


@pytest.fixture(scope="module")
def grpc_add_to_server():  # type: ignore[no-untyped-def]
    return health_pb2_grpc.add_HealthServiceServicer_to_server


@pytest.fixture(scope="module")
def grpc_servicer() -> ExplodingHealth:
    return ExplodingHealth()


@pytest.fixture(scope="module")
def grpc_stub_cls():  # type: ignore[no-untyped-def]
    return health_pb2_grpc.HealthServiceStub


def test_unexpected_errors_are_internal_and_opaque(
    grpc_stub: health_pb2_grpc.HealthServiceStub,
) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        grpc_stub.GetHealth(health_pb2.GetHealthRequest())
    error = caught.value
    assert error.code() == grpc.StatusCode.INTERNAL
    assert error.details() == "Internal server error"
    trailers = dict(error.trailing_metadata())
    assert trailers["x-http-status"] == "500"
    body = urllib.parse.unquote(trailers["x-error-body"])
    assert without_request_id(json.loads(body)) == {
        "error": "internal_error",
        "message": "Internal server error",
        "details": [],
    }
    assert "hunter2" not in repr(error.trailing_metadata())
