"""Ids for the isolation sweep: a rated risk behind a concern."""
from safetycouncil.risks.models import Risk, RiskConcern, RiskRating
from tests.plans.support import concern


def _risk(session, tag):
    risk = Risk(title=f"Rrezik {tag}", intensity="moderate", intensity_reason="Disa shqetësime")
    session.add(risk)
    session.flush()
    session.add(RiskRating(risk_id=risk.id, intensity="moderate", reason="Disa shqetësime"))
    session.add(RiskConcern(risk_id=risk.id, concern_id=concern(session, f"Rrezik nga {tag}").id))
    session.flush()
    return risk.id


ID_FACTORIES = {"risk_id": _risk}
