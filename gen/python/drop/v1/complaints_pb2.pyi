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

class Complaint(_message.Message):
    __slots__ = ("id", "category", "subject", "description", "status", "resolution", "created_at", "resolved_at", "respond_by", "user_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    RESPOND_BY_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    category: str
    subject: str
    description: str
    status: str
    resolution: str
    created_at: _timestamp_pb2.Timestamp
    resolved_at: _timestamp_pb2.Timestamp
    respond_by: str
    user_id: str
    def __init__(self, id: _Optional[str] = ..., category: _Optional[str] = ..., subject: _Optional[str] = ..., description: _Optional[str] = ..., status: _Optional[str] = ..., resolution: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resolved_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., respond_by: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class ListComplaintsRequest(_message.Message):
    __slots__ = ("page", "limit")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    page: int
    limit: int
    def __init__(self, page: _Optional[int] = ..., limit: _Optional[int] = ...) -> None: ...

class ListComplaintsResponse(_message.Message):
    __slots__ = ("data", "pagination")
    DATA_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    data: _containers.RepeatedCompositeFieldContainer[Complaint]
    pagination: _common_pb2.Pagination
    def __init__(self, data: _Optional[_Iterable[_Union[Complaint, _Mapping]]] = ..., pagination: _Optional[_Union[_common_pb2.Pagination, _Mapping]] = ...) -> None: ...

class CreateComplaintRequest(_message.Message):
    __slots__ = ("category", "subject", "description")
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    category: str
    subject: str
    description: str
    def __init__(self, category: _Optional[str] = ..., subject: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...

class FiledComplaint(_message.Message):
    __slots__ = ("id", "category", "subject", "description", "status", "created_at", "respond_by")
    ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    RESPOND_BY_FIELD_NUMBER: _ClassVar[int]
    id: str
    category: str
    subject: str
    description: str
    status: str
    created_at: _timestamp_pb2.Timestamp
    respond_by: str
    def __init__(self, id: _Optional[str] = ..., category: _Optional[str] = ..., subject: _Optional[str] = ..., description: _Optional[str] = ..., status: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., respond_by: _Optional[str] = ...) -> None: ...

class CreateComplaintResponse(_message.Message):
    __slots__ = ("data", "commitment_note")
    DATA_FIELD_NUMBER: _ClassVar[int]
    COMMITMENT_NOTE_FIELD_NUMBER: _ClassVar[int]
    data: FiledComplaint
    commitment_note: str
    def __init__(self, data: _Optional[_Union[FiledComplaint, _Mapping]] = ..., commitment_note: _Optional[str] = ...) -> None: ...
