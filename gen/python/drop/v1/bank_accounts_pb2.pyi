from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

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
