import datetime

from drop.v1 import route_pb2 as _route_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetHealthRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DatabaseCheck(_message.Message):
    __slots__ = ("status", "latency_ms", "driver")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LATENCY_MS_FIELD_NUMBER: _ClassVar[int]
    DRIVER_FIELD_NUMBER: _ClassVar[int]
    status: str
    latency_ms: int
    driver: str
    def __init__(self, status: _Optional[str] = ..., latency_ms: _Optional[int] = ..., driver: _Optional[str] = ...) -> None: ...

class ServicesCheck(_message.Message):
    __slots__ = ("mode",)
    MODE_FIELD_NUMBER: _ClassVar[int]
    mode: str
    def __init__(self, mode: _Optional[str] = ...) -> None: ...

class HealthChecks(_message.Message):
    __slots__ = ("db", "services")
    DB_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    db: DatabaseCheck
    services: ServicesCheck
    def __init__(self, db: _Optional[_Union[DatabaseCheck, _Mapping]] = ..., services: _Optional[_Union[ServicesCheck, _Mapping]] = ...) -> None: ...

class Health(_message.Message):
    __slots__ = ("status", "version", "uptime", "checks", "timestamp")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPTIME_FIELD_NUMBER: _ClassVar[int]
    CHECKS_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    status: str
    version: str
    uptime: float
    checks: HealthChecks
    timestamp: _timestamp_pb2.Timestamp
    def __init__(self, status: _Optional[str] = ..., version: _Optional[str] = ..., uptime: _Optional[float] = ..., checks: _Optional[_Union[HealthChecks, _Mapping]] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetHealthResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Health
    def __init__(self, data: _Optional[_Union[Health, _Mapping]] = ...) -> None: ...
