from drop.v1 import field_rules_pb2 as _field_rules_pb2
from drop.v1 import route_pb2 as _route_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Settings(_message.Message):
    __slots__ = ("currency", "language", "push_enabled", "email_enabled")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PUSH_ENABLED_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ENABLED_FIELD_NUMBER: _ClassVar[int]
    currency: str
    language: str
    push_enabled: bool
    email_enabled: bool
    def __init__(self, currency: _Optional[str] = ..., language: _Optional[str] = ..., push_enabled: _Optional[bool] = ..., email_enabled: _Optional[bool] = ...) -> None: ...

class GetSettingsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetSettingsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Settings
    def __init__(self, data: _Optional[_Union[Settings, _Mapping]] = ...) -> None: ...

class UpdateSettingsRequest(_message.Message):
    __slots__ = ("currency", "language", "push_enabled", "email_enabled")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    PUSH_ENABLED_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ENABLED_FIELD_NUMBER: _ClassVar[int]
    currency: str
    language: str
    push_enabled: bool
    email_enabled: bool
    def __init__(self, currency: _Optional[str] = ..., language: _Optional[str] = ..., push_enabled: _Optional[bool] = ..., email_enabled: _Optional[bool] = ...) -> None: ...

class UpdateSettingsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Settings
    def __init__(self, data: _Optional[_Union[Settings, _Mapping]] = ...) -> None: ...
