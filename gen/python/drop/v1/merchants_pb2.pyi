import datetime

from drop.v1 import common_pb2 as _common_pb2
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

class RegisterMerchantRequest(_message.Message):
    __slots__ = ("business_name", "org_number", "address", "bank_account")
    BUSINESS_NAME_FIELD_NUMBER: _ClassVar[int]
    ORG_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    business_name: str
    org_number: str
    address: str
    bank_account: str
    def __init__(self, business_name: _Optional[str] = ..., org_number: _Optional[str] = ..., address: _Optional[str] = ..., bank_account: _Optional[str] = ...) -> None: ...

class MerchantProfile(_message.Message):
    __slots__ = ("merchant_id", "business_name", "org_number", "address", "qr_value", "created_at")
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_NAME_FIELD_NUMBER: _ClassVar[int]
    ORG_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    QR_VALUE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    business_name: str
    org_number: str
    address: str
    qr_value: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, merchant_id: _Optional[str] = ..., business_name: _Optional[str] = ..., org_number: _Optional[str] = ..., address: _Optional[str] = ..., qr_value: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterMerchantResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: MerchantProfile
    def __init__(self, data: _Optional[_Union[MerchantProfile, _Mapping]] = ...) -> None: ...

class GetDashboardRequest(_message.Message):
    __slots__ = ("period",)
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    period: str
    def __init__(self, period: _Optional[str] = ...) -> None: ...

class MerchantDashboard(_message.Message):
    __slots__ = ("revenue", "transaction_count", "fees", "net_revenue", "next_payout", "payout_time")
    REVENUE_FIELD_NUMBER: _ClassVar[int]
    TRANSACTION_COUNT_FIELD_NUMBER: _ClassVar[int]
    FEES_FIELD_NUMBER: _ClassVar[int]
    NET_REVENUE_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAYOUT_FIELD_NUMBER: _ClassVar[int]
    PAYOUT_TIME_FIELD_NUMBER: _ClassVar[int]
    revenue: float
    transaction_count: int
    fees: float
    net_revenue: float
    next_payout: float
    payout_time: _timestamp_pb2.Timestamp
    def __init__(self, revenue: _Optional[float] = ..., transaction_count: _Optional[int] = ..., fees: _Optional[float] = ..., net_revenue: _Optional[float] = ..., next_payout: _Optional[float] = ..., payout_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetDashboardResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: MerchantDashboard
    def __init__(self, data: _Optional[_Union[MerchantDashboard, _Mapping]] = ...) -> None: ...

class GetQrCodeRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MerchantQrCode(_message.Message):
    __slots__ = ("merchant_id", "business_name", "qr_value", "address")
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_NAME_FIELD_NUMBER: _ClassVar[int]
    QR_VALUE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    business_name: str
    qr_value: str
    address: str
    def __init__(self, merchant_id: _Optional[str] = ..., business_name: _Optional[str] = ..., qr_value: _Optional[str] = ..., address: _Optional[str] = ...) -> None: ...

class GetQrCodeResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: MerchantQrCode
    def __init__(self, data: _Optional[_Union[MerchantQrCode, _Mapping]] = ...) -> None: ...

class ListMerchantTransactionsRequest(_message.Message):
    __slots__ = ("page", "limit", "cursor")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    cursor: str
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ..., cursor: _Optional[str] = ...) -> None: ...

class MerchantTransaction(_message.Message):
    __slots__ = ("id", "amount", "fee", "status", "customer_name", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    amount: float
    fee: float
    status: str
    customer_name: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., amount: _Optional[float] = ..., fee: _Optional[float] = ..., status: _Optional[str] = ..., customer_name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListMerchantTransactionsResponse(_message.Message):
    __slots__ = ("data", "pagination", "next_cursor")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[MerchantTransaction]
    pagination: _common_pb2.Pagination
    next_cursor: str
    def __init__(self, data: _Optional[_Iterable[_Union[MerchantTransaction, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., next_cursor: _Optional[str] = ...) -> None: ...
