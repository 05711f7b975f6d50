"""PrivacyService: proto <-> services.privacy and services.consents."""

from __future__ import annotations

import grpc

from drop.v1 import privacy_pb2 as pb
from drop.v1 import privacy_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.convert import optional_field, optional_timestamp, timestamp
from drop_server.auth.cookies import cleared_session_cookie
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.db.models import Consent
from drop_server.domain.account_numbers import format_account_number
from drop_server.domain.masking import mask_account
from drop_server.domain.money import to_json_number
from drop_server.services import consents, privacy


def consent_message(row: Consent) -> pb.Consent:
    return pb.Consent(
        id=row.id,
        user_id=row.user_id,
        consent_type=row.consent_type,
        granted=row.granted,
        ip_address=row.ip_address,
        granted_at=optional_timestamp(row.granted_at),
        withdrawn_at=optional_timestamp(row.withdrawn_at),
    )


def _export(export: privacy.DataExport) -> pb.DataExport:
    user = export.user
    data = pb.DataExport(
        user=pb.ExportedUser(
            id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            phone=user.phone,
            date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else None,
            kyc_status=user.kyc_status,
            role=user.role,
            created_at=timestamp(user.created_at),
        ),
        settings=pb.ExportedSettings(
            currency=export.settings.currency,
            language=export.settings.language,
            push_enabled=export.settings.push_enabled,
            email_enabled=export.settings.email_enabled,
        ),
        consents=[consent_message(c) for c in export.consents],
    )
    for tx in export.transactions:
        item = pb.ExportedTransaction(
            id=tx.id,
            type=tx.type,
            status=tx.status,
            amount=to_json_number(tx.amount),
            currency=tx.currency,
            fee=to_json_number(tx.fee),
            total=to_json_number(tx.total),
            exchange_rate=float(tx.exchange_rate) if tx.exchange_rate is not None else None,
            receive_amount=to_json_number(tx.receive_amount)
            if tx.receive_amount is not None
            else None,
            receive_currency=tx.receive_currency,
            recipient_name=tx.recipient_name,
            merchant_name=tx.merchant_name,
            reference=tx.reference,
            created_at=timestamp(tx.created_at),
            completed_at=optional_timestamp(tx.completed_at),
        )
        data.transactions.append(item)
    for recipient in export.recipients:
        item_r = pb.ExportedRecipient(
            id=recipient.id,
            name=recipient.name,
            country=recipient.country,
            currency=recipient.currency,
            bank_account=mask_account(recipient.bank_account),
            bank_name=recipient.bank_name,
            created_at=timestamp(recipient.created_at),
            deleted_at=optional_timestamp(recipient.deleted_at),
        )
        data.recipients.append(item_r)
    for account in export.bank_accounts:
        item_a = pb.ExportedBankAccount(
            id=account.id,
            bank_name=account.bank_name,
            account_number=format_account_number(account.account_number),
            balance=to_json_number(account.balance),
            currency=account.currency,
            is_primary=account.is_primary,
            created_at=timestamp(account.created_at),
            deleted_at=optional_timestamp(account.deleted_at),
        )
        data.bank_accounts.append(item_a)
    return data


class PrivacyServicer(privacy_pb2_grpc.PrivacyServiceServicer):
    def __init__(self, settings: Settings, db: Database) -> None:
        self._settings = settings
        self._db = db

    def ExportData(
        self, request: pb.ExportDataRequest, context: grpc.ServicerContext
    ) -> pb.ExportDataResponse:
        export = privacy.export_data(self._db, current_call().user())
        return pb.ExportDataResponse(
            data=_export(export), exported_at=timestamp(export.exported_at)
        )

    def DeleteAccount(
        self, request: pb.DeleteAccountRequest, context: grpc.ServicerContext
    ) -> pb.DeleteAccountResponse:
        call = current_call()
        privacy.erase_account(self._db, call.user())
        call.set_cookie(cleared_session_cookie(secure=self._settings.production))
        return pb.DeleteAccountResponse(
            message=privacy.ERASURE_MESSAGE, retention_note=privacy.RETENTION_NOTE
        )

    def ListConsents(
        self, request: pb.ListConsentsRequest, context: grpc.ServicerContext
    ) -> pb.ListConsentsResponse:
        return pb.ListConsentsResponse(
            data=[
                consent_message(c) for c in consents.list_consents(self._db, current_call().user())
            ]
        )

    def RecordConsent(
        self, request: pb.RecordConsentRequest, context: grpc.ServicerContext
    ) -> pb.RecordConsentResponse:
        call = current_call()
        change = consents.record_consent(
            self._db,
            call.user(),
            optional_field(request, "consent_type"),
            optional_field(request, "granted"),
            call.client_ip,
        )
        if change.created:
            call.respond_with_status(201)
        return pb.RecordConsentResponse(data=consent_message(change.consent))
