"""Sign-in throttling per client and per account, which never tells whether an account exists.

Wrong passwords are counted under the e-mail address as typed (normalised), whether or not an
account has it, in the rate limiter's storage (Redis in production, shared by every process):

* per client and address: after ``LOGIN_FAILURES_BEFORE_LOCK`` (5) wrong passwords within
  ``LOGIN_LOCK_MINUTES`` (15) that client's further attempts at that address are refused
  unchecked until the window passes. Another client (the account's owner elsewhere) is not
  affected: nobody can lock a victim out from one client;
* per address, from all clients together: ``LOGIN_ACCOUNT_FAILURES`` (100) within the same window
  (a slow, distributed guess), after which every attempt at the address is refused for the rest
  of the window;
* per client, whatever the address: ``LOGIN_RATE_LIMIT`` (20 a minute) on the sign-in routes.

A refused attempt gets exactly the answer of a wrong password (same message, same status, the
same password-hashing cost), so neither the throttling nor its lock says that an account exists.
The client is the address the trusted proxies saw (``TRUSTED_PROXY_COUNT``).
"""
from __future__ import annotations

import logging

from flask import current_app
from limits import RateLimitItemPerMinute

from ..extensions import limiter
from .services import normalise_email

log = logging.getLogger(__name__)


def _per_client():
    cfg = current_app.config
    return RateLimitItemPerMinute(cfg["LOGIN_FAILURES_BEFORE_LOCK"], cfg["LOGIN_LOCK_MINUTES"])


def _per_account():
    cfg = current_app.config
    return RateLimitItemPerMinute(cfg["LOGIN_ACCOUNT_FAILURES"], cfg["LOGIN_LOCK_MINUTES"])


def _keys(email: str, client: str | None) -> tuple[tuple, tuple]:
    address = normalise_email(email)
    return ("sign-in-failures", client or "-", address), ("sign-in-failures-account", address)


def refused(email: str, client: str | None) -> bool:
    """Whether this client's attempt at this address is refused unchecked (too many failures)."""
    per_client, per_account = _keys(email, client)
    try:
        strategy = limiter.limiter
        return not (strategy.test(_per_client(), *per_client) and strategy.test(_per_account(), *per_account))
    except Exception:  # noqa: BLE001 - the limiter's storage is down: the route limits still apply
        log.exception("sign-in throttle unavailable")
        return False


def failed(email: str, client: str | None) -> None:
    """Count a wrong password from this client at this address."""
    per_client, per_account = _keys(email, client)
    try:
        strategy = limiter.limiter
        strategy.hit(_per_client(), *per_client)
        strategy.hit(_per_account(), *per_account)
    except Exception:  # noqa: BLE001
        log.exception("sign-in throttle unavailable")


def succeeded(email: str, client: str | None) -> None:
    """The right password from this client: its own count for the address starts again."""
    per_client, _per_account_key = _keys(email, client)
    try:
        limiter.limiter.clear(_per_client(), *per_client)
    except Exception:  # noqa: BLE001
        log.exception("sign-in throttle unavailable")


def cleared(email: str, client: str | None) -> None:
    """A one-time link set a new password: the address's counts start again (this client's and
    all clients' together)."""
    per_client, per_account = _keys(email, client)
    try:
        limiter.limiter.clear(_per_client(), *per_client)
        limiter.limiter.clear(_per_account(), *per_account)
    except Exception:  # noqa: BLE001
        log.exception("sign-in throttle unavailable")
