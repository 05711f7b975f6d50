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

class TransactionListItem(_message.Message):
    __slots__ = ("id", "type", "status", "amount", "currency", "recipient_name", "merchant_name", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    status: str
    amount: float
    currency: str
    recipient_name: str
    merchant_name: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., recipient_name: _Optional[str] = ..., merchant_name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListTransactionsRequest(_message.Message):
    __slots__ = ("page", "limit", "type", "status", "cursor")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    type: str
    status: str
    cursor: str
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., cursor: _Optional[str] = ...) -> None: ...

class ListTransactionsResponse(_message.Message):
    __slots__ = ("data", "pagination", "next_cursor")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    NEXT_CURSOR_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[TransactionListItem]
    pagination: _common_pb2.Pagination
    next_cursor: str
    def __init__(self, data: _Optional[_Iterable[_Union[TransactionListItem, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ..., next_cursor: _Optional[str] = ...) -> None: ...

class SummaryTotals(_message.Message):
    __slots__ = ("total_count", "total_sent", "total_paid", "remittance_count", "qr_payment_count")
    TOTAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_SENT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_PAID_FIELD_NUMBER: _ClassVar[int]
    REMITTANCE_COUNT_FIELD_NUMBER: _ClassVar[int]
    QR_PAYMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    total_count: int
    total_sent: float
    total_paid: float
    remittance_count: int
    qr_payment_count: int
    def __init__(self, total_count: _Optional[int] = ..., total_sent: _Optional[float] = ..., total_paid: _Optional[float] = ..., remittance_count: _Optional[int] = ..., qr_payment_count: _Optional[int] = ...) -> None: ...

class TransactionSummary(_message.Message):
    __slots__ = ("all_time", "this_month")
    ALL_TIME_FIELD_NUMBER: _ClassVar[int]
    THIS_MONTH_FIELD_NUMBER: _ClassVar[int]
    all_time: SummaryTotals
    this_month: SummaryTotals
    def __init__(self, all_time: _Optional[_Union[SummaryTotals, _Mapping]] = ..., this_month: _Optional[_Union[SummaryTotals, _Mapping]] = ...) -> None: ...

class GetTransactionSummaryRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetTransactionSummaryResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: TransactionSummary
    def __init__(self, data: _Optional[_Union[TransactionSummary, _Mapping]] = ...) -> None: ...

class TransactionDetail(_message.Message):
    __slots__ = ("id", "type", "status", "send_amount", "send_currency", "receive_amount", "receive_currency", "exchange_rate", "amount", "currency", "fee", "total", "recipient_name", "recipient_country", "merchant_name", "merchant_id", "created_at", "completed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEND_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    SEND_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_NAME_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    status: str
    send_amount: float
    send_currency: str
    receive_amount: float
    receive_currency: str
    exchange_rate: float
    amount: float
    currency: str
    fee: float
    total: float
    recipient_name: str
    recipient_country: str
    merchant_name: str
    merchant_id: str
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., send_amount: _Optional[float] = ..., send_currency: _Optional[str] = ..., receive_amount: _Optional[float] = ..., receive_currency: _Optional[str] = ..., exchange_rate: _Optional[float] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., fee: _Optional[float] = ..., total: _Optional[float] = ..., recipient_name: _Optional[str] = ..., recipient_country: _Optional[str] = ..., merchant_name: _Optional[str] = ..., merchant_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetTransactionRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetTransactionResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: TransactionDetail
    def __init__(self, data: _Optional[_Union[TransactionDetail, _Mapping]] = ...) -> None: ...

class ReceiptRecipient(_message.Message):
    __slots__ = ("name", "country")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    name: str
    country: str
    def __init__(self, name: _Optional[str] = ..., country: _Optional[str] = ...) -> None: ...

class ReceiptMerchant(_message.Message):
    __slots__ = ("name", "id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    id: str
    def __init__(self, name: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class Receipt(_message.Message):
    __slots__ = ("transaction_id", "date", "type", "amount", "currency", "fee", "exchange_rate", "receive_amount", "receive_currency", "recipient", "merchant", "reference", "status", "estimated_completion", "completed_at")
    TRANSACTION_ID_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_COMPLETION_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    transaction_id: str
    date: _timestamp_pb2.Timestamp
    type: str
    amount: float
    currency: str
    fee: float
    exchange_rate: float
    receive_amount: float
    receive_currency: str
    recipient: ReceiptRecipient
    merchant: ReceiptMerchant
    reference: str
    status: str
    estimated_completion: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, transaction_id: _Optional[str] = ..., date: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., type: _Optional[str] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., fee: _Optional[float] = ..., exchange_rate: _Optional[float] = ..., receive_amount: _Optional[float] = ..., receive_currency: _Optional[str] = ..., recipient: _Optional[_Union[ReceiptRecipient, _Mapping]] = ..., merchant: _Optional[_Union[ReceiptMerchant, _Mapping]] = ..., reference: _Optional[str] = ..., status: _Optional[str] = ..., estimated_completion: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetReceiptRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetReceiptResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Receipt
    def __init__(self, data: _Optional[_Union[Receipt, _Mapping]] = ...) -> None: ...

class CreateDisclosureRequest(_message.Message):
    __slots__ = ("type", "amount", "currency", "recipient_id")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_ID_FIELD_NUMBER: _ClassVar[int]
    type: str
    amount: float
    currency: str
    recipient_id: str
    def __init__(self, type: _Optional[str] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., recipient_id: _Optional[str] = ...) -> None: ...

class Disclosure(_message.Message):
    __slots__ = ("amount", "fee", "fee_percentage", "exchange_rate", "receive_amount", "receive_currency", "estimated_delivery", "total_cost")
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    FEE_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    ESTIMATED_DELIVERY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COST_FIELD_NUMBER: _ClassVar[int]
    amount: float
    fee: float
    fee_percentage: float
    exchange_rate: float
    receive_amount: float
    receive_currency: str
    estimated_delivery: str
    total_cost: float
    def __init__(self, amount: _Optional[float] = ..., fee: _Optional[float] = ..., fee_percentage: _Optional[float] = ..., exchange_rate: _Optional[float] = ..., receive_amount: _Optional[float] = ..., receive_currency: _Optional[str] = ..., estimated_delivery: _Optional[str] = ..., total_cost: _Optional[float] = ...) -> None: ...

class CreateDisclosureResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Disclosure
    def __init__(self, data: _Optional[_Union[Disclosure, _Mapping]] = ...) -> None: ...

class SendRemittanceRequest(_message.Message):
    __slots__ = ("recipient_id", "amount", "currency", "bank_account_id")
    RECIPIENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    recipient_id: str
    amount: float
    currency: str
    bank_account_id: str
    def __init__(self, recipient_id: _Optional[str] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., bank_account_id: _Optional[str] = ...) -> None: ...

class Remittance(_message.Message):
    __slots__ = ("id", "type", "status", "send_amount", "send_currency", "receive_amount", "receive_currency", "exchange_rate", "fee", "fee_percent", "total", "recipient_name", "recipient_country", "from_account", "eta", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEND_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    SEND_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    FEE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_COUNTRY_FIELD_NUMBER: _ClassVar[int]
    FROM_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    ETA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    status: str
    send_amount: float
    send_currency: str
    receive_amount: float
    receive_currency: str
    exchange_rate: float
    fee: float
    fee_percent: float
    total: float
    recipient_name: str
    recipient_country: str
    from_account: str
    eta: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., send_amount: _Optional[float] = ..., send_currency: _Optional[str] = ..., receive_amount: _Optional[float] = ..., receive_currency: _Optional[str] = ..., exchange_rate: _Optional[float] = ..., fee: _Optional[float] = ..., fee_percent: _Optional[float] = ..., total: _Optional[float] = ..., recipient_name: _Optional[str] = ..., recipient_country: _Optional[str] = ..., from_account: _Optional[str] = ..., eta: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SendRemittanceResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Remittance
    def __init__(self, data: _Optional[_Union[Remittance, _Mapping]] = ...) -> None: ...

class PayMerchantRequest(_message.Message):
    __slots__ = ("merchant_id", "amount")
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    merchant_id: str
    amount: float
    def __init__(self, merchant_id: _Optional[str] = ..., amount: _Optional[float] = ...) -> None: ...

class QrPayment(_message.Message):
    __slots__ = ("id", "type", "status", "amount", "currency", "fee", "fee_percent", "merchant_name", "merchant_id", "from_account", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    FEE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_NAME_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    status: str
    amount: float
    currency: str
    fee: float
    fee_percent: float
    merchant_name: str
    merchant_id: str
    from_account: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., fee: _Optional[float] = ..., fee_percent: _Optional[float] = ..., merchant_name: _Optional[str] = ..., merchant_id: _Optional[str] = ..., from_account: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PayMerchantResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: QrPayment
    def __init__(self, data: _Optional[_Union[QrPayment, _Mapping]] = ...) -> None: ...
