"""Outgoing mail behind one interface: SMTP in production, a log file on the embedded default."""
from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app

from .locales import force_locale

from .timeutil import now_in_albania

log = logging.getLogger(__name__)


@dataclass
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = field(default_factory=list)


MAIL_LOCALES = ("sq", "en")  # every e-mail: Albanian first, English second
LANGUAGE_SEPARATOR = "\n\n----- English -----\n\n"


def bilingual(render) -> tuple[str, str]:
    """``render()`` returns (subject, text) in the current locale; the e-mail carries Albanian first
    and English second: subjects joined with " / ", texts one after the other."""
    parts = []
    for locale in MAIL_LOCALES:
        with force_locale(locale):
            subject, text = render()
            parts.append((str(subject), str(text).strip()))
    (sq_subject, sq_text), (en_subject, en_text) = parts
    subject = sq_subject if sq_subject == en_subject else f"{sq_subject} / {en_subject}"
    return subject, f"{sq_text}{LANGUAGE_SEPARATOR}{en_text}\n"


def public_url(path: str) -> str:
    """An absolute link for an e-mail, from the configured public address (PUBLIC_BASE_URL)."""
    return f"{current_app.config['BASE_URL']}/{path.lstrip('/')}"


def build_message(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(mail.to)
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain="kvsp.example")
    msg.set_content(mail.text)
    if mail.html:
        msg.add_alternative(mail.html, subtype="html")
    for att in mail.attachments:
        maintype, _, subtype = att.mimetype.partition("/")
        params = {"charset": "utf-8"} if maintype == "text" else None  # calendars, CSV: Albanian letters
        msg.add_attachment(att.content, maintype=maintype, subtype=subtype or "octet-stream",
                           filename=att.filename, params=params)
    return msg


def send(mail: Mail) -> None:
    cfg = current_app.config
    msg = build_message(mail, cfg["MAIL_SENDER"])
    if cfg["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
            if cfg["SMTP_STARTTLS"]:
                smtp.starttls()
            if cfg["SMTP_USERNAME"]:
                smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
            smtp.send_message(msg)
        return
    with open(cfg["MAIL_LOG_PATH"], "a", encoding="utf-8") as fh:
        fh.write(f"=== {now_in_albania().isoformat(timespec='seconds')}\n{msg.as_string()}\n")
    log.info("mail to %s logged: %s", ", ".join(mail.to), mail.subject)
