"""Search across a municipality's meetings, decisions, concerns and documents, Albanian-aware:
"Korce" finds "Korçë", "Korçë" finds "Korce" (letters folded: ç→c, ë→e, other accents dropped,
case ignored); every word of the query must appear (as the start of a word on PostgreSQL).

On PostgreSQL: full-text search over the folded text (``to_tsvector('simple', translate(lower(...)))``
with prefix queries), inside the tenant scope like any other query (ORM filter and row-level
security). On the embedded default (SQLite): a simple fallback that folds in Python. Results are
tenant-scoped either way: only the current municipality's rows are ever read.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select

from ..concerns.models import Concern
from ..documents.models import Document
from ..extensions import db
from ..meetings.models import Meeting
from ..records.models import Decision

MAX_PER_KIND = 25
MAX_TERMS = 8
ACCENTED = "çëáàâäãéèêíìîïóòôöõúùûüñÇËÁÀÂÄÃÉÈÊÍÌÎÏÓÒÔÖÕÚÙÛÜÑ"
PLAIN = "ceaaaaaeeeeiiiiooooouuuuncEAAAAAEEEEIIIIOOOOOUUUUN"
KIND_LABELS = {"meeting": _l("Meetings"), "decision": _l("Decisions"), "concern": _l("Concerns"),
               "document": _l("Documents")}


@dataclass
class Hit:
    kind: str
    id: int
    title: str
    detail: str
    row: object


def fold(text: str | None) -> str:
    """Lower case, without accents: "Korçë" -> "korce"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def terms_of(query: str | None) -> list[str]:
    return re.findall(r"\w+", fold(query))[:MAX_TERMS]


def _sources():
    return (
        ("meeting", Meeting, (Meeting.title, Meeting.location), Meeting.starts_at.desc()),
        ("decision", Decision, (Decision.number, Decision.title), Decision.id.desc()),
        ("concern", Concern, (Concern.text, Concern.source_name), Concern.created_at.desc()),
        ("document", Document, (Document.title, Document.filename), Document.uploaded_at.desc()),
    )


def _sql_fold(expression):
    return func.translate(func.lower(expression), ACCENTED, PLAIN.lower())


def _pg_query(model, columns, terms, order):
    document = _sql_fold(func.concat_ws(literal(" "), *columns))
    tsquery = func.to_tsquery("simple", " & ".join(f"{term}:*" for term in terms))
    return (select(model).where(func.to_tsvector("simple", document).op("@@")(tsquery))
            .order_by(order).limit(MAX_PER_KIND))


def _fallback(model, columns, terms, order):
    """SQLite: read the few columns of the municipality's rows and match the folded text."""
    matched = []
    for row in db.session.execute(select(model.id, *columns).order_by(order)).all():
        text = fold(" ".join(str(v) for v in row[1:] if v))
        if all(term in text for term in terms):
            matched.append(row[0])
            if len(matched) >= MAX_PER_KIND:
                break
    if not matched:
        return []
    rows = {r.id: r for r in db.session.execute(select(model).where(model.id.in_(matched))).scalars()}
    return [rows[i] for i in matched if i in rows]


def _describe(kind: str, row) -> tuple[str, str]:
    if kind == "meeting":
        return row.title, row.location or ""
    if kind == "decision":
        return f"{row.number} · {row.title}", ""
    if kind == "concern":
        text = row.text or ""
        return (text[:140] + "…") if len(text) > 140 else text, row.source_name or ""
    return row.title, row.filename


def search(query: str | None, kinds=None) -> dict[str, list[Hit]]:
    """The current municipality's matches, by kind (meetings, decisions, concerns, documents)."""
    terms = terms_of(query)
    results: dict[str, list[Hit]] = {kind: [] for kind, *_rest in _sources()}
    if not terms:
        return results
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for kind, model, columns, order in _sources():
        if kinds and kind not in kinds:
            continue
        if postgres:
            rows = list(db.session.execute(_pg_query(model, columns, terms, order)).scalars())
        else:
            rows = _fallback(model, columns, terms, order)
        results[kind] = [Hit(kind, row.id, *_describe(kind, row), row) for row in rows]
    return results


def matches_text(text: str | None, query: str | None) -> bool:
    """The same Albanian-aware match for one text (the concerns list's text filter)."""
    terms = terms_of(query)
    folded = fold(text)
    return all(term in folded for term in terms)
