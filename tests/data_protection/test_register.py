"""The register of personal data covers every table, and names only columns that exist."""
from safetycouncil.data_protection import register
from safetycouncil.extensions import db


def test_every_table_is_in_the_register_or_said_to_hold_no_personal_data(app):
    registered = [entry.table for entry in register.REGISTER]
    assert len(registered) == len(set(registered)), "a table is in the register twice"
    both = set(registered) & set(register.NO_PERSONAL_DATA)
    assert not both, f"in the register and said to hold no personal data: {sorted(both)}"
    tables = set(db.metadata.tables)
    forgotten = tables - set(registered) - set(register.NO_PERSONAL_DATA)
    assert not forgotten, (f"new tables {sorted(forgotten)}: add each to data_protection/register.py, "
                           "in REGISTER (with its personal data) or in NO_PERSONAL_DATA (with the reason)")
    stale = (set(registered) | set(register.NO_PERSONAL_DATA)) - tables
    assert not stale, f"the register names tables that do not exist: {sorted(stale)}"


def test_every_column_named_in_the_register_exists(app):
    for entry in register.REGISTER:
        table = db.metadata.tables[entry.table]
        missing = [c for c in entry.columns if c not in table.c]
        assert entry.columns and not missing, f"{entry.table}: no such columns {missing}"


def test_every_entry_says_whose_why_on_what_basis_how_long_and_who_sees_it(app):
    with app.test_request_context():
        for entry in register.REGISTER:
            for value in (entry.label, entry.subjects, entry.purpose, entry.legal_basis, entry.retention, entry.access):
                assert str(value).strip(), entry.table
        assert all(str(reason).strip() for reason in register.NO_PERSONAL_DATA.values())
