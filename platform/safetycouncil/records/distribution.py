"""Distributing a signed decision to each member (Art. 7.8): a background job, idempotent.

Each copy is recorded (``DecisionDistribution``) as it is sent and committed at once, so
a job that stops half way and runs again never e-mails anyone twice; a decision already
marked distributed is not sent again at all.
"""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from .. import mail
from ..accounts.models import User
from ..extensions import db
from ..locales import force_locale
from ..meetings.models import Meeting
from ..municipalities.models import Municipality
from ..timeutil import utcnow
from . import services
from .models import Decision, DecisionDistribution

log = logging.getLogger(__name__)


def distribute_decision(decision_id: int) -> int:
    """Job: e-mail the decision's text (and its PDF) to every active member with an e-mail.

    Returns how many copies this run sent. Members without an e-mail are recorded as such
    (the secretariat hands them a paper copy); a failed sending is recorded and retried by
    asking to distribute again, while the decision stays undistributed.
    """
    from .downloads import decision_document
    from ..exports import PDF_MIMETYPE, build_pdf, safe_filename

    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.distributed_at is not None:
        return 0
    if decision.signed_by_chair_on is None:
        log.warning("decision %s is not signed: not distributed", decision_id)
        return 0
    meeting = db.session.get(Meeting, decision.meeting_id)
    municipality = db.session.get(Municipality, decision.municipality_id)
    done = {row.member_id: row for row in services.distributions(decision)}
    members = services.active_members()
    if not members:
        log.warning("decision %s: the council has no active members", decision_id)
        return 0
    locales = dict(db.session.execute(
        select(User.id, User.locale).where(User.id.in_({m.user_id for m in members if m.user_id}))).all()) \
        if any(m.user_id for m in members) else {}
    link = mail.public_url(f"{municipality.slug}/meetings/decisions/{decision.id}")
    rendered: dict[str, tuple[str, str, bytes]] = {}
    sent, failed = 0, False
    for member in members:
        row = done.get(member.id)
        if row is not None and row.status == "sent":
            continue
        if row is None:
            row = DecisionDistribution(decision_id=decision.id, member_id=member.id, status="pending")
            db.session.add(row)
        row.email = member.email
        if not member.email:
            row.status, row.error = "no_email", None
            db.session.commit()
            continue
        locale = locales.get(member.user_id) or "sq"
        if locale not in rendered:
            def render():  # the e-mail: Albanian first, English second (mail.bilingual)
                subject = _("Decision no. %(number)s of the Local Public Safety Council of %(municipality)s",
                            number=decision.number, municipality=municipality.name)
                text = render_template("records/mail/decision.txt", decision=decision, meeting=meeting,
                                       municipality=municipality, link=link,
                                       meeting_time=services.format_meeting_time(meeting),
                                       signed_on=services.format_date(decision.signed_by_chair_on, "long"))
                return subject, text

            subject, text = mail.bilingual(render)
            with force_locale(locale):  # the copy itself in the member's language
                pdf = build_pdf(decision_document(decision))
            rendered[locale] = (subject, text, pdf)
        subject, text, pdf = rendered[locale]
        filename = safe_filename(f"{'vendimi' if locale == 'sq' else 'decision'}-{decision.number}") + ".pdf"
        try:
            mail.send(mail.Mail(to=[member.email], subject=subject, text=text,
                                attachments=[mail.Attachment(filename, pdf, PDF_MIMETYPE)]))
        except Exception as exc:  # noqa: BLE001 - recorded on the row, shown to the secretariat
            log.warning("decision %s to member %s not sent: %s", decision.id, member.id, exc)
            row.status, row.error = "failed", f"{type(exc).__name__}: {exc}"[:300]
            failed = True
        else:
            row.status, row.error, row.sent_at = "sent", None, utcnow()
            sent += 1
        db.session.commit()
    if not failed:
        decision.distributed_at = utcnow()
        db.session.commit()
    return sent
