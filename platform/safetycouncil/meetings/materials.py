"""Agenda materials every invitee can open (Art. 7.4: the invitation carries the agenda and its
materials), with or without an account on the platform.

An invitation carries the materials as attachments while they fit in MATERIALS_ATTACH_MAX_BYTES;
above that, a personal link that needs no account: expiring (MATERIAL_LINK_DAYS_AFTER_MEETING days
after the meeting), revocable by the Technical Secretariat, its token kept only as a hash, every
opening counted on the link and written to the audit trail. Each invitation row records what it
carried (``materials``: attached, link or none) and which documents; ``invitation_evidence`` gives
the compliance rules, per invitee, when the invitation was sent and whether the materials were in it.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import mail
from ..accounts.services import new_token, token_hash
from ..audit.trail import record
from ..documents.models import Document
from ..documents.services import read_content
from ..extensions import db
from ..municipalities.models import Municipality
from ..timeutil import utcnow
from .models import AgendaItem, AgendaMaterial, Invitation, MaterialLink, Meeting

ATTACHED, LINK, NONE = "attached", "link", "none"


class LinkRefused(Exception):
    """A material link that cannot be opened: the message says why, in the reader's language."""


def meeting_documents(meeting: Meeting) -> list[Document]:
    """The meeting's agenda materials, in agenda order, each document once."""
    rows = db.session.execute(
        select(Document).join(AgendaMaterial, AgendaMaterial.document_id == Document.id)
        .join(AgendaItem, AgendaItem.id == AgendaMaterial.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaMaterial.id)).scalars().all()
    seen, documents = set(), []
    for document in rows:
        if document.id not in seen:
            seen.add(document.id)
            documents.append(document)
    return documents


def delivery_mode(documents: list[Document]) -> str:
    if not documents:
        return NONE
    total = sum(d.size_bytes for d in documents)
    return ATTACHED if total <= current_app.config["MATERIALS_ATTACH_MAX_BYTES"] else LINK


def attachments(documents: list[Document]) -> list[mail.Attachment]:
    return [mail.Attachment(d.filename, read_content(d), d.content_type) for d in documents]


def link_expiry(meeting: Meeting) -> datetime:
    """Naive UTC: the end of the day MATERIAL_LINK_DAYS_AFTER_MEETING days after the meeting (local)."""
    from .services import local_to_utc

    last_day = meeting.ends_at.date() + timedelta(days=current_app.config["MATERIAL_LINK_DAYS_AFTER_MEETING"])
    return local_to_utc(datetime.combine(last_day, time(23, 59, 59)))


def issue_link(invitation: Invitation, meeting: Meeting) -> str:
    """A new personal link for one invitee; returns the raw token (only its hash is kept)."""
    raw, hashed = new_token()
    db.session.add(MaterialLink(invitation_id=invitation.id, token_hash=hashed, expires_at=link_expiry(meeting)))
    db.session.flush()
    return raw


def link_url(municipality: Municipality, raw: str) -> str:
    return mail.public_url(f"{municipality.slug}/meetings/materials/{raw}")


def open_link(raw: str) -> MaterialLink:
    """The link a token opens, in the current municipality, or LinkRefused with the reason."""
    link = db.session.execute(select(MaterialLink).where(
        MaterialLink.token_hash == token_hash(raw or ""))).scalar_one_or_none()
    if link is None:
        raise LinkRefused(_("This link is not valid. Ask the council's Technical Secretariat for a new one."))
    if link.revoked_at is not None:
        raise LinkRefused(_("This link was withdrawn. Ask the council's Technical Secretariat for a new one."))
    if link.expires_at < utcnow():
        raise LinkRefused(_("This link has expired. Ask the council's Technical Secretariat for a new one."))
    return link


def record_opening(link_id: int, document_id: int | None = None) -> None:
    """Count an opening of the link (the list or one document) and write it to the audit trail."""
    now = utcnow()
    link = db.session.get(MaterialLink, link_id)
    link.open_count = (link.open_count or 0) + 1
    link.first_opened_at = link.first_opened_at or now
    link.last_opened_at = now
    record(db.session, "materials_opened", "MaterialLink", link.id,
           details={"invitation_id": link.invitation_id, "document_id": document_id})
    db.session.flush()


def revoke_links(invitation: Invitation, by_user_id: int | None) -> int:
    """Withdraw every open link of one invitation; returns how many."""
    links = db.session.execute(select(MaterialLink).where(
        MaterialLink.invitation_id == invitation.id, MaterialLink.revoked_at.is_(None))).scalars().all()
    now = utcnow()
    for link in links:  # through the ORM: each change is in the audit trail
        link.revoked_at, link.revoked_by_id = now, by_user_id
    if links:
        record(db.session, "material_link_revoked", "Invitation", invitation.id)
    db.session.flush()
    return len(links)


def links_by_invitation(meeting: Meeting) -> dict[int, list[MaterialLink]]:
    rows = db.session.execute(select(MaterialLink).join(Invitation, Invitation.id == MaterialLink.invitation_id)
                              .where(Invitation.meeting_id == meeting.id).order_by(MaterialLink.id)).scalars()
    found: dict[int, list[MaterialLink]] = {}
    for link in rows:
        found.setdefault(link.invitation_id, []).append(link)
    return found


def invitation_evidence(meeting: Meeting) -> list[dict]:
    """For the rule of Art. 7.4 ("on time only when every member was sent agenda and materials by
    the deadline"): each invitee with when the invitation was sent (naive UTC, None if not sent),
    whether it carried the materials (True; False when the agenda had materials the invitation did
    not carry; None when unknown: recorded as sent outside the platform), and how. Also says
    whether the meeting was entered after the fact and by whom."""
    from .invitations import invitees, list_invitations

    rows = {r.member_id: r for r in list_invitations(meeting)}
    has_materials = bool(meeting_documents(meeting))
    evidence = []
    for member in invitees(meeting):
        row = rows.get(member.id)
        sent = row is not None and row.status == "sent"
        mode = row.materials if row is not None else None
        if not sent or mode is None:
            included = None if sent else False
        else:
            included = mode in (ATTACHED, LINK) or (mode == NONE and not has_materials)
        evidence.append({
            "member_id": member.id, "name": member.full_name, "category": member.category,
            "status": row.status if row is not None else "pending",
            "sent_at": row.sent_at if sent else None, "materials_included": included,
            "materials": mode, "document_ids": list(row.material_document_ids or []) if row is not None else [],
            "entered_after_the_fact": bool(meeting.entered_after_the_fact),
            "recorded_by_id": meeting.recorded_by_id,
        })
    return evidence
