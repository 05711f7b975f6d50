import datetime

from drop.v1 import common_pb2 as _common_pb2
from drop.v1 import complaints_pb2 as _complaints_pb2
from drop.v1 import field_rules_pb2 as _field_rules_pb2
from drop.v1 import rates_pb2 as _rates_pb2
from drop.v1 import route_pb2 as _route_pb2
from drop.v1 import transactions_pb2 as _transactions_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AdminUser(_message.Message):
    __slots__ = ("id", "email", "first_name", "last_name", "phone", "date_of_birth", "role", "kyc_status", "created_at", "deleted_at", "bankid_linked", "bankid_link_approved_until")
    ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    DATE_OF_BIRTH_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELETED_AT_FIELD_NUMBER: _ClassVar[int]
    BANKID_LINKED_FIELD_NUMBER: _ClassVar[int]
    BANKID_LINK_APPROVED_UNTIL_FIELD_NUMBER: _ClassVar[int]
    id: str
    email: str
    first_name: str
    last_name: str
    phone: str
    date_of_birth: str
    role: str
    kyc_status: str
    created_at: _timestamp_pb2.Timestamp
    deleted_at: _timestamp_pb2.Timestamp
    bankid_linked: bool
    bankid_link_approved_until: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., email: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., phone: _Optional[str] = ..., date_of_birth: _Optional[str] = ..., role: _Optional[str] = ..., kyc_status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deleted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., bankid_linked: _Optional[bool] = ..., bankid_link_approved_until: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("page", "limit", "search", "role", "kyc_status", "sort_by", "order")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    search: str
    role: str
    kyc_status: str
    sort_by: str
    order: str
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ..., search: _Optional[str] = ..., role: _Optional[str] = ..., kyc_status: _Optional[str] = ..., sort_by: _Optional[str] = ..., order: _Optional[str] = ...) -> None: ...

class ListUsersResponse(_message.Message):
    __slots__ = ("data", "pagination")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[AdminUser]
    pagination: _common_pb2.Pagination
    def __init__(self, data: _Optional[_Iterable[_Union[AdminUser, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: AdminUser
    def __init__(self, data: _Optional[_Union[AdminUser, _Mapping]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("id", "kyc_status", "role")
    ID_FIELD_NUMBER: _ClassVar[int]
    KYC_STATUS_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    kyc_status: str
    role: str
    def __init__(self, id: _Optional[str] = ..., kyc_status: _Optional[str] = ..., role: _Optional[str] = ...) -> None: ...

class UpdateUserResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: AdminUser
    def __init__(self, data: _Optional[_Union[AdminUser, _Mapping]] = ...) -> None: ...

class UpdateRateRequest(_message.Message):
    __slots__ = ("currency", "rate")
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    currency: str
    rate: float
    def __init__(self, currency: _Optional[str] = ..., rate: _Optional[float] = ...) -> None: ...

class UpdateRateResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _rates_pb2.Rate
    def __init__(self, data: _Optional[_Union[_rates_pb2.Rate, _Mapping]] = ...) -> None: ...

class SettleTransactionRequest(_message.Message):
    __slots__ = ("id", "outcome")
    ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    id: str
    outcome: str
    def __init__(self, id: _Optional[str] = ..., outcome: _Optional[str] = ...) -> None: ...

class SettleTransactionResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _transactions_pb2.TransactionDetail
    def __init__(self, data: _Optional[_Union[_transactions_pb2.TransactionDetail, _Mapping]] = ...) -> None: ...

class FeatureFlag(_message.Message):
    __slots__ = ("name", "enabled", "updated_at")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    name: str
    enabled: bool
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, name: _Optional[str] = ..., enabled: _Optional[bool] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListFeatureFlagsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListFeatureFlagsResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[FeatureFlag]
    def __init__(self, data: _Optional[_Iterable[_Union[FeatureFlag, _Mapping]]] = ...) -> None: ...

class UpdateFeatureFlagRequest(_message.Message):
    __slots__ = ("name", "enabled")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    name: str
    enabled: bool
    def __init__(self, name: _Optional[str] = ..., enabled: _Optional[bool] = ...) -> None: ...

class UpdateFeatureFlagResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: FeatureFlag
    def __init__(self, data: _Optional[_Union[FeatureFlag, _Mapping]] = ...) -> None: ...

class ListAllComplaintsRequest(_message.Message):
    __slots__ = ("page", "limit", "status", "overdue")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    status: str
    overdue: bool
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ..., status: _Optional[str] = ..., overdue: _Optional[bool] = ...) -> None: ...

class ListAllComplaintsResponse(_message.Message):
    __slots__ = ("data", "pagination")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[_complaints_pb2.Complaint]
    pagination: _common_pb2.Pagination
    def __init__(self, data: _Optional[_Iterable[_Union[_complaints_pb2.Complaint, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class UpdateComplaintRequest(_message.Message):
    __slots__ = ("id", "status", "resolution")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    resolution: str
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., resolution: _Optional[str] = ...) -> None: ...

class UpdateComplaintResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _complaints_pb2.Complaint
    def __init__(self, data: _Optional[_Union[_complaints_pb2.Complaint, _Mapping]] = ...) -> None: ...

class ListUserTransactionsRequest(_message.Message):
    __slots__ = ("id", "page", "limit")
    ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    id: str
    page: int
    limit: int
    def __init__(self, id: _Optional[str] = ..., page: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListUserTransactionsResponse(_message.Message):
    __slots__ = ("data", "pagination")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[_transactions_pb2.TransactionDetail]
    pagination: _common_pb2.Pagination
    def __init__(self, data: _Optional[_Iterable[_Union[_transactions_pb2.TransactionDetail, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ConsentHistoryEntry(_message.Message):
    __slots__ = ("consent_type", "granted", "ip_address", "created_at")
    CONSENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    GRANTED_FIELD_NUMBER: _ClassVar[int]
    IP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    consent_type: str
    granted: bool
    ip_address: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, consent_type: _Optional[str] = ..., granted: _Optional[bool] = ..., ip_address: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListConsentHistoryRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ListConsentHistoryResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[ConsentHistoryEntry]
    def __init__(self, data: _Optional[_Iterable[_Union[ConsentHistoryEntry, _Mapping]]] = ...) -> None: ...

class ApproveBankIdLinkRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class ApproveBankIdLinkResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: AdminUser
    def __init__(self, data: _Optional[_Union[AdminUser, _Mapping]] = ...) -> None: ...

class DataAccessRequest(_message.Message):
    __slots__ = ("id", "user_id", "type", "status", "created_at", "completed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    user_id: str
    type: str
    status: str
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., type: _Optional[str] = ..., status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListDataAccessRequestsRequest(_message.Message):
    __slots__ = ("page", "limit", "type", "user_id")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    type: str
    user_id: str
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ..., type: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class ListDataAccessRequestsResponse(_message.Message):
    __slots__ = ("data", "pagination")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[DataAccessRequest]
    pagination: _common_pb2.Pagination
    def __init__(self, data: _Optional[_Iterable[_Union[DataAccessRequest, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class ApiKey(_message.Message):
    __slots__ = ("id", "prefix", "scopes", "label", "created_at", "expires_at", "last_used_at", "revoked_at", "secret")
    ID_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_AT_FIELD_NUMBER: _ClassVar[int]
    REVOKED_AT_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    id: str
    prefix: str
    scopes: _containers.RepeatedScalarFieldContainer[str]
    label: str
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    last_used_at: _timestamp_pb2.Timestamp
    revoked_at: _timestamp_pb2.Timestamp
    secret: str
    def __init__(self, id: _Optional[str] = ..., prefix: _Optional[str] = ..., scopes: _Optional[_Iterable[str]] = ..., label: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., revoked_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class CreateApiKeyRequest(_message.Message):
    __slots__ = ("scopes", "label", "expires_at")
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    scopes: _containers.RepeatedScalarFieldContainer[str]
    label: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, scopes: _Optional[_Iterable[str]] = ..., label: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateApiKeyResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ApiKey
    def __init__(self, data: _Optional[_Union[ApiKey, _Mapping]] = ...) -> None: ...

class ListApiKeysRequest(_message.Message):
    __slots__ = ("page", "limit")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListApiKeysResponse(_message.Message):
    __slots__ = ("data", "pagination")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[ApiKey]
    pagination: _common_pb2.Pagination
    def __init__(self, data: _Optional[_Iterable[_Union[ApiKey, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class RevokeApiKeyRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class RevokeApiKeyResponse(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: ApiKey
    def __init__(self, data: _Optional[_Union[ApiKey, _Mapping]] = ...) -> None: ...
