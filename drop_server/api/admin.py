"""AdminService: proto <-> services.admin_users."""

from __future__ import annotations

import grpc

from drop.v1 import admin_pb2, admin_pb2_grpc
from drop_server.api.call import current_call
from drop_server.api.complaints import complaint_message
from drop_server.api.convert import optional_field, optional_timestamp, pagination, timestamp
from drop_server.api.money_messages import rate, transaction_detail
from drop_server.db.engine import Database
from drop_server.db.models import User
from drop_server.providers.bank import BankProvider
from drop_server.services import admin_users, complaints, feature_flags, rates, settlement
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
        admin_users.require_admin(current_call().caller())
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
        admin_users.require_admin(current_call().caller())
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
