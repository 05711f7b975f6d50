"""ComplaintService: proto <-> services.complaints."""

from __future__ import annotations

import grpc

from drop.v1 import complaints_pb2 as pb
from drop.v1 import complaints_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, optional_timestamp, pagination, timestamp
from drop_server.db.engine import Database
from drop_server.db.models import Complaint
from drop_server.services import complaints


def complaint_message(row: Complaint, *, with_user: bool = False) -> pb.Complaint:
    message = pb.Complaint(
        id=row.id,
        category=row.category,
        subject=row.subject,
        description=row.description,
        status=row.status,
        resolution=row.resolution,
        created_at=timestamp(row.created_at),
        respond_by=row.respond_by.isoformat(),
        user_id=row.user_id if with_user else None,
        resolved_at=optional_timestamp(row.resolved_at),
    )
    return message


class ComplaintServicer(complaints_pb2_grpc.ComplaintServiceServicer):
    def __init__(self, db: Database) -> None:
        self._db = db

    def ListComplaints(
        self, request: pb.ListComplaintsRequest, context: grpc.ServicerContext
    ) -> pb.ListComplaintsResponse:
        result = complaints.my_complaints(
            self._db,
            current_call().user(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
        )
        return pb.ListComplaintsResponse(
            data=[complaint_message(c) for c in result.complaints],
            pagination=pagination(result.page),
        )

    def CreateComplaint(
        self, request: pb.CreateComplaintRequest, context: grpc.ServicerContext
    ) -> pb.CreateComplaintResponse:
        form = complaints.ComplaintForm(
            **{f: optional_field(request, f) for f in ("category", "subject", "description")}
        )
        row = complaints.file_complaint(self._db, current_call().user(), form)
        return pb.CreateComplaintResponse(
            data=pb.FiledComplaint(
                id=row.id,
                category=row.category,
                subject=row.subject,
                description=row.description,
                status=row.status,
                created_at=timestamp(row.created_at),
                respond_by=row.respond_by.isoformat(),
            ),
            commitment_note=complaints.COMMITMENT_NOTE,
        )
