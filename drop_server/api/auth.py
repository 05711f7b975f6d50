"""AuthService: proto <-> services.accounts."""

from __future__ import annotations

import grpc

from drop.v1 import auth_pb2, auth_pb2_grpc, bank_accounts_pb2
from drop_server.api.call import Call, current_call
from drop_server.api.convert import iso_date, optional_field, timestamp
from drop_server.auth.cookies import (
    BANKID_STATE_COOKIE,
    bankid_state_cookie,
    cleared_bankid_state_cookie,
    cleared_session_cookie,
    read_cookie,
    session_cookie,
)
from drop_server.config import Settings
from drop_server.db.engine import Database
from drop_server.domain.account_numbers import format_account_number
from drop_server.domain.money import to_json_number
from drop_server.domain.users import RegistrationForm
from drop_server.errors import Messages
from drop_server.providers.bankid import BankIdClient
from drop_server.services import accounts, bankid
from drop_server.services.sessions import ClientKind, SessionGrant


class AuthServicer(auth_pb2_grpc.AuthServiceServicer):
    def __init__(self, settings: Settings, db: Database, bankid_client: BankIdClient) -> None:
        self._settings = settings
        self._db = db
        self._bankid = bankid_client

    def _hand_over(self, call: Call, grant: SessionGrant, data: object) -> None:
        """Mobile clients get the token in the body; browsers get the httpOnly cookie."""
        if grant.client is ClientKind.MOBILE:
            data.token = grant.token  # type: ignore[attr-defined]
            data.expires_at.CopyFrom(timestamp(grant.expires_at))  # type: ignore[attr-defined]
        else:
            call.set_cookie(
                session_cookie(grant.token, grant.max_age_seconds, secure=self._settings.production)
            )

    def Register(
        self, request: auth_pb2.RegisterRequest, context: grpc.ServicerContext
    ) -> auth_pb2.RegisterResponse:
        call = current_call()
        form = RegistrationForm(
            email=optional_field(request, "email"),
            password=optional_field(request, "password"),
            first_name=optional_field(request, "first_name"),
            last_name=optional_field(request, "last_name"),
            phone=optional_field(request, "phone"),
            date_of_birth=optional_field(request, "date_of_birth"),
        )
        signed_in = accounts.register(
            self._db,
            self._settings.jwt_secret,
            form,
            call.client_kind,
            password_login=self._settings.password_login,
        )
        user = signed_in.user
        data = auth_pb2.RegisteredUser(
            id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            date_of_birth=iso_date(user.date_of_birth),
            kyc_status=user.kyc_status,
            created_at=timestamp(user.created_at),
        )
        self._hand_over(call, signed_in.grant, data)
        return auth_pb2.RegisterResponse(data=data)

    def Login(
        self, request: auth_pb2.LoginRequest, context: grpc.ServicerContext
    ) -> auth_pb2.LoginResponse:
        call = current_call()
        signed_in = accounts.login(
            self._db,
            self._settings.jwt_secret,
            optional_field(request, "email"),
            optional_field(request, "password"),
            call.client_kind,
            password_login=self._settings.password_login,
        )
        user = signed_in.user
        data = auth_pb2.LoginUser(
            id=user.id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            kyc_status=user.kyc_status,
        )
        self._hand_over(call, signed_in.grant, data)
        return auth_pb2.LoginResponse(data=data)

    def GetMe(
        self, request: auth_pb2.GetMeRequest, context: grpc.ServicerContext
    ) -> auth_pb2.GetMeResponse:
        me = accounts.get_me(self._db, current_call().user())
        user = me.user
        return auth_pb2.GetMeResponse(
            data=auth_pb2.Me(
                id=user.id,
                email=user.email,
                first_name=user.first_name,
                last_name=user.last_name,
                phone=user.phone,
                role=user.role,
                total_balance=to_json_number(me.total_balance),
                bank_accounts=[
                    bank_accounts_pb2.BankAccount(
                        id=account.id,
                        bank_name=account.bank_name,
                        account_number=format_account_number(account.account_number),
                        balance=to_json_number(account.balance),
                        currency=account.currency,
                        is_primary=account.is_primary,
                    )
                    for account in me.bank_accounts
                ],
                kyc_status=user.kyc_status,
                created_at=timestamp(user.created_at),
            )
        )

    def Logout(
        self, request: auth_pb2.LogoutRequest, context: grpc.ServicerContext
    ) -> auth_pb2.LogoutResponse:
        call = current_call()
        accounts.logout(self._db, call.user())
        call.set_cookie(cleared_session_cookie(secure=self._settings.production))
        return auth_pb2.LogoutResponse(message=Messages.LOGGED_OUT)

    def Refresh(
        self, request: auth_pb2.RefreshRequest, context: grpc.ServicerContext
    ) -> auth_pb2.RefreshResponse:
        call = current_call()
        signed_in = accounts.refresh(
            self._db, self._settings.jwt_secret, call.user(), call.client_kind
        )
        user = signed_in.user
        data = auth_pb2.RefreshedSession(user_id=user.id, email=user.email, role=user.role)
        self._hand_over(call, signed_in.grant, data)
        return auth_pb2.RefreshResponse(data=data)

    def _start_bankid(self, link_user_id: str | None) -> auth_pb2.BankIdRedirect:
        call = current_call()
        started = bankid.start_login(self._db, self._bankid, call.client_kind, link_user_id)
        if started.flow_handle is None:
            call.set_cookie(bankid_state_cookie(started.state, secure=self._settings.production))
        return auth_pb2.BankIdRedirect(
            redirect_url=started.redirect_url, flow_handle=started.flow_handle
        )

    def StartBankId(
        self, request: auth_pb2.StartBankIdRequest, context: grpc.ServicerContext
    ) -> auth_pb2.StartBankIdResponse:
        return auth_pb2.StartBankIdResponse(data=self._start_bankid(None))

    def LinkBankId(
        self, request: auth_pb2.LinkBankIdRequest, context: grpc.ServicerContext
    ) -> auth_pb2.LinkBankIdResponse:
        return auth_pb2.LinkBankIdResponse(data=self._start_bankid(current_call().user().user_id))

    def CompleteBankId(
        self, request: auth_pb2.CompleteBankIdRequest, context: grpc.ServicerContext
    ) -> auth_pb2.CompleteBankIdResponse:
        call = current_call()
        signed_in = bankid.finish_login(
            self._db,
            self._bankid,
            self._settings.jwt_secret,
            code=optional_field(request, "code"),
            state=optional_field(request, "state"),
            cookie_state=read_cookie(call.headers("cookie"), BANKID_STATE_COOKIE),
            flow_handle=optional_field(request, "flow_handle"),
            error=optional_field(request, "error"),
            kind=call.client_kind,
            password_login=self._settings.password_login,
        )
        user = signed_in.user
        data = auth_pb2.RefreshedSession(user_id=user.id, email=user.email or "", role=user.role)
        self._hand_over(call, signed_in.grant, data)
        if read_cookie(call.headers("cookie"), BANKID_STATE_COOKIE):
            call.set_cookie(cleared_bankid_state_cookie(secure=self._settings.production))
        if signed_in.grant.client is ClientKind.MOBILE:
            call.respond_with_status(200)
        else:
            call.response_headers.append(("location", self._settings.app_url))
        return auth_pb2.CompleteBankIdResponse(data=data)
