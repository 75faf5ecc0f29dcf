from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests import factories as make


@pytest.fixture
def obligations_api(app):
    """obligations_api(client, headers, "elbasan", **query) -> the items of the council's obligations."""

    def get(client, headers, slug, **query):
        response = client.get(f"/api/v1/municipalities/{slug}/obligations", headers=headers,
                              query_string={("from" if k == "from_" else k): v for k, v in query.items()})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["items"]

    return get


@pytest.fixture
def planned_meeting(in_tenant):
    """planned_meeting("elbasan", datetime(...)) -> id of a planned council meeting (nothing sent yet)."""
    def planned(slug: str, when: datetime, *, kind="council", status="planned", title=None) -> int:
        with in_tenant(slug) as s:
            return make.meeting(s, kind, when, status=status, title=title or f"Mbledhja {when:%d.%m.%Y}").id

    return planned


def by_rule(items, rule):
    return [i for i in items if i["rule"] == rule]


def next_year_friday(month: int, day: int = 10) -> date:
    """A Friday of next year, in ``month``, with no holiday in the two weeks before it."""
    from safetycouncil import workdays
    from safetycouncil.timeutil import local_today

    d = date(local_today().year + 1, month, day)
    while True:
        while d.weekday() != 4:
            d += timedelta(days=1)
        if all(workdays.is_working_day(d - timedelta(days=k)) for k in range(0, 15)
               if (d - timedelta(days=k)).weekday() < 5):
            return d
        d += timedelta(days=1)
