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

class ExportDataRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExportedUser(_message.Message):
    __slots__ = ("id", "email", "first_name", "last_name", "phone", "date_of_birth", "kyc_status", "role", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    first_name: str
    last_name: str
    phone: str
    date_of_birth: str
    kyc_status: str
    role: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., phone: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., kyc_status: _Optional[str] = ..., role: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExportedTransaction(_message.Message):
    __slots__ = ("id", "type", "status", "amount", "currency", "fee", "total", "exchange_rate", "receive_amount", "receive_currency", "recipient_name", "merchant_name", "reference", "created_at", "completed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    EXCHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    MERCHANT_NAME_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    status: str
    amount: float
    currency: str
    fee: float
    total: float
    exchange_rate: float
    receive_amount: float
    receive_currency: str
    recipient_name: str
    merchant_name: str
    reference: str
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[float] = ..., currency: _Optional[str] = ..., fee: _Optional[float] = ..., total: _Optional[float] = ..., exchange_rate: _Optional[float] = ..., receive_amount: _Optional[float] = ..., receive_currency: _Optional[str] = ..., recipient_name: _Optional[str] = ..., merchant_name: _Optional[str] = ..., reference: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExportedRecipient(_message.Message):
    __slots__ = ("id", "name", "country", "currency", "bank_account", "bank_name", "created_at", "deleted_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    country: str
    currency: str
    bank_account: str
    bank_name: str
    created_at: _timestamp_pb2.Timestamp
    deleted_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., country: _Optional[str] = ..., currency: _Optional[str] = ..., bank_account: _Optional[str] = ..., bank_name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deleted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExportedBankAccount(_message.Message):
    __slots__ = ("id", "bank_name", "account_number", "balance", "currency", "is_primary", "created_at", "deleted_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IS_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    bank_name: str
    account_number: str
    balance: float
    currency: str
    is_primary: bool
    created_at: _timestamp_pb2.Timestamp
    deleted_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., bank_name: _Optional[str] = ..., account_number: _Optional[str] = ..., balance: _Optional[float] = ..., currency: _Optional[str] = ..., is_primary: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deleted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExportedSettings(_message.Message):
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

class Consent(_message.Message):
    __slots__ = ("id", "user_id", "consent_type", "granted", "granted_at", "withdrawn_at", "ip_address")
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CONSENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    GRANTED_AT_FIELD_NUMBER: _ClassVar[int]
    WITHDRAWN_AT_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    id: str
    user_id: str
    consent_type: str
    granted: bool
    granted_at: _timestamp_pb2.Timestamp
    withdrawn_at: _timestamp_pb2.Timestamp
    ip_address: str
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., consent_type: _Optional[str] = ..., granted: _Optional[bool] = ..., granted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., withdrawn_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ip_address: _Optional[str] = ...) -> None: ...

class DataExport(_message.Message):
    __slots__ = ("user", "transactions", "recipients", "bank_accounts", "settings", "consents")
    USER_FIELD_NUMBER: _ClassVar[int]
    TRANSACTIONS_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    SETTINGS_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    user: ExportedUser
    transactions: _containers.RepeatedCompositeFieldContainer[ExportedTransaction]
    recipients: _containers.RepeatedCompositeFieldContainer[ExportedRecipient]
    bank_accounts: _containers.RepeatedCompositeFieldContainer[ExportedBankAccount]
    settings: ExportedSettings
    consents: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, user: _Optional[_Union[ExportedUser, _Mapping]] = ..., transactions: _Optional[_Iterable[_Union[ExportedTransaction, _Mapping]]] = ..., recipients: _Optional[_Iterable[_Union[ExportedRecipient, _Mapping]]] = ..., bank_accounts: _Optional[_Iterable[_Union[ExportedBankAccount, _Mapping]]] = ..., settings: _Optional[_Union[ExportedSettings, _Mapping]] = ..., consents: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...

class ExportDataResponse(_message.Message):
    __slots__ = ("data", "exported_at")
    DATA_FIELD_NUMBER: _ClassVar[int]
    EXPORTED_AT_FIELD_NUMBER: _ClassVar[int]
    data: DataExport
    exported_at: _timestamp_pb2.Timestamp
    def __init__(self, data: _Optional[_Union[DataExport, _Mapping]] = ..., exported_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeleteAccountRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DeleteAccountResponse(_message.Message):
    __slots__ = ("message", "retention_note")
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    RETENTION_NOTE_FIELD_NUMBER: _ClassVar[int]
    message: str
    retention_note: str
    def __init__(self, message: _Optional[str] = ..., retention_note: _Optional[str] = ...) -> None: ...

class ListConsentsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListConsentsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[Consent]
    def __init__(self, data: _Optional[_Iterable[_Union[Consent, _Mapping]]] = ...) -> None: ...

class RecordConsentRequest(_message.Message):
    __slots__ = ("consent_type", "granted")
    CONSENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    consent_type: str
    granted: bool
    def __init__(self, consent_type: _Optional[str] = ..., granted: _Optional[bool] = ...) -> None: ...

class RecordConsentResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Consent
    def __init__(self, data: _Optional[_Union[Consent, _Mapping]] = ...) -> None: ...
