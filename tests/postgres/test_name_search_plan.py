"""The people search's name lookups are served by the name tokens' btree on PostgreSQL: each widened word is
an equality on the token with the area's range on the village (the token compares in the C collation, so the
database's own collation does not decide it), and no table is read whole."""

from datetime import date

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from tests.factories import user
from webapp.domain.registry import PersonNameToken
from webapp.services.casework.people import PersonDetails, register_person
from webapp.services.registry.search import search_people


def test_a_name_search_is_index_lookups_of_its_words_inside_the_area(session: Session) -> None:
    details = PersonDetails(
        name_km="កែវ ចន្ថា",
        name_latin="Keo Chantha",
        sex="female",
        date_of_birth=date(1979, 3, 4),
        id_kind="national_id",
        id_number="170588001",
        village_code="17010101",
    )
    register_person(session, details, actor=user(session, "ca.charchhuk"))
    statements: list[tuple[str, object]] = []

    def keep(_connection, _cursor, statement, parameters, _context, _many) -> None:
        if "person_name_token" in statement:
            statements.append((statement, parameters))

    bind = session.connection()
    event.listen(bind, "before_cursor_execute", keep)
    try:
        found = search_people(session, user=user(session, "ssdm.ac"), query="Chanthaa Keo")
    finally:
        event.remove(bind, "before_cursor_execute", keep)
    assert found.people and statements
    session.execute(text("SET LOCAL enable_seqscan = off"))  # what the index can serve, whatever the size
    statement, parameters = statements[0]
    plan = "\n".join(row[0] for row in bind.exec_driver_sql("EXPLAIN " + statement, parameters))
    lookups = [line for line in plan.splitlines() if "Index Cond: ((token = " in line]
    assert len(lookups) == 2 and all("village_code >= '1701'" in line for line in lookups), plan
    assert "Seq Scan" not in plan, plan
    assert PersonNameToken.__table__.c.token.type.dialect_impl(bind.dialect).collation == "C"
