"""The national evaluation reads all councils set-wise: as many SQL statements for 61 as for 5."""
from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from safetycouncil.compliance.engine import evaluate
from safetycouncil.extensions import db
from safetycouncil.municipalities.models import Municipality

from .support import exemplary


def _count(app, ids) -> tuple[int, object]:
    statements = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        db.session.remove()
        engine = db.engine
        event.listen(engine, "before_cursor_execute", listen)
        try:
            evaluation = evaluate(ids, 2024, date(2024, 12, 31))
        finally:
            event.remove(engine, "before_cursor_execute", listen)
    return len([s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]), evaluation


def test_the_query_count_does_not_grow_with_the_number_of_councils(app, in_tenant):
    for slug, tag in (("elbasan", "e"), ("fier", "f"), ("tirane", "t")):
        with in_tenant(slug) as s:
            exemplary(s, tag)
    with app.app_context():
        all_ids = list(db.session.execute(select(Municipality.id).order_by(Municipality.id)).scalars())
        first = sorted(set(all_ids[:2]) | {db.session.execute(select(Municipality.id).where(
            Municipality.slug.in_(["elbasan", "fier", "tirane"]))).scalars().all()[0]})
    assert len(all_ids) == 61
    five = (first + [i for i in all_ids if i not in first])[:5]
    small, evaluation5 = _count(app, five)
    large, evaluation61 = _count(app, all_ids)
    print(f"SQL statements: {small} for 5 councils, {large} for 61")
    assert small == large
    assert small <= 25, "the evaluation should need a small, fixed number of statements"
    assert len(evaluation61.results) == 61 and evaluation61.complying == 3


def test_every_council_is_read_in_the_national_scope_with_the_same_verdicts(app, in_tenant):
    """Judging every municipality reads in the national scope (one flag per row for PostgreSQL's RLS,
    not a comparison with each of 2,061 ids); a list of councils keeps its list. The councils' verdicts,
    evidence, dues and next change are the same either way."""
    from safetycouncil.compliance.engine import _scope_of, remember_municipalities

    for slug, tag in (("elbasan", "e"), ("fier", "f")):
        with in_tenant(slug) as s:
            exemplary(s, tag)
    with app.app_context():
        all_ids = list(db.session.execute(select(Municipality.id).order_by(Municipality.id)).scalars())
        chosen = sorted(db.session.execute(select(Municipality.id).where(
            Municipality.slug.in_(["elbasan", "fier", "tirane"]))).scalars())
        remember_municipalities()
        assert _scope_of(all_ids) is None
        assert _scope_of(chosen) == chosen and _scope_of(all_ids[1:]) == all_ids[1:]
        every = evaluate(all_ids, 2024, date(2024, 12, 31)).results
        some = evaluate(chosen, 2024, date(2024, 12, 31)).results
    assert set(some) == set(chosen)
    for mid in chosen:
        assert repr(some[mid]) == repr(every[mid])
    assert sum(every[mid].complies for mid in chosen) == 2
