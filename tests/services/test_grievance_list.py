"""The grievance list: filters in SQL, newest first by keyset pages, the complainant as the reader may see
them, and a search by reference only (a confidential complainant's name is never a filter)."""

from datetime import timedelta

from tests.factories import user
from tests.services.test_grievances import record
from webapp.domain.base import utcnow
from webapp.services.casework.listing import parse_list
from webapp.services.grievances.listing import GRIEVANCE_LIST, grievance_export, grievance_page


def _references(session, reader, **args):
    page = grievance_page(session, user=reader, now=utcnow(), listing=parse_list(GRIEVANCE_LIST, args))
    return [grievance.reference for grievance, _person in page.rows]


def test_the_grievance_list_pages_newest_first_forward_and_back(session, process_engine):
    recorded = [record(session, process_engine).grievance for _ in range(3)]
    for age, grievance in enumerate(reversed(recorded)):  # distinct instants, the last recorded newest
        grievance.received_at = utcnow() - timedelta(minutes=age)
    session.flush()
    reader = user(session, "sup.ac")
    first = grievance_page(
        session, user=reader, now=utcnow(), listing=parse_list(GRIEVANCE_LIST, {}, per_page=2)
    )
    assert [g.id for g, _p in first.rows] == [recorded[2].id, recorded[1].id]
    assert first.next is not None and first.previous is None
    second = grievance_page(
        session, user=reader, now=utcnow(), listing=parse_list(GRIEVANCE_LIST, first.next, per_page=2)
    )
    assert [g.id for g, _p in second.rows] == [recorded[0].id] and second.next is None
    assert second.previous is not None
    back = grievance_page(
        session, user=reader, now=utcnow(), listing=parse_list(GRIEVANCE_LIST, second.previous, per_page=2)
    )
    assert [g.id for g, _p in back.rows] == [g.id for g, _p in first.rows]


def test_grievances_filter_by_reference_category_commune_and_level(session, process_engine):
    first = record(session, process_engine).grievance
    other = record(session, process_engine, category="service_quality").grievance
    reader = user(session, "sup.ac")
    assert _references(session, reader, q=first.reference.lower()) == [first.reference]
    assert _references(session, reader, category="service_quality") == [other.reference]
    assert set(_references(session, reader, commune="170101")) == {first.reference, other.reference}
    assert _references(session, reader, commune="170102") == []
    assert _references(session, reader, level="2") == []


def test_a_confidential_complainant_is_neither_shown_nor_searchable_by_name(session, process_engine):
    hidden = record(session, process_engine, confidential=True, complainant_name="Chea Sokunthea").grievance
    reader = user(session, "sup.ac")  # the district supervisor handles none of its steps
    assert _references(session, reader, q="Sokunthea") == []
    rows = grievance_export(session, user=reader, now=utcnow(), listing=parse_list(GRIEVANCE_LIST, {}))
    assert [(g.id, person.name, person.hidden) for g, person in rows] == [(hidden.id, None, "Confidential")]
