"""Ids for the isolation sweep: a recommendation of a consultation table addressed to the municipality."""

from safetycouncil.consultation_tables.models import ConsultationRecommendation, ConsultationTable
from safetycouncil.municipalities.models import Municipality
from safetycouncil.tenancy import current_municipality_id


def _recommendation(session, tag):
    municipality = session.get(Municipality, current_municipality_id())
    table = ConsultationTable(county_id=municipality.county_id, title=f"Tryeza {tag}", held_on=__import__(
        "datetime").date(2024, 5, 9))
    session.add(table)
    session.flush()
    row = ConsultationRecommendation(table_id=table.id, text=f"Rekomandim {tag}")
    session.add(row)
    session.flush()
    return row.id


ID_FACTORIES = {"recommendation_id": _recommendation}
