"""Sign-in with BankID: start (state, nonce, PKCE kept server-side and tied to the browser by
the `bankid_state` cookie, or to a mobile app by a one-time flow handle) and finish (single-use
state, code exchange, ID-token checks, the user found or created by BankID subject with KYC
approved, a session started).

Linking: a signed-in user starts the same flow with a link intent, and the callback records the
BankID subject on that account. An e-mail claim never links by itself (BankID proves the person,
not the mailbox); only an operator's approval, after checking the person outside Drop, lets the
next sign-in with that e-mail link (`admin_users.approve_bankid_link`)."""

from __future__ import annotations

import hashlib
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
SIGN_IN_AND_LINK = (
    "An account with this e-mail address already exists. Sign in with your password and link "
    "BankID to it (POST /api/auth/bankid/link)"
)
LINK_THROUGH_SUPPORT = (
    "An account with this e-mail address already exists but is not linked to BankID. Contact "
    "Drop support: once they have checked your identity, sign in with BankID again to link it"
)


@dataclass(frozen=True)
class StartedLogin:
    redirect_url: str
    state: str
    # Mobile apps only: presented at the callback instead of the state cookie.
    flow_handle: str | None = None


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def start_login(
    db: Database, client: BankIdClient, kind: ClientKind, link_user_id: str | None = None
) -> StartedLogin:
    """A browser's flow is bound to it by the `bankid_state` cookie. A mobile app opens the
    authorize URL in the system browser (RFC 8252), which does not share the app's cookies, so
    its flow is bound to a one-time handle only the app holds: a code and state intercepted on
    their way back to the app (another app claiming the redirect) are useless without it."""
    state, nonce, pkce = secrets.token_urlsafe(32), secrets.token_urlsafe(32), new_pkce()
    flow_handle = secrets.token_urlsafe(32) if kind is ClientKind.MOBILE else None
    try:
        url = client.authorization_url(state, nonce, pkce)
    except BankIdError as error:
        raise ApiError(
            ErrorCode.SERVICE_UNAVAILABLE, "BankID is not reachable right now"
        ) from error
    with db.transaction() as session:
        session.add(
            BankIdLogin(
                state=state,
                nonce=nonce,
                code_verifier=pkce.verifier,
                link_user_id=link_user_id,
                flow_handle_hash=_hash(flow_handle) if flow_handle else None,
            )
        )
    return StartedLogin(redirect_url=url, state=state, flow_handle=flow_handle)


def _refuse(reason: str, field: str = "state") -> ApiError:
    return ApiError.bad_request(FAILED, [FieldError(field, reason)])


def _claim_state(
    db: Database, state: str, cookie_state: str | None, flow_handle: str | None
) -> BankIdLogin:
    """Marks the state used in a transaction of its own: a replay fails even if the rest fails.
    A request that cannot prove it started the flow (cookie or flow handle) leaves it unused."""
    with db.transaction() as session:
        login = session.get(BankIdLogin, state, with_for_update=True)
        if login is None or login.used_at is not None:
            raise _refuse("Unknown or already used sign-in")
        if login.flow_handle_hash is not None:
            if not flow_handle or not secrets.compare_digest(
                _hash(flow_handle), login.flow_handle_hash
            ):
                raise _refuse("This sign-in was started by another app", "flowHandle")
        elif not cookie_state or not secrets.compare_digest(state, cookie_state):
            raise _refuse("This sign-in was not started in this browser")
        if login.created_at < datetime.now(UTC) - STATE_LIFETIME:
            raise _refuse("The sign-in took too long; start again")
        login.used_at = datetime.now(UTC)
    return login


def _approved_link(session: Session, identity: Identity, email: str, now: datetime) -> User | None:
    """The account an operator approved for linking, if this identity matches it."""
    user = session.scalars(
        select(User)
        .where(
            User.email == email,
            User.deleted_at.is_(None),
            User.bankid_subject.is_(None),
            User.bankid_link_approved_until > now,
        )
        .with_for_update()
    ).one_or_none()
    if user is None:
        return None
    if user.date_of_birth is not None and identity.birthdate != user.date_of_birth.isoformat():
        return None
    return user


def _user_for(session: Session, identity: Identity, *, password_login: bool) -> User:
    user = session.scalars(
        select(User)
        .where(User.bankid_subject == identity.subject, User.deleted_at.is_(None))
        .with_for_update()
    ).one_or_none()
    if user is None:
        email = normalize_email(identity.email) if identity.email else None
        now = datetime.now(UTC)
        approved = _approved_link(session, identity, email, now) if email else None
        if approved is not None:
            user = approved
            user.bankid_subject = identity.subject
            user.bankid_link_approved_until = None
            _verified_identity(user, identity)
        else:
            user = _new_user(session, identity, email, password_login=password_login)
    # BankID is strong identification; the rest of an existing user's data is theirs to keep.
    user.kyc_status = KycStatus.APPROVED.value
    session.flush()
    session.refresh(user)
    return user


def _new_user(
    session: Session, identity: Identity, email: str | None, *, password_login: bool
) -> User:
    owner = (
        session.execute(
            select(User.id, User.bankid_subject).where(
                User.email == email, User.deleted_at.is_(None)
            )
        ).one_or_none()
        if email is not None
        else None
    )
    if owner is not None and owner.bankid_subject is None:
        # Probably this person's password account: a second account would split their data,
        # and the e-mail claim alone does not prove the mailbox is theirs. Say how to link.
        raise ApiError.conflict(SIGN_IN_AND_LINK if password_login else LINK_THROUGH_SUPPORT)
    if owner is not None:
        # The address belongs to another BankID person's account; BankID proves the person,
        # not the mailbox, so this account starts without it.
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
    return user


def _link(session: Session, user_id: str, identity: Identity) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None or user.deleted_at is not None:
        raise _refuse("The account to link no longer exists")
    if user.bankid_subject is not None and user.bankid_subject != identity.subject:
        raise ApiError.conflict("This account is already linked to another BankID")
    other = session.scalar(
        select(User.id).where(
            User.bankid_subject == identity.subject,
            User.deleted_at.is_(None),
            User.id != user.id,
        )
    )
    if other is not None:
        raise ApiError.conflict("This BankID is already linked to another Drop account")
    user.bankid_subject = identity.subject
    user.bankid_link_approved_until = None
    _verified_identity(user, identity)
    session.flush()
    session.refresh(user)
    return user


def _verified_identity(user: User, identity: Identity) -> None:
    """KYC approved means the account's name and birth date are the verified ones: a password
    account's self-declared values give way to what BankID vouches for."""
    user.kyc_status = KycStatus.APPROVED.value
    if identity.given_name:
        user.first_name = identity.given_name
    if identity.family_name:
        user.last_name = identity.family_name
    if identity.birthdate:
        user.date_of_birth = date.fromisoformat(identity.birthdate)


def finish_login(
    db: Database,
    client: BankIdClient,
    secret: str,
    *,
    code: str | None,
    state: str | None,
    cookie_state: str | None,
    flow_handle: str | None,
    error: str | None,
    kind: ClientKind,
    password_login: bool,
) -> SignedIn:
    if error:
        raise _refuse("BankID reported an error; start again", "error")
    if not code or not state:
        raise _refuse("code and state are required", "code" if not code else "state")
    login = _claim_state(db, state, cookie_state, flow_handle)
    if login.flow_handle_hash is not None:
        # Only an app holds a flow handle; it gets the token in the body, never a cookie.
        kind = ClientKind.MOBILE
    try:
        identity = client.verify_id_token(
            client.exchange_code(code, login.code_verifier), login.nonce
        )
    except BankIdError as failure:
        raise _refuse(str(failure), "code") from None
    with db.transaction() as session:
        if login.link_user_id is not None:
            user = _link(session, login.link_user_id, identity)
        else:
            user = _user_for(session, identity, password_login=password_login)
        grant = start_session(session, secret, user, kind)
    return SignedIn(user=user, grant=grant)
