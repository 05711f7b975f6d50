"""Sign-up, sign-in, the signed-in user, sign-out and session rotation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from drop_server.auth.passwords import hash_password, verify_password
from drop_server.auth.principal import Principal
from drop_server.db.engine import Database
from drop_server.db.models import BankAccount, User
from drop_server.domain import ids
from drop_server.domain.users import RegistrationForm, normalize_email, validate_registration
from drop_server.errors import ApiError, FieldError, Messages
from drop_server.services import sign_in_throttle
from drop_server.services.sessions import (
    ClientKind,
    SessionGrant,
    revoke_all_sessions,
    revoke_session,
    start_session,
)

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class SignedIn:
    user: User
    grant: SessionGrant


@dataclass(frozen=True)
class MeView:
    user: User
    bank_accounts: list[BankAccount]
    total_balance: Decimal


def today_in_oslo() -> date:
    return datetime.now(OSLO).date()


def _require_password_login(enabled: bool) -> None:
    if not enabled:
        raise ApiError.gone(Messages.PASSWORD_LOGIN_RETIRED)


def _active_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(
        select(User).where(User.email == email, User.deleted_at.is_(None))
    ).one_or_none()


def register(
    db: Database, secret: str, form: RegistrationForm, client: ClientKind, *, password_login: bool
) -> SignedIn:
    _require_password_login(password_login)
    registration = validate_registration(form, today_in_oslo())
    password_hash = hash_password(registration.password)
    try:
        with db.transaction() as session:
            if _active_user_by_email(session, registration.email) is not None:
                raise ApiError.conflict(Messages.EMAIL_TAKEN)
            user = User(
                id=ids.new_id(ids.USER),
                email=registration.email,
                password_hash=password_hash,
                first_name=registration.first_name,
                last_name=registration.last_name,
                phone=registration.phone,
                date_of_birth=registration.date_of_birth,
                role="user",
                kyc_status="pending",
            )
            session.add(user)
            session.flush()
            grant = start_session(session, secret, user, client)
            session.flush()
            session.refresh(user)
    except IntegrityError:
        # Two sign-ups with one email at once: the unique index decides, the loser gets 409.
        raise ApiError.conflict(Messages.EMAIL_TAKEN) from None
    return SignedIn(user=user, grant=grant)


def login(
    db: Database,
    secret: str,
    email: str | None,
    password: str | None,
    client: ClientKind,
    *,
    password_login: bool,
) -> SignedIn:
    _require_password_login(password_login)
    missing = [
        FieldError(name, "Is required")
        for name, value in (("email", email), ("password", password))
        if not value
    ]
    if missing:
        raise ApiError.bad_request(Messages.MISSING_FIELDS, missing)
    assert email is not None and password is not None
    throttle_key = sign_in_throttle.account_key(normalize_email(email))
    sign_in_throttle.refuse_if_locked(db, throttle_key)
    with db.transaction() as session:
        user = _active_user_by_email(session, normalize_email(email))
        # verify_password runs the full hash even for an unknown email: same answer, same time.
        verified = verify_password(user.password_hash if user else None, password)
        if verified and user is not None:
            sign_in_throttle.clear(session, throttle_key)
            grant = start_session(session, secret, user, client)
    if not verified or user is None:
        sign_in_throttle.record_failure(db, throttle_key)
        raise ApiError.unauthorized(Messages.INVALID_CREDENTIALS)
    return SignedIn(user=user, grant=grant)


def get_me(db: Database, principal: Principal) -> MeView:
    with db.transaction() as session:
        user = session.get(User, principal.user_id)
        if user is None or user.deleted_at is not None:
            raise ApiError.unauthorized(Messages.SESSION_INVALID)
        accounts = list(
            session.scalars(
                select(BankAccount)
                .where(BankAccount.user_id == user.id)
                .order_by(BankAccount.is_primary.desc(), BankAccount.created_at)
            )
        )
    total = sum((a.balance for a in accounts), Decimal("0"))
    return MeView(user=user, bank_accounts=accounts, total_balance=total)


def logout(db: Database, principal: Principal) -> None:
    assert principal.user_id is not None
    with db.transaction() as session:
        revoke_all_sessions(session, principal.user_id)


def refresh(db: Database, secret: str, principal: Principal, client: ClientKind) -> SignedIn:
    assert principal.user_id is not None and principal.session_id is not None
    with db.transaction() as session:
        if not revoke_session(session, principal.session_id):
            # A concurrent refresh already rotated this session: it is spent.
            raise ApiError.unauthorized(Messages.SESSION_INVALID)
        user = session.get(User, principal.user_id)
        assert user is not None
        grant = start_session(session, secret, user, client)
    return SignedIn(user=user, grant=grant)
