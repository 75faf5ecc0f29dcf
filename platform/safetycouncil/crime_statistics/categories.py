"""The national list of offence categories and the disclosure threshold (global, set by the Ministry)."""
from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from ..timeutil import utcnow
from .models import DEFAULT_DISCLOSURE_THRESHOLD, DEFAULT_PROTECTION_WIDTH, CrimeStatisticsSettings, OffenceCategory

# code, Albanian name, English name, sensitive. The migration seeds the same list (frozen there).
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, bool], ...] = (
    ("theft", "Vjedhje", "Theft", False),
    ("burglary", "Vjedhje me thyerje", "Burglary", False),
    ("robbery", "Grabitje", "Robbery", False),
    ("assault", "Dhunë fizike dhe plagosje", "Assault and bodily harm", False),
    ("domestic_violence", "Dhunë në familje", "Domestic violence", True),
    ("sexual_offences", "Vepra penale seksuale", "Sexual offences", True),
    ("offences_against_children", "Vepra penale ndaj fëmijëve", "Offences against children", True),
    ("drugs", "Vepra me lëndë narkotike", "Drug offences", False),
    ("road_traffic_injury", "Aksidente rrugore me të lënduar", "Road traffic offences with injury", False),
    ("fraud", "Mashtrim", "Fraud", False),
    ("property_damage", "Dëmtim prone dhe vandalizëm", "Vandalism and property damage", False),
    ("public_order", "Vepra kundër rendit publik", "Public order offences", False),
    ("weapons", "Armëmbajtje pa leje", "Weapons offences", False),
)


def ensure_default_categories() -> None:
    """Add any category of the national list that is missing (the migration seeds them; demo and
    tests call this after emptying tables). The caller commits."""
    existing = set(db.session.execute(select(OffenceCategory.code)).scalars())
    for position, (code, name_sq, name_en, sensitive) in enumerate(DEFAULT_CATEGORIES, start=1):
        if code not in existing:
            db.session.add(OffenceCategory(code=code, name_sq=name_sq, name_en=name_en, sensitive=sensitive,
                                           position=position, active=True))
    db.session.flush()


def list_categories(*, include_inactive: bool = False) -> list[OffenceCategory]:
    query = select(OffenceCategory).order_by(OffenceCategory.position, OffenceCategory.code)
    if not include_inactive:
        query = query.where(OffenceCategory.active.is_(True))
    return list(db.session.execute(query).scalars())


def category_name(category: OffenceCategory | dict, locale: str | None = None) -> str:
    """The category's name in the reader's language (Albanian unless English was chosen)."""
    locale = locale or str(get_locale() or "sq")
    get = category.get if isinstance(category, dict) else (lambda key: getattr(category, key))
    return get("name_en") if locale.startswith("en") else get("name_sq")


def disclosure_threshold() -> int:
    settings = db.session.get(CrimeStatisticsSettings, 1)
    return settings.disclosure_threshold if settings is not None else DEFAULT_DISCLOSURE_THRESHOLD


def protection_width() -> int:
    settings = db.session.get(CrimeStatisticsSettings, 1)
    return settings.protection_width if settings is not None else DEFAULT_PROTECTION_WIDTH


def set_protection_width(value, *, updated_by_id: int | None) -> int:
    """Validate and save the national protection width (1 to 100). The caller commits."""
    from flask_babel import gettext as _

    from ..errors import ValidationFailed

    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise ValidationFailed({"protection_width": _("Enter a whole number from 1 to 100.")})
    settings = db.session.get(CrimeStatisticsSettings, 1)
    if settings is None:
        settings = CrimeStatisticsSettings(id=1, disclosure_threshold=DEFAULT_DISCLOSURE_THRESHOLD)
        db.session.add(settings)
    settings.protection_width = int(text)
    settings.updated_at = utcnow()
    settings.updated_by_id = updated_by_id
    db.session.flush()
    return settings.protection_width


def set_disclosure_threshold(value, *, updated_by_id: int | None) -> int:
    """Validate and save the national threshold. The caller commits."""
    from flask_babel import gettext as _

    from ..errors import ValidationFailed

    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise ValidationFailed({"disclosure_threshold": _("Enter a whole number from 1 to 100.")})
    settings = db.session.get(CrimeStatisticsSettings, 1)
    if settings is None:
        settings = CrimeStatisticsSettings(id=1)
        db.session.add(settings)
    settings.disclosure_threshold = int(text)
    settings.updated_at = utcnow()
    settings.updated_by_id = updated_by_id
    db.session.flush()
    return settings.disclosure_threshold
