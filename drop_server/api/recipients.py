"""RecipientService: proto <-> services.recipients."""

from __future__ import annotations

import grpc

from drop.v1 import recipients_pb2 as pb
from drop.v1 import recipients_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, pagination, timestamp
from drop_server.db.engine import Database
from drop_server.db.models import Recipient
from drop_server.domain.masking import mask_account
from drop_server.services import recipients


def recipient_message(row: Recipient) -> pb.Recipient:
    return pb.Recipient(
        id=row.id,
        name=row.name,
        country=row.country,
        currency=row.currency,
        bank_account=mask_account(row.bank_account),
        bank_name=row.bank_name,
        created_at=timestamp(row.created_at),
    )


class RecipientServicer(recipients_pb2_grpc.RecipientServiceServicer):
    def __init__(self, db: Database) -> None:
        self._db = db

    def ListRecipients(
        self, request: pb.ListRecipientsRequest, context: grpc.ServicerContext
    ) -> pb.ListRecipientsResponse:
        result = recipients.list_recipients(
            self._db,
            current_call().user(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
        )
        return pb.ListRecipientsResponse(
            data=[recipient_message(r) for r in result.recipients],
            pagination=pagination(result.page),
        )

    def CreateRecipient(
        self, request: pb.CreateRecipientRequest, context: grpc.ServicerContext
    ) -> pb.CreateRecipientResponse:
        form = recipients.NewRecipient(
            **{
                f: optional_field(request, f)
                for f in ("name", "country", "currency", "bank_account", "bank_name")
            }
        )
        return pb.CreateRecipientResponse(
            data=recipient_message(
                recipients.create_recipient(self._db, current_call().user(), form)
            )
        )

    def DeleteRecipient(
        self, request: pb.DeleteRecipientRequest, context: grpc.ServicerContext
    ) -> pb.DeleteRecipientResponse:
        recipients.delete_recipient(self._db, current_call().user(), request.id)
        return pb.DeleteRecipientResponse()
