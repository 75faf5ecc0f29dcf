"""E-mails of community grants, sent by background jobs (``jobs.enqueue``): the applicant's
confirmation with the private link, a new link on request ("send my link again"), and the scorer's
private link (on joining the committee, and again on request). A slow or failing SMTP server never
delays or fails the request: the request commits, then enqueues; the worker sends, and a failed send
raises so that RQ retries it (and shows it to the administrators on /admin/jobs).

Where the private token comes from (job arguments stay in Redis for up to a week):

* **A new link** (a scorer joining the committee, a scorer or an applicant asking again) is issued
  *inside the job*: the job carries only the row's id, makes a new token, stores its hash, commits,
  then e-mails it. The previous link stops working. A retried job issues yet another one, which
  replaces the link an earlier attempt may have made; nothing secret ever sits in the queue.
* **The confirmation of a new application** cannot do that: the applicant's browser is taken to
  the private page with the very token the e-mail must carry, so re-issuing it would break the page
  they are looking at. That token is passed to the job *sealed*: encrypted and authenticated
  (Fernet, a key derived from SECRET_KEY, never stored in Redis) and valid for
  ``SEALED_LINK_SECONDS`` only. A job that runs later than that, or finds that the link has since
  been replaced, issues a new link instead of sending a dead or stale one.
"""
from __future__ import annotations

import base64
import hashlib
import logging

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from .. import jobs, mail
from ..extensions import db
from .models import GrantApplication, GrantCall, GrantCommitteeMember, token_hash

log = logging.getLogger(__name__)

SEALED_LINK_SECONDS = 3600  # longer than RQ's retries of a failed send (10 s, 60 s, 16 min)


# --- the sealed token ----------------------------------------------------------------------------

def _fernet():
    from cryptography.fernet import Fernet

    key = hashlib.sha256(b"kvsp-grant-links:" + str(current_app.config["SECRET_KEY"]).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def unseal(sealed: str | None) -> str | None:
    """The token, or None when the seal is forged, from another key, or older than SEALED_LINK_SECONDS."""
    from cryptography.fernet import InvalidToken

    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode(), ttl=SEALED_LINK_SECONDS).decode()
    except (InvalidToken, ValueError):
        return None


# --- links ---------------------------------------------------------------------------------------

def _municipality(row):
    from ..municipalities.models import Municipality

    return db.session.get(Municipality, row.municipality_id)


def application_link(slug: str, token: str) -> str:
    return mail.public_url(f"public/{slug}/grants/application/{token}")


def scoring_link(slug: str, token: str) -> str:
    return mail.public_url(f"public/{slug}/grants/score/{token}")


def application_mail(application: GrantApplication, link: str, municipality, *, again: bool) -> mail.Mail:
    """The applicant's e-mail with the private link, Albanian first and English second."""
    call = application.call

    def render():
        if again:
            subject = _("A new private link to your application %(reference)s", reference=application.reference)
            text = _("You asked for a new private link to the application “%(project)s” of %(organisation)s to the "
                     "call “%(title)s” of %(municipality)s, reference %(reference)s. The earlier link no longer "
                     "works.\n\nYour new private link (keep it to yourself: whoever has it can change the "
                     "application):\n%(link)s\n\nIf you did not ask for it, you can ignore this e-mail; the link "
                     "only reaches this address.\n",
                     project=application.project_title, organisation=application.organisation, title=call.title,
                     municipality=municipality.name, reference=application.reference, link=link)
            return subject, text
        subject = _("Application %(reference)s received: %(title)s", reference=application.reference,
                    title=call.title)
        text = _("We received the application “%(project)s” of %(organisation)s to the call “%(title)s” of "
                 "%(municipality)s, reference %(reference)s.\n\nFollow it and complete it, until the call closes "
                 "on %(day)s, at this private link (keep it to yourself: whoever has it can change the "
                 "application):\n%(link)s\n",
                 project=application.project_title, organisation=application.organisation, title=call.title,
                 municipality=municipality.name, reference=application.reference,
                 day=format_date(call.closes_on, "long"), link=link)
        return subject, text

    subject, text = mail.bilingual(render)
    return mail.Mail(to=[application.contact_email], subject=subject, text=text)


def scorer_mail(scorer: GrantCommitteeMember, call: GrantCall, link: str, municipality, *, again: bool) -> mail.Mail:
    def render():
        subject = _("You are on the scoring committee: %(title)s", title=call.title)
        text = _("%(municipality)s named you to the committee that scores the applications to the call "
                 "“%(title)s”.\n\nBefore you see the applications you will declare that you have no conflict of "
                 "interest with the call, and you can declare one for any single application (you will then not "
                 "score it). Your private link:\n%(link)s\n", municipality=municipality.name, title=call.title,
                 link=link)
        if again:
            text = _("This is a new private link: the earlier one no longer works.") + "\n\n" + text
        return subject, text

    subject, text = mail.bilingual(render)
    return mail.Mail(to=[scorer.email], subject=subject, text=text)


# --- the jobs ------------------------------------------------------------------------------------

@jobs.job
def send_application_link_job(application_id: int, *, sealed: str | None = None, again: bool = False) -> bool:
    """Job: e-mail the applicant their private link. With ``sealed`` (the confirmation of a new
    application), the link the applicant already holds, if still valid and current; otherwise (a
    request for a new link, or a late run) a new link, which replaces the old one. Raises when the
    mail server refuses, so that it is retried."""
    from . import services

    application = db.session.get(GrantApplication, application_id)
    if application is None:
        return False
    token = unseal(sealed)
    if token is None or token_hash(token) != application.token_hash:
        token = services.reissue_application_token(application)
        db.session.commit()
    municipality = _municipality(application)
    mail.send(application_mail(application, application_link(municipality.slug, token), municipality,
                               again=again or sealed is None))
    return True


@jobs.job
def send_scorer_link_job(member_id: int, *, again: bool = False) -> bool:
    """Job: issue a new private scoring link for the committee member and e-mail it (the old link stops
    working). Raises when the mail server refuses, so that it is retried (with yet another link)."""
    from . import services

    scorer = db.session.get(GrantCommitteeMember, member_id)
    if scorer is None:
        return False
    token = services.reissue_member_token(scorer)
    db.session.commit()
    call = db.session.get(GrantCall, scorer.call_id)
    municipality = _municipality(scorer)
    mail.send(scorer_mail(scorer, call, scoring_link(municipality.slug, token), municipality, again=again))
    return True


# --- what requests call, after committing ----------------------------------------------------------

def _enqueue(func, *args, **kwargs) -> None:
    """Hand the e-mail to the job queue. Whatever goes wrong (the mail server, in-process; the queue
    itself) is logged and never fails the request: what the request saved stays saved."""
    try:
        jobs.enqueue(func, *args, **kwargs)
    except Exception:
        log.exception("grants e-mail %s%s not sent", getattr(func, "__name__", func), args)


def confirm_application(application: GrantApplication, token: str) -> None:
    """The confirmation of a new application, with the link the applicant's browser holds (sealed)."""
    _enqueue(send_application_link_job, application.id, sealed=seal(token))


def send_scorer_link(scorer: GrantCommitteeMember, *, again: bool = False) -> None:
    _enqueue(send_scorer_link_job, scorer.id, again=again)


def send_links_again(call: GrantCall, email: str) -> None:
    """"Send my link again": a new link to every application and committee seat of the call under this
    e-mail address, by e-mail only. Says nothing about whether there was any (no enumeration)."""
    from . import services

    applications, members = services.holders_of(call, email)
    for application in applications:
        _enqueue(send_application_link_job, application.id, again=True)
    for scorer in members:
        _enqueue(send_scorer_link_job, scorer.id, again=True)
