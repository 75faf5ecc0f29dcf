"""Ids for the isolation sweep: a call, an application, an award, a file, a committee member, a tranche, a
report and a document of the call (one award graph per municipality)."""
from safetycouncil.grants import call_documents
from safetycouncil.grants.models import GrantCall, GrantCommitteeMember, token_hash
from tests.grants.support import PDF, award_graph

_CACHE: dict = {}


def _graph(session, tag) -> dict:
    cached = _CACHE.get(tag)
    current = session.get(GrantCall, cached["call_id"]) if cached else None
    if current is None or current.title != f"Thirrje {tag}":
        graph = award_graph(session, tag)
        member = GrantCommitteeMember(call_id=graph["call"].id, name=f"Vlerësues {tag}",
                                      email=f"sweep-{tag}@example.org", token_hash=token_hash(f"sweep-{tag}"))
        session.add(member)
        session.flush()
        document = call_documents.add_document(graph["call"], "Termat e referencës", "termat.pdf", PDF, user_id=None)
        _CACHE.clear()
        _CACHE[tag] = cached = {"call_id": graph["call"].id, "application_id": graph["application"].id,
                                "award_id": graph["award"].id, "attachment_id": graph["attachment"].id,
                                "scorer_id": member.id, "tranche_id": graph["award"].tranches[0].id,
                                "grant_report_id": graph["report"].id, "call_document_id": document.id}
    return cached


ID_FACTORIES = {name: (lambda session, tag, name=name: _graph(session, tag)[name])
                for name in ("call_id", "application_id", "award_id", "attachment_id", "scorer_id", "tranche_id",
                             "grant_report_id", "call_document_id")}
