import datetime

from drop.v1 import field_rules_pb2 as _field_rules_pb2
from drop.v1 import route_pb2 as _route_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Card(_message.Message):
    __slots__ = ("id", "type", "status", "number", "cvv", "last4", "expiry_month", "expiry_year", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    CVV_FIELD_NUMBER: _ClassVar[int]
    LAST4_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_MONTH_FIELD_NUMBER: _ClassVar[int]
    EXPIRY_YEAR_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    status: str
    number: str
    cvv: str
    last4: str
    expiry_month: int
    expiry_year: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., number: _Optional[str] = ..., cvv: _Optional[str] = ..., last4: _Optional[str] = ..., expiry_month: _Optional[int] = ..., expiry_year: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListCardsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCardsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[Card]
    def __init__(self, data: _Optional[_Iterable[_Union[Card, _Mapping]]] = ...) -> None: ...

class CreateCardRequest(_message.Message):
    __slots__ = ("type",)
    TYPE_FIELD_NUMBER: _ClassVar[int]
    type: str
    def __init__(self, type: _Optional[str] = ...) -> None: ...

class CreateCardResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Card
    def __init__(self, data: _Optional[_Union[Card, _Mapping]] = ...) -> None: ...

class GetCardRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetCardResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Card
    def __init__(self, data: _Optional[_Union[Card, _Mapping]] = ...) -> None: ...

class UpdateCardRequest(_message.Message):
    __slots__ = ("id", "status")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class UpdateCardResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Card
    def __init__(self, data: _Optional[_Union[Card, _Mapping]] = ...) -> None: ...

class CancelCardRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CancelCardResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Card
    def __init__(self, data: _Optional[_Union[Card, _Mapping]] = ...) -> None: ...

class OrderPhysicalCardRequest(_message.Message):
    __slots__ = ("id", "address")
    ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    id: str
    address: str
    def __init__(self, id: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class PhysicalCardOrder(_message.Message):
    __slots__ = ("order_id", "card_id", "address", "status", "created_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    CARD_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    card_id: str
    address: str
    status: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., card_id: _Optional[str] = ..., address: _Optional[str] = ..., status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrderPhysicalCardResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: PhysicalCardOrder
    def __init__(self, data: _Optional[_Union[PhysicalCardOrder, _Mapping]] = ...) -> None: ...

class SetCardPinRequest(_message.Message):
    __slots__ = ("id", "pin")
    ID_FIELD_NUMBER: _ClassVar[int]
    PIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    pin: str
    def __init__(self, id: _Optional[str] = ..., pin: _Optional[str] = ...) -> None: ...

class CardPinState(_message.Message):
    __slots__ = ("card_id", "pin_set")
    CARD_ID_FIELD_NUMBER: _ClassVar[int]
    PIN_SET_FIELD_NUMBER: _ClassVar[int]
    card_id: str
    pin_set: bool
    def __init__(self, card_id: _Optional[str] = ..., pin_set: _Optional[bool] = ...) -> None: ...

class SetCardPinResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CardPinState
    def __init__(self, data: _Optional[_Union[CardPinState, _Mapping]] = ...) -> None: ...

class CardLimit(_message.Message):
    __slots__ = ("limit_type", "amount", "updated_at")
    LIMIT_TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    limit_type: str
    amount: float
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, limit_type: _Optional[str] = ..., amount: _Optional[float] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListCardLimitsRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListCardLimitsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[CardLimit]
    def __init__(self, data: _Optional[_Iterable[_Union[CardLimit, _Mapping]]] = ...) -> None: ...

class SetCardLimitRequest(_message.Message):
    __slots__ = ("id", "limit_type", "amount")
    ID_FIELD_NUMBER: _ClassVar[int]
    LIMIT_TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    limit_type: str
    amount: float
    def __init__(self, id: _Optional[str] = ..., limit_type: _Optional[str] = ..., amount: _Optional[float] = ...) -> None: ...

class SetCardLimitResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: CardLimit
    def __init__(self, data: _Optional[_Union[CardLimit, _Mapping]] = ...) -> None: ...
