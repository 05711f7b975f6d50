from __future__ import annotations

import grpc

from drop_server.errors import HTTP_STATUS, ApiError, ErrorCode, FieldError


def test_every_code_has_an_http_and_grpc_status() -> None:
    assert set(HTTP_STATUS) == set(ErrorCode)
    assert HTTP_STATUS[ErrorCode.INSUFFICIENT_BALANCE] == 402
    assert ApiError(ErrorCode.KYC_REQUIRED, "x").grpc_status is grpc.StatusCode.PERMISSION_DENIED


def test_envelope_always_has_details() -> None:
    assert ApiError.not_found().envelope() == {
        "error": "not_found",
        "message": "Resource not found",
        "details": [],
    }
    error = ApiError.validation([FieldError("email", "bad")])
    assert error.envelope()["details"] == [{"field": "email", "message": "bad"}]
