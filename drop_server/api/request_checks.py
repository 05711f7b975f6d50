"""Request messages are decoded by Drop rather than by grpcio, so that bad bytes are a 400
naming the field instead of grpcio's INTERNAL "Exception deserializing request!":

- malformed protobuf -> `bad_request` (INVALID_ARGUMENT), field `body`;
- a string field that is not valid UTF-8 (REST sends `%FF` in a path or query as such) -> the
  field is named, found by walking the wire format;
- a NUL character in any string field -> the field is named. PostgreSQL cannot store NUL in
  text, so without this check it would fail deep inside a service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf import descriptor as pb_descriptor
from google.protobuf.message import DecodeError, Message

from drop_server.errors import ApiError, FieldError, Messages

Behavior = Callable[[Any, grpc.ServicerContext], Any]
_STRING = pb_descriptor.FieldDescriptor.TYPE_STRING
_MESSAGE = pb_descriptor.FieldDescriptor.TYPE_MESSAGE


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def invalid_utf8_field(data: bytes, descriptor: pb_descriptor.Descriptor) -> str | None:
    """The JSON name (dotted for nested messages) of the first string field whose bytes are
    not UTF-8, or None. Malformed wire data raises ValueError or IndexError."""
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, position = _varint(data, position)
        elif wire_type == 1:
            position += 8
        elif wire_type == 5:
            position += 4
        elif wire_type == 2:
            length, position = _varint(data, position)
            chunk = data[position : position + length]
            position += length
            field = descriptor.fields_by_number.get(number)
            if field is None:
                continue
            if field.type == _STRING:
                try:
                    chunk.decode("utf-8")
                except UnicodeDecodeError:
                    return field.json_name
            elif field.type == _MESSAGE:
                nested = invalid_utf8_field(chunk, field.message_type)
                if nested is not None:
                    return f"{field.json_name}.{nested}"
        else:
            raise ValueError(f"unsupported wire type {wire_type}")
    return None


def _has_nul(value: object) -> bool:
    return isinstance(value, str) and "\x00" in value


def nul_field(message: Message) -> str | None:
    """The JSON name (dotted for nested messages) of the first string holding a NUL."""
    for field, value in message.ListFields():
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            for key, item in value.items():
                if _has_nul(key) or _has_nul(item):
                    return field.json_name
                if isinstance(item, Message) and (nested := nul_field(item)) is not None:
                    return f"{field.json_name}.{nested}"
            continue
        items = value if field.is_repeated else [value]
        for item in items:
            if field.type == _STRING and _has_nul(item):
                return field.json_name
            if field.type == _MESSAGE and (nested := nul_field(item)) is not None:
                return f"{field.json_name}.{nested}"
    return None


def decode_request(data: bytes, message_type: type[Message]) -> Message:
    """`data` as a `message_type`, or ApiError bad_request naming what is wrong."""
    try:
        message = message_type.FromString(data)
    except DecodeError:
        try:
            field = invalid_utf8_field(data, message_type.DESCRIPTOR)
        except (ValueError, IndexError):
            field = None
        if field is not None:
            raise ApiError.bad_request(
                Messages.INVALID_TEXT, [FieldError(field, Messages.INVALID_TEXT)]
            ) from None
        raise ApiError.bad_request(
            Messages.MALFORMED_MESSAGE, [FieldError("body", Messages.MALFORMED_MESSAGE)]
        ) from None
    field = nul_field(message)
    if field is not None:
        raise ApiError.bad_request(
            Messages.INVALID_TEXT, [FieldError(field, Messages.INVALID_TEXT)]
        )
    return message


def _raw(data: bytes) -> bytes:
    return data


class RequestDecodingInterceptor(grpc.ServerInterceptor):
    """Takes request decoding over from grpcio; must sit inside ErrorInterceptor, which turns
    the ApiError into the status and REST envelope."""

    def intercept_service(self, continuation: Any, details: grpc.HandlerCallDetails) -> Any:
        handler = continuation(details)
        if handler is None or handler.unary_unary is None or handler.request_deserializer is None:
            return handler
        deserializer = handler.request_deserializer
        # Generated stubs pass `Message.FromString`; its __self__ is the message class.
        message_type = getattr(deserializer, "__self__", None)
        if not (isinstance(message_type, type) and issubclass(message_type, Message)):
            return handler
        behavior: Behavior = handler.unary_unary

        def run(data: bytes, context: grpc.ServicerContext) -> Any:
            return behavior(decode_request(data, message_type), context)

        return grpc.unary_unary_rpc_method_handler(
            run, request_deserializer=_raw, response_serializer=handler.response_serializer
        )
