"""The administrators' audit lists merges of people's records beside the other administrative acts."""

from tests.factories import open_case, user
from webapp.services.platform.audit import AuditFilter, audit_entries
from webapp.services.registry.duplicates import merge_people


def test_a_merge_of_two_records_appears_on_the_audit_with_who_merged_them(session, process_engine):
    kept = open_case(session, process_engine, id_number="0101777001", name_latin="Keo Vanna").person
    twin = open_case(session, process_engine, id_number="0101777002", name_latin="Keo Vana").person
    merge_people(
        session, survivor_id=kept.id, merged_id=twin.id, reason="Typed twice", actor=user(session, "ssdm.ac")
    )
    entries, _more = audit_entries(session, actor=user(session, "admin"), wanted=AuditFilter(area="merges"))
    assert [(e.area, e.kind, e.actor, e.subject) for e in entries] == [
        ("merges", "people_merged", "ssdm.ac", kept.spid)
    ]
