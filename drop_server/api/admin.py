"""AdminService: proto <-> services.admin_users."""

from __future__ import annotations

from datetime import UTC

import grpc

from drop.v1 import admin_pb2, admin_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.complaints import complaint_message
from drop_server.api.convert import optional_field, optional_timestamp, pagination, timestamp
from drop_server.api.money_messages import rate, transaction_detail
from drop_server.db.engine import Database
from drop_server.db.models import ApiKey, User
from drop_server.domain.permissions import Permission
from drop_server.providers.bank import BankProvider
from drop_server.services import (
    admin_users,
    api_keys,
    complaints,
    feature_flags,
    privacy_audit,
    rates,
    settlement,
    transactions,
)
from drop_server.services.access import require
from drop_server.services.accounts import today_in_oslo


def admin_user(user: User) -> admin_pb2.AdminUser:
    return admin_pb2.AdminUser(
        id=user.id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=user.phone,
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else None,
        role=user.role,
        kyc_status=user.kyc_status,
        created_at=timestamp(user.created_at),
        deleted_at=optional_timestamp(user.deleted_at),
        bankid_linked=user.bankid_subject is not None,
        bankid_link_approved_until=optional_timestamp(user.bankid_link_approved_until),
    )


def api_key_message(row: ApiKey, secret: str | None = None) -> admin_pb2.ApiKey:
    return admin_pb2.ApiKey(
        id=row.id,
        prefix=row.prefix,
        scopes=row.scopes,
        label=row.label,
        created_at=timestamp(row.created_at),
        expires_at=optional_timestamp(row.expires_at),
        last_used_at=optional_timestamp(row.last_used_at),
        revoked_at=optional_timestamp(row.revoked_at),
        secret=secret,
    )


class AdminServicer(admin_pb2_grpc.AdminServiceServicer):
    def __init__(self, db: Database, bank: BankProvider) -> None:
        self._db = db
        self._bank = bank

    def ListUsers(
        self, request: admin_pb2.ListUsersRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListUsersResponse:
        query = admin_users.UserQuery(
            **{
                field: optional_field(request, field)
                for field in ("page", "limit", "search", "role", "kyc_status", "sort_by", "order")
            }
        )
        result = admin_users.list_users(self._db, current_call().caller(), query)
        return admin_pb2.ListUsersResponse(
            data=[admin_user(user) for user in result.users], pagination=pagination(result.page)
        )

    def GetUser(
        self, request: admin_pb2.GetUserRequest, context: grpc.ServicerContext
    ) -> admin_pb2.GetUserResponse:
        user = admin_users.get_user(self._db, current_call().caller(), request.id)
        return admin_pb2.GetUserResponse(data=admin_user(user))

    def UpdateUser(
        self, request: admin_pb2.UpdateUserRequest, context: grpc.ServicerContext
    ) -> admin_pb2.UpdateUserResponse:
        user = admin_users.update_user(
            self._db,
            current_call().caller(),
            request.id,
            kyc_status=optional_field(request, "kyc_status"),
            role=optional_field(request, "role"),
        )
        return admin_pb2.UpdateUserResponse(data=admin_user(user))

    def UpdateRate(
        self, request: admin_pb2.UpdateRateRequest, context: grpc.ServicerContext
    ) -> admin_pb2.UpdateRateResponse:
        row = rates.update_rate(self._db, current_call().caller(), request.currency, request.rate)
        return admin_pb2.UpdateRateResponse(data=rate(row))

    def SettleTransaction(
        self, request: admin_pb2.SettleTransactionRequest, context: grpc.ServicerContext
    ) -> admin_pb2.SettleTransactionResponse:
        tx = settlement.settle(
            self._db,
            self._bank,
            current_call().caller(),
            request.id,
            optional_field(request, "outcome"),
        )
        return admin_pb2.SettleTransactionResponse(data=transaction_detail(tx))

    def ListFeatureFlags(
        self, request: admin_pb2.ListFeatureFlagsRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListFeatureFlagsResponse:
        require(current_call().caller(), Permission.FEATURE_FLAGS_MANAGE)
        return admin_pb2.ListFeatureFlagsResponse(
            data=[
                admin_pb2.FeatureFlag(
                    name=f.name, enabled=f.enabled, updated_at=timestamp(f.updated_at)
                )
                for f in feature_flags.list_flags(self._db)
            ]
        )

    def UpdateFeatureFlag(
        self, request: admin_pb2.UpdateFeatureFlagRequest, context: grpc.ServicerContext
    ) -> admin_pb2.UpdateFeatureFlagResponse:
        require(current_call().caller(), Permission.FEATURE_FLAGS_MANAGE)
        flag = feature_flags.set_flag(self._db, request.name, optional_field(request, "enabled"))
        return admin_pb2.UpdateFeatureFlagResponse(
            data=admin_pb2.FeatureFlag(
                name=flag.name, enabled=flag.enabled, updated_at=timestamp(flag.updated_at)
            )
        )

    def ListAllComplaints(
        self, request: admin_pb2.ListAllComplaintsRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListAllComplaintsResponse:
        result = complaints.all_complaints(
            self._db,
            current_call().caller(),
            optional_field(request, "status"),
            optional_field(request, "overdue"),
            optional_field(request, "page"),
            optional_field(request, "limit"),
            today_in_oslo(),
        )
        return admin_pb2.ListAllComplaintsResponse(
            data=[complaint_message(c, with_user=True) for c in result.complaints],
            pagination=pagination(result.page),
        )

    def UpdateComplaint(
        self, request: admin_pb2.UpdateComplaintRequest, context: grpc.ServicerContext
    ) -> admin_pb2.UpdateComplaintResponse:
        row = complaints.update_complaint(
            self._db,
            current_call().caller(),
            request.id,
            optional_field(request, "status"),
            optional_field(request, "resolution"),
        )
        return admin_pb2.UpdateComplaintResponse(data=complaint_message(row, with_user=True))

    def ListUserTransactions(
        self, request: admin_pb2.ListUserTransactionsRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListUserTransactionsResponse:
        result = transactions.list_user_transactions(
            self._db,
            current_call().caller(),
            request.id,
            optional_field(request, "page"),
            optional_field(request, "limit"),
        )
        return admin_pb2.ListUserTransactionsResponse(
            data=[transaction_detail(tx) for tx in result.transactions],
            pagination=pagination(result.page),
        )

    def ListConsentHistory(
        self, request: admin_pb2.ListConsentHistoryRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListConsentHistoryResponse:
        entries = privacy_audit.consent_history(self._db, current_call().caller(), request.id)
        return admin_pb2.ListConsentHistoryResponse(
            data=[
                admin_pb2.ConsentHistoryEntry(
                    consent_type=e.consent_type,
                    granted=e.granted,
                    ip_address=e.ip_address,
                    created_at=timestamp(e.created_at),
                )
                for e in entries
            ]
        )

    def ApproveBankIdLink(
        self, request: admin_pb2.ApproveBankIdLinkRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ApproveBankIdLinkResponse:
        user = admin_users.approve_bankid_link(self._db, current_call().caller(), request.id)
        return admin_pb2.ApproveBankIdLinkResponse(data=admin_user(user))

    def ListDataAccessRequests(
        self, request: admin_pb2.ListDataAccessRequestsRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListDataAccessRequestsResponse:
        result = privacy_audit.list_data_access_requests(
            self._db,
            current_call().caller(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
            optional_field(request, "type"),
            optional_field(request, "user_id"),
        )
        return admin_pb2.ListDataAccessRequestsResponse(
            data=[
                admin_pb2.DataAccessRequest(
                    id=r.id,
                    user_id=r.user_id,
                    type=r.type,
                    status=r.status,
                    created_at=timestamp(r.created_at),
                    completed_at=optional_timestamp(r.completed_at),
                )
                for r in result.requests
            ],
            pagination=pagination(result.page),
        )

    def CreateApiKey(
        self, request: admin_pb2.CreateApiKeyRequest, context: grpc.ServicerContext
    ) -> admin_pb2.CreateApiKeyResponse:
        issued = api_keys.issue_api_key(
            self._db,
            current_call().caller(),
            list(request.scopes),
            optional_field(request, "label"),
            request.expires_at.ToDatetime(UTC) if request.HasField("expires_at") else None,
        )
        return admin_pb2.CreateApiKeyResponse(data=api_key_message(issued.row, issued.key))

    def ListApiKeys(
        self, request: admin_pb2.ListApiKeysRequest, context: grpc.ServicerContext
    ) -> admin_pb2.ListApiKeysResponse:
        result = api_keys.list_api_keys(
            self._db,
            current_call().caller(),
            optional_field(request, "page"),
            optional_field(request, "limit"),
        )
        return admin_pb2.ListApiKeysResponse(
            data=[api_key_message(row) for row in result.keys], pagination=pagination(result.page)
        )

    def RevokeApiKey(
        self, request: admin_pb2.RevokeApiKeyRequest, context: grpc.ServicerContext
    ) -> admin_pb2.RevokeApiKeyResponse:
        row = api_keys.revoke_api_key(self._db, current_call().caller(), request.id)
        return admin_pb2.RevokeApiKeyResponse(data=api_key_message(row))
