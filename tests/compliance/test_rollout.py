"""The roll-out the Ministry monitors (issue 19), on fresh municipalities: which adopted the unified-model
regulation and when, which Prefectures held consultation tables in the year, and whether each month's crime
statistics were published on time.

Open Government commitment (reference/ogp-police-community-crime-statistics-2014.txt): "State police should
make public information on crime statistics every month". "On time" is the model's parameter
``crime_statistics_publication_day`` (15): a month's statistics by the end of the 15th of the following month."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from safetycouncil.timeutil import LOCAL_TIMEZONE


@pytest.fixture
def on(monkeypatch):
    from safetycouncil.compliance import engine

    def set_now(moment: datetime):
        monkeypatch.setattr(engine, "_now", lambda: moment.replace(tzinfo=LOCAL_TIMEZONE))

    return set_now


def _upload(s, month: date, at: datetime) -> None:
    """A month's crime statistics first published (uploaded) at ``at`` (UTC, as stored)."""
    from safetycouncil.crime_statistics.models import CrimeStatisticsUpload

    s.add(CrimeStatisticsUpload(month=month, revision=1, filename="s.csv", source="csv", line_count=0,
                                line_report={}, uploaded_at=at))
    s.flush()


@pytest.fixture
def peqin(app, in_tenant):
    """Peqin (Elbasan county): the 2022 re-adoption under the unified model, published; January's statistics
    on time (15 February), February's a day late (16 March), March's not yet."""
    from safetycouncil.consultation_tables.models import ConsultationTable
    from safetycouncil.council.models import CouncilEstablishment
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import County

    with in_tenant("peqin") as s:
        s.add(CouncilEstablishment(decision_number="86", decision_date=date(2016, 7, 28)))
        s.add(CouncilEstablishment(decision_number="12", decision_date=date(2022, 5, 6), adopts_unified_model=True,
                                   published_on=date(2022, 5, 10), published_url="https://peqini.gov.al/r"))
        _upload(s, date(2026, 1, 1), datetime(2026, 2, 15, 20, 0))   # 21:00 in Tirana: on the due day
        _upload(s, date(2026, 2, 1), datetime(2026, 3, 16, 8, 0))    # a day after the 15th
    with app.app_context():
        county = db.session.query(County).filter_by(slug="elbasan").one()
        db.session.add(ConsultationTable(county_id=county.id, title="Tryeza e Qarkut", held_on=date(2026, 2, 20)))
        db.session.commit()


def _rows(response) -> dict:
    assert response.status_code == 200, response.status_code
    reader = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    header = next(reader)
    return {row[0]: dict(zip(header, row)) for row in reader}


@pytest.mark.parametrize(("now", "march"), [
    (datetime(2026, 4, 14, 12, 0), "pending"),   # the day before March's deadline
    (datetime(2026, 4, 15, 23, 30), "pending"),  # on the deadline's day
    (datetime(2026, 4, 16, 0, 30), "missing"),   # the day after
])
def test_crime_statistics_on_time_late_and_missing(app, peqin, on, now, march):
    """Open Government: each month's statistics published by the 15th of the following month; late is named."""
    from safetycouncil.extensions import db
    from safetycouncil.municipalities.models import Municipality
    from safetycouncil.oversight.rollout import rollout

    with app.app_context():
        m = db.session.query(Municipality).filter_by(slug="peqin").one()
        row = rollout([m], 2026, now.replace(tzinfo=LOCAL_TIMEZONE)).municipalities[0]
        states = {e["month"].month: e["state"] for e in row.months}
        assert states == {1: "on_time", 2: "late", 3: march, 4: "pending"}
        assert [e["days_late"] for e in row.months if e["state"] == "late"] == [1]
        assert row.adopted_on == date(2022, 5, 6) and row.published_on == date(2022, 5, 10)


def test_the_ministry_reads_the_rollout_page_and_csv(peqin, client, make_user, login, on):
    """The Ministry's national page and CSV: adoption and publication of the regulation, the Prefectures'
    tables in the year, the months of crime statistics on time; Albanian first."""
    on(datetime(2026, 4, 20, 10, 0))
    login(client, make_user("ministry", locale="sq"))
    page = client.get("/national/compliance/rollout?year=2026").get_data(as_text=True)
    assert "Peqin" in page and "Shtrirja e modelit të unifikuar" in page
    assert client.get("/national/").get_data(as_text=True).count("/national/compliance/rollout") >= 1
    rows = _rows(client.get("/national/compliance/rollout.csv?year=2026"))
    assert len(rows) == 61
    peqin_row = rows["Peqin"]
    values = list(peqin_row.values())
    assert "2022-05-06" in values and "2022-05-10" in values
    assert values[6] == "1" and values[7:] == ["1", "1", "1"]  # one table in Elbasan; 1 on time, 1 late, 1 missing
    assert list(rows["Fier"].values())[6] == "0"


def test_a_prefecture_sees_its_county_only(peqin, client, make_user, login, on):
    """A Prefecture reads the roll-out of its county's municipalities, read-only; another county's is not there."""
    on(datetime(2026, 4, 20, 10, 0))
    login(client, make_user("prefecture", county="elbasan", locale="en"))
    rows = _rows(client.get("/prefecture/elbasan/compliance/rollout.csv?year=2026"))
    assert "Peqin" in rows and "Fier" not in rows and len(rows) == 7
    assert client.get("/prefecture/fier/compliance/rollout?year=2026").status_code in (403, 404)
    assert client.get("/national/compliance/rollout").status_code in (403, 404)
    page = client.get("/prefecture/elbasan/compliance/rollout?year=2026").get_data(as_text=True)
    assert "Peqin" in page and "Korçë" not in page
