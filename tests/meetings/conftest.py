"""Helpers for the meetings tests (members and meetings come from tests/factories.py)."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from safetycouncil.extensions import db
from safetycouncil.meetings import services
from safetycouncil.meetings.models import Meeting
from safetycouncil.tenancy import tenant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64


def future(days: int = 30, hour: int = 10) -> datetime:
    """A local time ``days`` from now (the tests do not depend on today's date)."""
    return (services.local_now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0)


def past(days: int = 3, hour: int = 10) -> datetime:
    return (services.local_now() - timedelta(days=days)).replace(hour=hour, minute=0, second=0)


@pytest.fixture
def secretary_client(app, make_user, login):
    """A technical secretary of Elbasan, signed in on the web."""
    user = make_user("technical_secretary", municipality="elbasan")
    client = app.test_client()
    login(client, user)
    return SimpleNamespace(client=client, user=user)


@pytest.fixture
def read_meeting(app, municipality_id):
    """read_meeting(id, slug="elbasan") -> the Meeting (detached, attributes loaded)."""

    def read(meeting_id: int, slug: str = "elbasan") -> Meeting:
        with app.app_context(), tenant(municipality_id(slug)):
            meeting = db.session.get(Meeting, meeting_id)
            db.session.expunge(meeting)
            return meeting

    return read


@pytest.fixture
def in_elbasan(app, municipality_id):
    """``with in_elbasan() as session`` (no commit at the end: for reading)."""
    from contextlib import contextmanager

    @contextmanager
    def scope(slug: str = "elbasan"):
        with app.app_context(), tenant(municipality_id(slug)):
            yield db.session
            db.session.rollback()

    return scope


def meetings_titled(session, title) -> list[Meeting]:
    return list(session.execute(select(Meeting).where(Meeting.title == title)).scalars())
