"""Id factories for the isolation sweep: objects of the records area in the current tenant scope
(``meeting_id`` is the meetings area's: tests/meetings/sweep_factories.py)."""
from safetycouncil.timeutil import local_today
from tests import factories as make


def _make_decision(session, tag):
    meeting = make.meeting(session, starts_at=make.day(-3), title=f"Mbledhja e KVSP {tag} (vendime)")
    return make.decision(session, meeting.id, f"{local_today().year}/{tag}", title=f"Vendimi {tag}",
                         text=f"Teksti i vendimit {tag}").id


ID_FACTORIES = {"decision_id": _make_decision}
