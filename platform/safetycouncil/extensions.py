"""Flask extensions, created unbound and attached in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


from .replicas import RoutingSession  # noqa: E402 - reads of read-only requests go to a replica

db = SQLAlchemy(model_class=Base, session_options={"class_": RoutingSession})

_tables_cache: dict = {}


def mapped_tables(test) -> frozenset:
    """The tables of the mapped classes for which ``test(cls)`` is true (kept until more classes
    are mapped). The tenancy filter and the data stamps find their tables with it."""
    mappers = Base.registry.mappers
    key = (test, len(mappers))
    if key not in _tables_cache:
        _tables_cache[key] = frozenset(m.local_table for m in mappers if test(m.class_))
    return _tables_cache[key]
migrate = Migrate()
login_manager = LoginManager()
# Times on a 24-hour clock in both languages (CLDR's Albanian default is a 12-hour clock).
babel = Babel(date_formats={
    "time": "medium", "date": "medium", "datetime": "medium",
    "time.short": "HH:mm", "time.medium": "HH:mm", "time.full": "HH:mm:ss zzzz", "time.long": "HH:mm:ss z",
    "date.short": None, "date.medium": None, "date.full": None, "date.long": None,
    "datetime.short": "dd.MM.yyyy HH:mm", "datetime.medium": "d MMM yyyy, HH:mm",
    "datetime.full": None, "datetime.long": None,
})
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite (the embedded default): enforce foreign keys, allow readers during writes."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
