"""A Prefecture recommendation reaches the municipality's clerk by e-mail (as well as in the
navigation and on the home page): the technical secretaries and the chair, Albanian first and
English second, with a link from the configured public address."""
from __future__ import annotations

import logging
import smtplib

from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from .. import mail
from ..accounts.models import RoleAssignment, User
from ..accounts.roles import Role
from ..extensions import db
from ..municipalities.models import Municipality
from .models import ConsultationRecommendation

log = logging.getLogger(__name__)
RECIPIENT_ROLES = (Role.TECHNICAL_SECRETARY.value, Role.CHAIR.value)


def recipients(municipality_id: int) -> list[User]:
    return list(db.session.execute(
        select(User).join(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(RoleAssignment.municipality_id == municipality_id, RoleAssignment.role.in_(RECIPIENT_ROLES),
               User.active.is_(True)).order_by(User.id).distinct()).scalars())


def notify_recommendation_job(recommendation_id: int) -> int:
    """Job (in the municipality's scope): e-mail the new recommendation. Returns how many e-mails."""
    row = db.session.get(ConsultationRecommendation, recommendation_id)
    if row is None:
        return 0
    municipality = db.session.get(Municipality, row.municipality_id)
    link = mail.public_url(f"{municipality.slug}/recommendations#recommendation-{row.id}")

    def render():
        subject = _("A recommendation of the Prefecture for the council of %(name)s", name=municipality.name)
        text = render_template("consultation_tables/mail/recommendation.txt", recommendation=row,
                               table=row.table, municipality=municipality, link=link,
                               held_on=format_date(row.table.held_on, "long"))
        return subject, text

    subject, text = mail.bilingual(render)
    sent = 0
    for person in recipients(municipality.id):
        try:
            mail.send(mail.Mail(to=[person.email], subject=subject, text=text))
            sent += 1
        except (smtplib.SMTPException, OSError) as exc:
            log.warning("recommendation %s to %s not sent: %s", recommendation_id, person.email, exc)
    return sent
