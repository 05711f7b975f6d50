import datetime

from drop.v1 import bank_accounts_pb2 as _bank_accounts_pb2
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

class RegisterRequest(_message.Message):
    __slots__ = ("email", "password", "first_name", "last_name", "phone", "date_of_birth")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str
    date_of_birth: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., phone: _Optional[str] = ..., date_of_birth: _Optional[str] = ...) -> None: ...

class RegisteredUser(_message.Message):
    __slots__ = ("id", "email", "first_name", "last_name", "date_of_birth", "kyc_status", "created_at", "token", "expires_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    first_name: str
    last_name: str
    date_of_birth: str
    kyc_status: str
    created_at: _timestamp_pb2.Timestamp
    token: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., kyc_status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., token: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RegisteredUser
    def __init__(self, data: _Optional[_Union[RegisteredUser, _Mapping]] = ...) -> None: ...

class LoginRequest(_message.Message):
    __slots__ = ("email", "password")
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    PASSWORD_FIELD_NUMBER: _ClassVar[int]
    email: str
    password: str
    def __init__(self, email: _Optional[str] = ..., password: _Optional[str] = ...) -> None: ...

class LoginUser(_message.Message):
    __slots__ = ("id", "email", "first_name", "last_name", "kyc_status", "token", "expires_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    first_name: str
    last_name: str
    kyc_status: str
    token: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., kyc_status: _Optional[str] = ..., token: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LoginResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: LoginUser
    def __init__(self, data: _Optional[_Union[LoginUser, _Mapping]] = ...) -> None: ...

class GetMeRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Me(_message.Message):
    __slots__ = ("id", "email", "first_name", "last_name", "phone", "role", "total_balance", "bank_accounts", "kyc_status", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_BALANCE_FIELD_NUMBER: _ClassVar[int]
    BANK_ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    first_name: str
    last_name: str
    phone: str
    role: str
    total_balance: float
    bank_accounts: _containers.RepeatedCompositeFieldContainer[_bank_accounts_pb2.BankAccount]
    kyc_status: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., phone: _Optional[str] = ..., role: _Optional[str] = ..., total_balance: _Optional[float] = ..., bank_accounts: _Optional[_Iterable[_Union[_bank_accounts_pb2.BankAccount, _Mapping]]] = ..., kyc_status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetMeResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: Me
    def __init__(self, data: _Optional[_Union[Me, _Mapping]] = ...) -> None: ...

class LogoutRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LogoutResponse(_message.Message):
    __slots__ = ("message",)
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    message: str
    def __init__(self, message: _Optional[str] = ...) -> None: ...

class RefreshRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RefreshedSession(_message.Message):
    __slots__ = ("user_id", "email", "role", "token", "expires_at")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    email: str
    role: str
    token: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, user_id: _Optional[str] = ..., email: _Optional[str] = ..., role: _Optional[str] = ..., token: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RefreshResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RefreshedSession
    def __init__(self, data: _Optional[_Union[RefreshedSession, _Mapping]] = ...) -> None: ...

class StartBankIdRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class BankIdRedirect(_message.Message):
    __slots__ = ("redirect_url", "flow_handle")
    REDIRECT_URL_FIELD_NUMBER: _ClassVar[int]
    FLOW_HANDLE_FIELD_NUMBER: _ClassVar[int]
    redirect_url: str
    flow_handle: str
    def __init__(self, redirect_url: _Optional[str] = ..., flow_handle: _Optional[str] = ...) -> None: ...

class StartBankIdResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: BankIdRedirect
    def __init__(self, data: _Optional[_Union[BankIdRedirect, _Mapping]] = ...) -> None: ...

class CompleteBankIdRequest(_message.Message):
    __slots__ = ("code", "state", "error", "error_description", "iss", "flow_handle")
    CODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ISS_FIELD_NUMBER: _ClassVar[int]
    FLOW_HANDLE_FIELD_NUMBER: _ClassVar[int]
    code: str
    state: str
    error: str
    error_description: str
    iss: str
    flow_handle: str
    def __init__(self, code: _Optional[str] = ..., state: _Optional[str] = ..., error: _Optional[str] = ..., error_description: _Optional[str] = ..., iss: _Optional[str] = ..., flow_handle: _Optional[str] = ...) -> None: ...

class LinkBankIdRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class LinkBankIdResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: BankIdRedirect
    def __init__(self, data: _Optional[_Union[BankIdRedirect, _Mapping]] = ...) -> None: ...

class CompleteBankIdResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: RefreshedSession
    def __init__(self, data: _Optional[_Union[RefreshedSession, _Mapping]] = ...) -> None: ...
