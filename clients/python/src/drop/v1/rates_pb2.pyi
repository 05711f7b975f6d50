import datetime

from drop.v1 import route_pb2 as _route_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListRatesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RateTable(_message.Message):
    __slots__ = ("base_currency", "rates", "updated_at")
    class RatesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    BASE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RATES_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    base_currency: str
    rates: _containers.ScalarMap[str, float]
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, base_currency: _Optional[str] = ..., rates: _Optional[_Mapping[str, float]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListRatesResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RateTable
    def __init__(self, data: _Optional[_Union[RateTable, _Mapping]] = ...) -> None: ...

class GetRateRequest(_message.Message):
    __slots__ = ("currency",)
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    currency: str
    def __init__(self, currency: _Optional[str] = ...) -> None: ...

class Rate(_message.Message):
    __slots__ = ("base_currency", "currency", "rate", "fee", "updated_at")
    BASE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    base_currency: str
    currency: str
    rate: float
    fee: float
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, base_currency: _Optional[str] = ..., currency: _Optional[str] = ..., rate: _Optional[float] = ..., fee: _Optional[float] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetRateResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Rate
    def __init__(self, data: _Optional[_Union[Rate, _Mapping]] = ...) -> None: ...
