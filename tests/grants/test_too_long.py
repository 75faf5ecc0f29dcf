"""Issue 23: bad input gets a message and is never cut. A scorer's name, an e-mail address or a conflict's
reason longer than its column is refused with the platform's one "too long" message (``schemas.too_long``),
where it used to be cut silently to fit."""
import pytest
from flask_babel import force_locale

from safetycouncil.errors import ValidationFailed
from safetycouncil.grants import services
from safetycouncil.grants.models import GrantConflict
from tests.grants.support import application, open_call


def test_a_too_long_scorer_name_or_conflict_reason_is_refused_not_cut(in_tenant):
    with in_tenant("elbasan") as session, force_locale("en"):
        call = open_call(session)
        with pytest.raises(ValidationFailed) as refused:
            services.add_member(call, name="A" * 201, email="arben@example.org", council_member_id=None)
        assert refused.value.errors == {"name": "At most 200 characters."}
        scorer = services.add_member(call, name="A" * 200, email="arben@example.org", council_member_id=None)
        assert scorer.name == "A" * 200
        row, _token = application(session, call)
        with pytest.raises(ValidationFailed) as refused:
            services.declare_conflict(scorer, row, "R" * 501)
        assert refused.value.errors == {"reason": "At most 500 characters."}
        services.declare_conflict(scorer, row, "  " + "R" * 500 + "  ")
        assert session.query(GrantConflict).one().reason == "R" * 500
