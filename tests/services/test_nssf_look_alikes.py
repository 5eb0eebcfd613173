"""A member-list row that looks like a registered person: the officer links it to that person (reused as
registered) or confirms a new person; an undecided row stays out of the import."""

from sqlalchemy import func, select

from tests.factories import user
from tests.services.test_nssf import declare, members_csv, registered_enterprise
from tests.web.test_registry_pages import register
from webapp.domain.nssf import Member
from webapp.domain.registry import Person
from webapp.services.nssf.look_alikes import decide_look_alikes, look_alikes
from webapp.services.nssf.members import LOOKS_REGISTERED, check_list

# The registered Keo Sokha (born 1970-01-09 in Prasat) under another ID number, and a person new to Sala.
LOOK_ALIKE = "170999001,កែវ សុខា,Keo Sokha,female,1970-01-09,17010101,2026-01-05,\n"
NEWCOMER = "170999002,ចាន់ ធីតា,Chan Thida,female,1992-04-02,17010101,2026-01-05,\n"


def checked(session):
    officer = user(session, "nssf.reg.siemreap")
    return officer, check_list(session, text=members_csv([LOOK_ALIKE, NEWCOMER]), actor=officer)


def test_a_flagged_row_shows_the_registered_person_it_looks_like(session, process_engine):
    known = register(session, id_number="170444101")
    officer, report = checked(session)
    assert report.rows[0].duplicate == LOOKS_REGISTERED
    (candidate,) = look_alikes(session, report=report, actor=officer)
    assert candidate.row.line == 2 and candidate.person.id == known.id


def test_a_row_linked_to_the_registered_person_declares_that_person(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    known = register(session, id_number="170444102")
    officer, report = checked(session)
    decide_look_alikes(session, report=report, actor=officer, decisions={2: "link"})
    people_before = session.scalar(select(func.count(Person.id)))
    case = declare(session, process_engine, officer, enterprise, report)
    members = session.scalars(select(Member).where(Member.case_id == case.id)).all()
    assert known.id in {m.person_id for m in members} and len(members) == 2
    assert session.scalar(select(func.count(Person.id))) == people_before + 1  # only the newcomer is new


def test_a_row_confirmed_as_new_registers_a_new_person(session, process_engine):
    enterprise = registered_enterprise(session, process_engine)
    known = register(session, id_number="170444103")
    officer, report = checked(session)
    decide_look_alikes(session, report=report, actor=officer, decisions={2: "new"})
    case = declare(session, process_engine, officer, enterprise, report)
    people = session.scalars(select(Member.person_id).where(Member.case_id == case.id)).all()
    assert len(people) == 2 and known.id not in people
    assert session.scalar(select(Person.id).where(Person.id_number == "170999001")) in people


def test_an_undecided_row_and_one_linked_to_an_existing_member_stay_out(session, process_engine):
    known = register(session, id_number="170444104")
    session.add(
        Member(person_id=known.id, kind="self_employed", schemes="voluntary_health", area_code="17010101")
    )
    session.flush()
    officer, report = checked(session)
    decide_look_alikes(session, report=report, actor=officer, decisions={})
    assert [r.line for r in report.good] == [3]
    decide_look_alikes(session, report=report, actor=officer, decisions={2: "link"})
    assert report.rows[0].duplicate == "Already an NSSF member." and report.rows[0].person_id is None
