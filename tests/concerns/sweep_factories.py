"""Ids for the isolation sweep: a concern."""
from tests.plans.support import concern


def _concern(session, tag):
    return concern(session, f"Shqetësim nga {tag}: drita në rrugë mungon").id


ID_FACTORIES = {"concern_id": _concern}
