from drop.v1 import route_pb2 as _route_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BankAccount(_message.Message):
    __slots__ = ("id", "bank_name", "account_number", "balance", "currency", "is_primary")
    ID_FIELD_NUMBER: _ClassVar[int]
    BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IS_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    id: str
    bank_name: str
    account_number: str
    balance: float
    currency: str
    is_primary: bool
    def __init__(self, id: _Optional[str] = ..., bank_name: _Optional[str] = ..., account_number: _Optional[str] = ..., balance: _Optional[float] = ..., currency: _Optional[str] = ..., is_primary: _Optional[bool] = ...) -> None: ...

class ListBankAccountsRequest(_message.Message):
    __slots__ = ("refresh",)
    REFRESH_FIELD_NUMBER: _ClassVar[int]
    refresh: bool
    def __init__(self, refresh: _Optional[bool] = ...) -> None: ...

class ListBankAccountsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[BankAccount]
    def __init__(self, data: _Optional[_Iterable[_Union[BankAccount, _Mapping]]] = ...) -> None: ...

class LinkBankAccountsRequest(_message.Message):
    __slots__ = ("bank_name",)
    BANK_NAME_FIELD_NUMBER: _ClassVar[int]
    bank_name: str
    def __init__(self, bank_name: _Optional[str] = ...) -> None: ...

class LinkedBankAccounts(_message.Message):
    __slots__ = ("accounts", "consent_url")
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    CONSENT_URL_FIELD_NUMBER: _ClassVar[int]
    accounts: _containers.RepeatedCompositeFieldContainer[BankAccount]
    consent_url: str
    def __init__(self, accounts: _Optional[_Iterable[_Union[BankAccount, _Mapping]]] = ..., consent_url: _Optional[str] = ...) -> None: ...

class LinkBankAccountsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: LinkedBankAccounts
    def __init__(self, data: _Optional[_Union[LinkedBankAccounts, _Mapping]] = ...) -> None: ...

class UpdateBankAccountRequest(_message.Message):
    __slots__ = ("id", "is_primary")
    ID_FIELD_NUMBER: _ClassVar[int]
    IS_PRIMARY_FIELD_NUMBER: _ClassVar[int]
    id: str
    is_primary: bool
    def __init__(self, id: _Optional[str] = ..., is_primary: _Optional[bool] = ...) -> None: ...

class UpdateBankAccountResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: BankAccount
    def __init__(self, data: _Optional[_Union[BankAccount, _Mapping]] = ...) -> None: ...

class DeleteBankAccountRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class DeleteBankAccountResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
