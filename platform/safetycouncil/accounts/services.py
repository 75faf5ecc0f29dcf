"""Account operations: sign-in, sessions, invitations, password resets, API tokens, roles.

Services take explicit arguments and never read request globals. They flush but
leave committing to the caller, except where noted.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from .. import jobs, mail
from ..audit.trail import attribute_to, record
from ..extensions import db
from ..municipalities.models import County, Municipality
from ..timeutil import utcnow
from .models import AccountToken, ApiToken, RoleAssignment, User, UserSession
from .roles import COUNTY_ROLES, MUNICIPALITY_ROLES, NATIONAL_ROLES, Role

_hasher = PasswordHasher()  # argon2id, library defaults (OWASP ASVS 5 compliant)
_DUMMY_HASH = _hasher.hash("timing-equaliser")
MIN_PASSWORD_LENGTH = 12


class AccountError(ValueError):
    """A refusal with a message for the user (already translated)."""


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    raw = secrets.token_urlsafe(32)
    return raw, token_hash(raw)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(_("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def set_password(user: User, password: str) -> None:
    check_password_strength(password)
    user.password_hash = _hasher.hash(password)


def find_user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == normalise_email(email))).scalar_one_or_none()


@dataclass
class SignInResult:
    user: User | None
    error: str | None = None


def authenticate(email: str, password: str, client: str | None = None) -> SignInResult:
    """Check e-mail and password, throttled per client and per account (accounts/throttle.py).

    Every refusal of a password (wrong, unknown address, throttled, account locked by wrong
    second-factor codes) is the same answer at the same cost, so none tells whether the account
    exists. ``client`` is the caller's address (request.remote_addr behind the trusted proxies)."""
    from . import throttle, two_factor

    wrong = _("The e-mail or the password is wrong.")
    if throttle.refused(email, client):
        _hasher.verify(_DUMMY_HASH, "timing-equaliser")
        return SignInResult(None, wrong)
    user = find_user(email)
    now = utcnow()
    if user is None or not user.password_hash:
        _hasher.verify(_DUMMY_HASH, "timing-equaliser")  # same cost whether or not the account exists
        throttle.failed(email, client)
        return SignInResult(None, wrong)
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        throttle.failed(email, client)
        return SignInResult(None, wrong)
    if user.locked_until and user.locked_until > now:
        # Locked by wrong second-factor codes: said as a wrong password, not counted as one.
        return SignInResult(None, wrong)
    if not user.active:
        return SignInResult(None, _("This account is disabled. Ask your administrator."))
    throttle.succeeded(email, client)
    attribute_to(user.id)  # from here on, what happens is the person's doing, not the system's
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.locked_until = None
    if not two_factor.required(user):
        user.failed_logins = 0  # with a second factor, only the right code clears its count
    user.last_login_at = now
    return SignInResult(user)


def second_factor_failed(user: User) -> str | None:
    """Count a wrong second-factor code, on the web and in the API alike (one counter, one lock):
    after LOGIN_FAILURES_BEFORE_LOCK wrong codes the account is locked for LOGIN_LOCK_MINUTES.
    Returns the lock's message when this failure locked it. Commits."""
    cfg = current_app.config
    user.failed_logins = (user.failed_logins or 0) + 1
    message = None
    if user.failed_logins >= cfg["LOGIN_FAILURES_BEFORE_LOCK"]:
        user.locked_until = utcnow() + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        record(db.session, "account_locked", "User", user.id)
        message = _("Too many failed attempts: this account is locked for %(minutes)d minutes. "
                    "You can also reset your password.", minutes=cfg["LOGIN_LOCK_MINUTES"])
    db.session.commit()
    return message


def second_factor_passed(user: User) -> None:
    user.failed_logins = 0


def start_session(user: User, user_agent: str | None) -> str:
    raw, hashed = new_token()
    db.session.add(UserSession(user_id=user.id, token_hash=hashed, user_agent=(user_agent or "")[:300]))
    attribute_to(user.id)
    record(db.session, "sign_in", "User", user.id, user_id=user.id)
    return raw


def session_user(user_id: int, raw_session_token: str | None) -> User | None:
    if not raw_session_token:
        return None
    # the roles come in the same round trip: every request needs them to authorise
    return db.session.execute(
        select(User).join(UserSession, UserSession.user_id == User.id).where(
            User.id == user_id, User.active.is_(True),
            UserSession.token_hash == token_hash(raw_session_token),
            UserSession.revoked_at.is_(None),
        ).options(joinedload(User.roles))
    ).unique().scalar_one_or_none()


def end_session(raw_session_token: str | None) -> None:
    if raw_session_token:
        db.session.execute(update(UserSession).where(
            UserSession.token_hash == token_hash(raw_session_token), UserSession.revoked_at.is_(None)
        ).values(revoked_at=utcnow()))


def end_all_sessions(user: User) -> None:
    now = utcnow()
    db.session.execute(update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)).values(revoked_at=now))
    db.session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=now))


# --- one-time links --------------------------------------------------------------------

def _issue_link(user: User, purpose: str, hours: int) -> str:
    # A new link replaces any earlier unused one of the same purpose.
    db.session.execute(update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None)).values(used_at=utcnow()))
    raw, hashed = new_token()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=hashed,
                                expires_at=utcnow() + timedelta(hours=hours)))
    return raw


def redeem_link(raw: str, purpose: str, *, consume: bool) -> AccountToken:
    """Find a valid one-time link or raise AccountError with a clear message."""
    row = db.session.execute(select(AccountToken).where(
        AccountToken.token_hash == token_hash(raw or ""), AccountToken.purpose == purpose)
    ).scalar_one_or_none()
    if row is None:
        raise AccountError(_("This link is not valid. Ask for a new one."))
    if row.used_at is not None:
        raise AccountError(_("This link has already been used. Ask for a new one."))
    if row.expires_at < utcnow():
        raise AccountError(_("This link has expired. Ask for a new one."))
    if not row.user.active:
        # A link sent before the account was disabled must not set a password or open a session.
        raise AccountError(_("This account is disabled. Ask your administrator."))
    if consume:
        row.used_at = utcnow()
    return row


def send_account_mail(user_id: int, purpose: str) -> None:
    """Job: issue a one-time link and e-mail it in the person's language.

    The job carries only the person's id and the link's purpose: the raw token is made here, kept
    hashed in the database and written nowhere but the e-mail (never in the queue, whose job
    arguments stay in Redis and are shown on /admin/jobs). A retried job issues a new link, which
    replaces the one an earlier attempt may have made."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return
    invitation = purpose == AccountToken.INVITATION
    hours = current_app.config["INVITATION_VALID_HOURS" if invitation else "PASSWORD_RESET_VALID_HOURS"]
    raw_token = _issue_link(user, AccountToken.INVITATION if invitation else AccountToken.PASSWORD_RESET, hours)
    db.session.commit()
    if invitation:
        link, template = mail.public_url(f"account/invitation/{raw_token}"), "accounts/mail/invitation.txt"
    else:
        link, template = mail.public_url(f"account/reset/{raw_token}"), "accounts/mail/password_reset.txt"
    def render():  # Albanian first, English second (mail.bilingual)
        subject = (_("Invitation to the Local Public Safety Council platform")
                   if invitation else _("Reset your password"))
        text = render_template(template, user=user, link=link, hours=hours)
        return subject, text

    subject, text = mail.bilingual(render)
    mail.send(mail.Mail(to=[user.email], subject=subject, text=text))


def invite(user: User) -> None:
    """Record the invitation and e-mail a new link in the background (commits first; the job
    issues the link, so no raw token ever sits in the queue)."""
    record(db.session, "invitation_sent", "User", user.id)
    db.session.commit()
    jobs.enqueue(send_account_mail, user.id, AccountToken.INVITATION, municipality_id=None)


def request_password_reset(email: str) -> None:
    """Send a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_user(email)
    if user is None or not user.active:
        return
    record(db.session, "password_reset_requested", "User", user.id)
    db.session.commit()
    jobs.enqueue(send_account_mail, user.id, AccountToken.PASSWORD_RESET, municipality_id=None)


def complete_link(raw: str, purpose: str, password: str) -> User:
    """Set a password through a one-time link; ends every other session of the account."""
    row = redeem_link(raw, purpose, consume=False)
    user = row.user
    set_password(user, password)
    row.used_at = utcnow()
    user.failed_logins, user.locked_until = 0, None
    end_all_sessions(user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    try:
        _hasher.verify(user.password_hash or _DUMMY_HASH, current or "")
    except (VerificationError, InvalidHashError):
        raise AccountError(_("The current password is wrong.")) from None
    set_password(user, new)
    end_all_sessions(user)


# --- accounts and roles ------------------------------------------------------------------

def create_user(email: str, name: str, *, locale: str = "sq", password: str | None = None) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(_("Enter a valid e-mail address."))
    if find_user(email):
        raise AccountError(_("An account with this e-mail already exists."))
    user = User(email=email, name=(name or email).strip()[:200], locale=locale if locale in ("sq", "en") else "sq")
    if password is not None:
        set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return user


def grant_role(user: User, role: str, *, municipality: Municipality | None = None,
               county: County | None = None, granted_by: User | None = None) -> RoleAssignment:
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(_("Unknown role: %(role)s", role=role)) from None
    if role in MUNICIPALITY_ROLES and (municipality is None or county is not None):
        raise AccountError(_("This role needs a municipality."))
    if role in COUNTY_ROLES and (county is None or municipality is not None):
        raise AccountError(_("This role needs a county."))
    if role in NATIONAL_ROLES and (county is not None or municipality is not None):
        raise AccountError(_("This role applies nationally, without a municipality or county."))
    for existing in user.roles:
        if (existing.role == role and existing.municipality_id == (municipality.id if municipality else None)
                and existing.county_id == (county.id if county else None)):
            return existing
    assignment = RoleAssignment(user=user, role=role, municipality_id=municipality.id if municipality else None,
                                county_id=county.id if county else None,
                                granted_by_id=granted_by.id if granted_by else None)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def revoke_role(assignment: RoleAssignment) -> None:
    user = assignment.user
    user.roles.remove(assignment)
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_all_sessions(user)


# --- API tokens --------------------------------------------------------------------------

def issue_api_token(user: User) -> tuple[str, ApiToken]:
    raw, hashed = new_token()
    token = ApiToken(user_id=user.id, token_hash=hashed,
                     expires_at=utcnow() + timedelta(hours=current_app.config["API_TOKEN_VALID_HOURS"]))
    db.session.add(token)
    record(db.session, "api_token_issued", "User", user.id)
    return raw, token


def token_user(raw: str) -> User | None:
    return db.session.execute(
        select(User).join(ApiToken, ApiToken.user_id == User.id).where(
            ApiToken.token_hash == token_hash(raw), ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > utcnow(), User.active.is_(True))
    ).scalar_one_or_none()


def revoke_api_token(raw: str) -> bool:
    result = db.session.execute(update(ApiToken).where(
        ApiToken.token_hash == token_hash(raw), ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow()))
    return result.rowcount > 0


