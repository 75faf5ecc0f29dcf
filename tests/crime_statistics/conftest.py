"""Shared setup for the crime statistics tests: the national categories, areas, files, months."""
from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select


@pytest.fixture(autouse=True)
def categories(app):
    """The migration seeds the national list; the test setup empties every table after each test."""
    from safetycouncil.crime_statistics.categories import ensure_default_categories
    from safetycouncil.extensions import db

    with app.app_context():
        ensure_default_categories()
        db.session.commit()


@pytest.fixture
def areas(in_tenant):
    """Three areas of Elbasan, one of Fier (whose names must never match Elbasan's lines)."""
    from safetycouncil.areas.models import Area

    ids = {}
    with in_tenant("elbasan") as session:
        for name, kind in (("Bradashesh", "administrative_unit"), ("Lagjja Kala", "neighbourhood"),
                           ("Shtëpëz", "village")):
            area = Area(name=name, kind=kind)
            session.add(area)
            session.flush()
            ids[name] = area.id
    with in_tenant("fier") as session:
        area = Area(name="Levan", kind="administrative_unit")
        session.add(area)
        session.flush()
        ids["Levan"] = area.id
    return ids


def month(n_back: int) -> str:
    """'YYYY-MM' of the month ``n_back`` months before this one."""
    from safetycouncil.crime_statistics.services import add_months, month_key, this_month

    return month_key(add_months(this_month(), -n_back))


@pytest.fixture
def months():
    return month


def csv_bytes(rows, header=("muaji", "zona", "kategoria", "numri"), delimiter=",") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(rows, header=("month", "area", "category", "count")) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _english(app, monkeypatch):
    """These tests read the English texts; Albanian is the default (its catalog is tested elsewhere)."""
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")


@pytest.fixture
def police(app, make_user, login):
    """A signed-in police representative of Elbasan's Coordination Secretariat (web client)."""
    user = make_user("secretariat_police", municipality="elbasan", locale="en")
    client = app.test_client()
    login(client, user)
    return SimpleNamespace(user=user, client=client)


def upload(client, data: bytes, filename="statistika.csv", note="", slug="elbasan"):
    return client.post(f"/{slug}/crime-statistics/upload", data={"file": (io.BytesIO(data), filename), "note": note},
                       content_type="multipart/form-data")


@pytest.fixture
def stored(app, municipality_id):
    """stored(slug) -> (number of uploads, number of count rows) in that municipality."""

    def count(slug="elbasan"):
        from safetycouncil.crime_statistics.models import CrimeCount, CrimeStatisticsUpload
        from safetycouncil.extensions import db
        from safetycouncil.tenancy import tenant

        with app.app_context(), tenant(municipality_id(slug), read_only=True):
            return (db.session.execute(select(func.count()).select_from(CrimeStatisticsUpload)).scalar(),
                    db.session.execute(select(func.count()).select_from(CrimeCount)).scalar())

    return count


@pytest.fixture
def current(app, municipality_id):
    """current(month, area name, category code) -> the current figure in Elbasan (None: no line)."""

    def get(month_text, area_name, code, slug="elbasan"):
        from safetycouncil.areas.models import Area
        from safetycouncil.crime_statistics.models import CrimeCount, OffenceCategory
        from safetycouncil.crime_statistics.services import parse_month_key
        from safetycouncil.extensions import db
        from safetycouncil.tenancy import tenant

        with app.app_context(), tenant(municipality_id(slug), read_only=True):
            return db.session.execute(
                select(CrimeCount.count).join(Area, Area.id == CrimeCount.area_id)
                .join(OffenceCategory, OffenceCategory.id == CrimeCount.category_id)
                .where(CrimeCount.is_current.is_(True), CrimeCount.month == parse_month_key(month_text),
                       Area.name == area_name, OffenceCategory.code == code)).scalar_one_or_none()

    return get
