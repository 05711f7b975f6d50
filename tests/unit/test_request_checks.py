"""Request decoding: bad protobuf, invalid UTF-8 and NUL name the field (tested on the
generated messages, no server needed)."""

from __future__ import annotations

import pytest

from drop.v1 import auth_pb2, transactions_pb2
from drop_server.api.request_checks import decode_request, invalid_utf8_field, nul_field
from drop_server.errors import ApiError, ErrorCode


def test_a_good_message_decodes() -> None:
    data = auth_pb2.LoginRequest(email="a@b.no", password="x").SerializeToString()
    assert decode_request(data, auth_pb2.LoginRequest).email == "a@b.no"  # type: ignore[attr-defined]


def test_invalid_utf8_is_found_by_field_json_name() -> None:
    # field 1 (email), length 2, bytes ff fe
    assert invalid_utf8_field(b"\x0a\x02\xff\xfe", auth_pb2.LoginRequest.DESCRIPTOR) == "email"
    with pytest.raises(ApiError) as caught:
        decode_request(b"\x0a\x02\xff\xfe", auth_pb2.LoginRequest)
    assert caught.value.code is ErrorCode.BAD_REQUEST
    assert [d.field for d in caught.value.details] == ["email"]


def test_nul_is_found_in_any_string_field() -> None:
    message = transactions_pb2.SendRemittanceRequest(recipient_id="rcp_\x00")
    assert nul_field(message) == "recipientId"
    with pytest.raises(ApiError) as caught:
        decode_request(message.SerializeToString(), transactions_pb2.SendRemittanceRequest)
    assert [d.field for d in caught.value.details] == ["recipientId"]


@pytest.mark.parametrize("data", [b"\xff\xff\xff\xff", b"\x0a\x05ab", b"\x0f"])
def test_malformed_protobuf_is_a_bad_request_on_the_body(data: bytes) -> None:
    with pytest.raises(ApiError) as caught:
        decode_request(data, auth_pb2.LoginRequest)
    assert caught.value.code is ErrorCode.BAD_REQUEST
    assert [d.field for d in caught.value.details] == ["body"]
