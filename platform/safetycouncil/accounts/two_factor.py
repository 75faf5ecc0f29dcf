"""Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238) and recovery codes.

Required by policy (``TWO_FACTOR_ROLES``: in production the Ministry and the administrators)
and of anyone who enrolled of their own accord. Services take explicit arguments, flush, and
leave committing to the caller.
"""
from __future__ import annotations

import hmac
import secrets
import time

import pyotp
from flask import current_app
from flask_babel import gettext as _

from ..audit.trail import record
from ..extensions import db
from ..timeutil import utcnow
from .models import User

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class TwoFactorError(ValueError):
    """A refusal with a message for the user (already translated)."""


def required(user: User) -> bool:
    """Whether signing in as ``user`` needs a code: by policy for their roles, or enrolled anyway."""
    policy = current_app.config.get("TWO_FACTOR_ROLES") or frozenset()
    return bool(user.totp_enabled_at) or any(r.role in policy for r in user.roles)


def enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def _hash(code: str) -> str:
    from .services import token_hash

    return token_hash(_normalise(code))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def allow_enrolment(user: User) -> None:
    """An administrator's leave for ``user`` to set up two-factor sign-in at the next sign-in
    (valid INVITATION_VALID_HOURS). Flushes."""
    from datetime import timedelta

    from sqlalchemy import update

    from .models import AccountToken
    from .services import new_token

    db.session.execute(update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == AccountToken.TWO_FACTOR_ENROLMENT,
        AccountToken.used_at.is_(None)).values(used_at=utcnow()))
    _raw, hashed = new_token()
    db.session.add(AccountToken(user_id=user.id, purpose=AccountToken.TWO_FACTOR_ENROLMENT, token_hash=hashed,
                                expires_at=utcnow() + timedelta(hours=current_app.config["INVITATION_VALID_HOURS"])))
    record(db.session, "two_factor_enrolment_allowed", "User", user.id)
    db.session.flush()


def _enrolment_leave(user: User):
    from sqlalchemy import select

    from .models import AccountToken

    return db.session.execute(select(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == AccountToken.TWO_FACTOR_ENROLMENT,
        AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())).scalars().first()


def enrolment_allowed(user: User) -> bool:
    """Whether an administrator allowed ``user`` to set up the second factor (and it is unused)."""
    return _enrolment_leave(user) is not None


def start_enrolment(user: User) -> str:
    """A new secret, not yet active (a first code confirms it); returns it."""
    if enrolled(user):
        raise TwoFactorError(_("Two-factor sign-in is already set up for this account."))
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config.get("TWO_FACTOR_ISSUER", "KVSP"))


def qr_svg(uri: str) -> str | None:
    """The otpauth URI as an inline SVG QR code (no external service); None without segno."""
    try:
        import segno
    except ImportError:  # pragma: no cover - segno is a dependency; the text secret is enough
        return None
    return segno.make(uri, error="m").svg_inline(scale=4, title="otpauth")


def _accept_totp(user: User, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()) or not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = int(time.time() // totp.interval)
    for step in (now_step - 1, now_step, now_step + 1):  # one step of clock drift either way
        if user.totp_last_step is not None and step <= user.totp_last_step:
            continue  # never accept a code (or an earlier one) twice
        if hmac.compare_digest(totp.generate_otp(step), code):
            user.totp_last_step = step
            return True
    return False


def _new_recovery_codes(user: User) -> list[str]:
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    codes = [f"{c[:5]}-{c[5:]}" for c in codes]
    user.recovery_codes = "\n".join(_hash(c) for c in codes)
    return codes


def _use_recovery_code(user: User, code: str) -> bool:
    if not user.recovery_codes or len(_normalise(code)) != 10:
        return False
    hashes = user.recovery_codes.split("\n")
    wanted = _hash(code)
    for h in hashes:
        if hmac.compare_digest(h, wanted):
            hashes.remove(h)
            user.recovery_codes = "\n".join(hashes) or None
            record(db.session, "recovery_code_used", "User", user.id, user_id=user.id)
            return True
    return False


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Activate two-factor sign-in with a first code from the app; returns the recovery codes
    (shown once, kept hashed)."""
    if enrolled(user):
        raise TwoFactorError(_("Two-factor sign-in is already set up for this account."))
    if not _accept_totp(user, code):
        raise TwoFactorError(_(
            "This code is not right. Enter the 6-digit code your authenticator app shows now "
            "(check that the phone's clock is right)."))
    user.totp_enabled_at = utcnow()
    leave = _enrolment_leave(user)
    if leave is not None:
        leave.used_at = utcnow()
    codes = _new_recovery_codes(user)
    record(db.session, "two_factor_enabled", "User", user.id, user_id=user.id)
    db.session.flush()
    return codes


def verify(user: User, code: str) -> None:
    """Check a sign-in code (or a recovery code, used once); raise TwoFactorError if wrong."""
    if not enrolled(user):
        raise TwoFactorError(_("Set up two-factor sign-in first."))
    if _accept_totp(user, code) or _use_recovery_code(user, code):
        db.session.flush()
        return
    raise TwoFactorError(_(
        "This code is not right. Enter the 6-digit code your authenticator app shows now, "
        "or one of your recovery codes."))


def reset(user: User) -> None:
    """Remove two-factor sign-in (lost phone): the person enrols again at the next sign-in."""
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = user.recovery_codes = None
    record(db.session, "two_factor_reset", "User", user.id)
    db.session.flush()
