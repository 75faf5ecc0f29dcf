"""Demo data for the embedded default: people in every role for all 61 municipalities, and areas.

Idempotent: running it again adds only what is missing. Every demo account shares
one password (hashed once), printed by `./scripts/run`.
"""
from __future__ import annotations

from argon2 import PasswordHasher
from flask import current_app
from sqlalchemy import select

from .accounts.models import User
from .accounts.roles import Role
from .accounts.services import grant_role
from .areas.models import Area
from .areas_registry import AREAS, demo_loaders
from .audit.trail import acting_as
from .extensions import db
from .municipalities.models import County, Municipality
from .tenancy import tenant

DEMO_DOMAIN = "demo.kvsp.al"
# Each area adds its own demo records, in this order (later ones build on earlier ones).
DEMO_AREAS = tuple(area.name for area in AREAS if area.demo)  # in the registry's order
DEFAULT_DEMO_PASSWORD = "demo-password-2026"

# Elbasan's administrative units (the municipality since the 2015 territorial reform).
ELBASAN_AREAS = {
    "administrative_unit": ["Elbasan", "Bradashesh", "Funarë", "Gjergjan", "Gjinar", "Gracen", "Labinot-Fushë",
                            "Labinot-Mal", "Papër", "Shirgjan", "Shushicë", "Tregan", "Zavalinë"],
    "neighbourhood": ["Lagjja 5 Maji", "Lagjja Aqif Pasha", "Lagjja Kala", "Lagjja Luigj Gurakuqi",
                      "Lagjja Brari", "Lagjja Haxhias"],
    "village": ["Shtëpëz", "Bujqës", "Valas", "Mengel"],
}
# One District Prosecutor's Office serves several municipalities.
ELBASAN_PROSECUTION_SERVES = ["elbasan", "cerrik", "belsh", "peqin", "gramsh", "librazhd", "prrenjas"]

TENANT_ROLES = [
    ("kryetari", Role.CHAIR, "Kryetari i Bashkisë"),
    ("sekretari", Role.TECHNICAL_SECRETARY, "Sekretari Teknik"),
    ("sk.bashkia", Role.SECRETARIAT_MUNICIPALITY, "Sekretariati (Bashkia)"),
    ("sk.policia", Role.SECRETARIAT_POLICE, "Sekretariati (Policia)"),
    ("anetar", Role.MEMBER, "Anëtar i KVSP"),
    ("institucioni", Role.INSTITUTION_OFFICER, "Zyrtar institucioni"),
]


def _person(email: str, name: str, password_hash: str, locale: str = "sq") -> User:
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash, locale=locale)
        db.session.add(user)
        db.session.flush()
    return user


def load_demo() -> list[tuple[str, str]]:
    password = current_app.config.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
    password_hash = PasswordHasher().hash(password)
    municipalities = db.session.execute(select(Municipality).order_by(Municipality.name)).scalars().all()
    counties = db.session.execute(select(County).order_by(County.name)).scalars().all()
    by_slug = {m.slug: m for m in municipalities}
    with acting_as(None, request_id="demo"):
        admin = _person(f"admin@{DEMO_DOMAIN}", "Administratori i platformës", password_hash)
        grant_role(admin, Role.ADMIN)
        ministry = _person(f"ministria@{DEMO_DOMAIN}", "Drejtoria e Policimit në Komunitet (MB)", password_hash)
        grant_role(ministry, Role.MINISTRY)
        for county in counties:
            prefect = _person(f"prefektura.{county.slug}@{DEMO_DOMAIN}", f"Prefektura {county.name}", password_hash)
            grant_role(prefect, Role.PREFECTURE, county=county)
        for m in municipalities:
            for prefix, role, title in TENANT_ROLES:
                person = _person(f"{prefix}.{m.slug}@{DEMO_DOMAIN}", f"{title}, {m.name}", password_hash)
                grant_role(person, role, municipality=m)
        prosecutor = _person(f"prokuroria.elbasan@{DEMO_DOMAIN}", "Prokuroria e Rrethit Gjyqësor Elbasan",
                             password_hash)
        for slug in ELBASAN_PROSECUTION_SERVES:
            grant_role(prosecutor, Role.SECRETARIAT_PROSECUTION, municipality=by_slug[slug])
        english = _person(f"secretary.en.tirane@{DEMO_DOMAIN}", "Technical secretary (English), Tiranë",
                          password_hash, locale="en")
        grant_role(english, Role.TECHNICAL_SECRETARY, municipality=by_slug["tirane"])
        db.session.flush()
        for m in municipalities:
            areas = ELBASAN_AREAS if m.slug == "elbasan" else {"administrative_unit": [m.name]}
            with tenant(m.id):
                existing = {(a.kind, a.name) for a in db.session.execute(select(Area)).scalars()}
                for kind, names in areas.items():
                    for name in names:
                        if (kind, name) not in existing:
                            db.session.add(Area(name=name, kind=kind))
                db.session.flush()
        db.session.commit()
        for load in demo_loaders():
            load(municipalities)
            db.session.commit()
    return [
        (admin.email, "platform administrator"),
        (ministry.email, "Ministry of Interior: every municipality"),
        (f"prefektura.elbasan@{DEMO_DOMAIN}", "Prefecture of Elbasan: its 7 municipalities"),
        (f"kryetari.elbasan@{DEMO_DOMAIN}", "Elbasan: council chair (Mayor)"),
        (f"sekretari.elbasan@{DEMO_DOMAIN}", "Elbasan: technical secretary"),
        (f"sk.policia.elbasan@{DEMO_DOMAIN}", "Elbasan: Coordination Secretariat, police"),
        (prosecutor.email, "Coordination Secretariat, prosecution: 7 municipalities"),
        (f"anetar.elbasan@{DEMO_DOMAIN}", "Elbasan: council member (read only)"),
        (english.email, "Tiranë: technical secretary who reads in English"),
        (f"<role>.<municipality>@{DEMO_DOMAIN}", "the same roles exist for every municipality "
                                                 "(kryetari, sekretari, sk.bashkia, sk.policia, anetar, institucioni)"),
    ]
