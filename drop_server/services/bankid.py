"""Sign-in with BankID: start (state, nonce, PKCE kept server-side and tied to the browser by
the `bankid_state` cookie) and finish (single-use state, code exchange, ID-token checks, the
user found or created by BankID subject with KYC approved, a session started)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from drop_server.db.engine import Database
from drop_server.db.models import BankIdLogin, User
from drop_server.domain import ids
from drop_server.domain.users import KycStatus, normalize_email
from drop_server.errors import ApiError, ErrorCode, FieldError
from drop_server.providers.bankid import BankIdClient, BankIdError, Identity, new_pkce
from drop_server.services.accounts import SignedIn
from drop_server.services.sessions import ClientKind, start_session

STATE_LIFETIME = timedelta(minutes=10)
FAILED = "BankID sign-in failed"


@dataclass(frozen=True)
class StartedLogin:
    redirect_url: str
    state: str


def start_login(db: Database, client: BankIdClient) -> StartedLogin:
    state, nonce, pkce = secrets.token_urlsafe(32), secrets.token_urlsafe(32), new_pkce()
    try:
        url = client.authorization_url(state, nonce, pkce)
    except BankIdError as error:
        raise ApiError(
            ErrorCode.SERVICE_UNAVAILABLE, "BankID is not reachable right now"
        ) from error
    with db.transaction() as session:
        session.add(BankIdLogin(state=state, nonce=nonce, code_verifier=pkce.verifier))
    return StartedLogin(redirect_url=url, state=state)


def _refuse(reason: str, field: str = "state") -> ApiError:
    return ApiError.bad_request(FAILED, [FieldError(field, reason)])


def _claim_state(db: Database, state: str) -> BankIdLogin:
    """Marks the state used in a transaction of its own: a replay fails even if the rest fails."""
    with db.transaction() as session:
        login = session.get(BankIdLogin, state, with_for_update=True)
        if login is None or login.used_at is not None:
            raise _refuse("Unknown or already used sign-in")
        if login.created_at < datetime.now(UTC) - STATE_LIFETIME:
            raise _refuse("The sign-in took too long; start again")
        login.used_at = datetime.now(UTC)
    return login


def _user_for(session: Session, identity: Identity) -> User:
    user = session.scalars(
        select(User)
        .where(User.bankid_subject == identity.subject, User.deleted_at.is_(None))
        .with_for_update()
    ).one_or_none()
    if user is None:
        email = normalize_email(identity.email) if identity.email else None
        if email is not None and session.scalar(
            select(User.id).where(User.email == email, User.deleted_at.is_(None))
        ):
            # The address belongs to another account; BankID proves the person, not the mailbox.
            email = None
        user = User(
            id=ids.new_id(ids.USER),
            email=email,
            first_name=identity.given_name or "BankID",
            last_name=identity.family_name or "User",
            date_of_birth=date.fromisoformat(identity.birthdate) if identity.birthdate else None,
            role="user",
            bankid_subject=identity.subject,
        )
        session.add(user)
    # BankID is strong identification; the rest of an existing user's data is theirs to keep.
    user.kyc_status = KycStatus.APPROVED.value
    session.flush()
    session.refresh(user)
    return user


def finish_login(
    db: Database,
    client: BankIdClient,
    secret: str,
    *,
    code: str | None,
    state: str | None,
    cookie_state: str | None,
    error: str | None,
    kind: ClientKind,
) -> SignedIn:
    if error:
        raise _refuse("BankID reported an error; start again", "error")
    if not code or not state:
        raise _refuse("code and state are required", "code" if not code else "state")
    if not cookie_state or not secrets.compare_digest(state, cookie_state):
        raise _refuse("This sign-in was not started in this browser")
    login = _claim_state(db, state)
    try:
        identity = client.verify_id_token(
            client.exchange_code(code, login.code_verifier), login.nonce
        )
    except BankIdError as failure:
        raise _refuse(str(failure), "code") from None
    with db.transaction() as session:
        user = _user_for(session, identity)
        grant = start_session(session, secret, user, kind)
    return SignedIn(user=user, grant=grant)
