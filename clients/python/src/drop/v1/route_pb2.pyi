from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Access(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACCESS_UNSPECIFIED: _ClassVar[Access]
    ACCESS_PUBLIC: _ClassVar[Access]
    ACCESS_USER: _ClassVar[Access]
    ACCESS_USER_OR_KEY: _ClassVar[Access]

class Permission(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PERMISSION_UNSPECIFIED: _ClassVar[Permission]
    PERMISSION_USERS_READ: _ClassVar[Permission]
    PERMISSION_TRANSACTIONS_READ: _ClassVar[Permission]
    PERMISSION_USERS_VERIFY: _ClassVar[Permission]
    PERMISSION_ROLES_MANAGE: _ClassVar[Permission]
    PERMISSION_COMPLAINTS_MANAGE: _ClassVar[Permission]
    PERMISSION_PRIVACY_AUDIT: _ClassVar[Permission]
    PERMISSION_RATES_MANAGE: _ClassVar[Permission]
    PERMISSION_SETTLEMENT_MANAGE: _ClassVar[Permission]
    PERMISSION_FEATURE_FLAGS_MANAGE: _ClassVar[Permission]
    PERMISSION_API_KEYS_MANAGE: _ClassVar[Permission]
ACCESS_UNSPECIFIED: Access
ACCESS_PUBLIC: Access
ACCESS_USER: Access
ACCESS_USER_OR_KEY: Access
PERMISSION_UNSPECIFIED: Permission
PERMISSION_USERS_READ: Permission
PERMISSION_TRANSACTIONS_READ: Permission
PERMISSION_USERS_VERIFY: Permission
PERMISSION_ROLES_MANAGE: Permission
PERMISSION_COMPLAINTS_MANAGE: Permission
PERMISSION_PRIVACY_AUDIT: Permission
PERMISSION_RATES_MANAGE: Permission
PERMISSION_SETTLEMENT_MANAGE: Permission
PERMISSION_FEATURE_FLAGS_MANAGE: Permission
PERMISSION_API_KEYS_MANAGE: Permission
ROUTE_FIELD_NUMBER: _ClassVar[int]
route: _descriptor.FieldDescriptor

class Route(_message.Message):
    __slots__ = ("success_status", "access", "error_statuses", "per_ip_per_minute", "degraded_status", "idempotent", "other_success_statuses", "permission", "feature_flags")
    SUCCESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    ERROR_STATUSES_FIELD_NUMBER: _ClassVar[int]
    PER_IP_PER_MINUTE_FIELD_NUMBER: _ClassVar[int]
    DEGRADED_STATUS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENT_FIELD_NUMBER: _ClassVar[int]
    OTHER_SUCCESS_STATUSES_FIELD_NUMBER: _ClassVar[int]
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    FEATURE_FLAGS_FIELD_NUMBER: _ClassVar[int]
    success_status: int
    access: Access
    error_statuses: _containers.RepeatedScalarFieldContainer[int]
    per_ip_per_minute: int
    degraded_status: int
    idempotent: bool
    other_success_statuses: _containers.RepeatedScalarFieldContainer[int]
    permission: Permission
    feature_flags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, success_status: _Optional[int] = ..., access: _Optional[_Union[Access, str]] = ..., error_statuses: _Optional[_Iterable[int]] = ..., per_ip_per_minute: _Optional[int] = ..., degraded_status: _Optional[int] = ..., idempotent: _Optional[bool] = ..., other_success_statuses: _Optional[_Iterable[int]] = ..., permission: _Optional[_Union[Permission, str]] = ..., feature_flags: _Optional[_Iterable[str]] = ...) -> None: ...
