"""The registry's duplicate check, in the casework core: one candidate at a time or a list of thousands gives
the same answers; NSSF declarations flag a person already registered under another ID number, in a list and
one by one."""

from datetime import date

import pytest

from tests.factories import user
from tests.services.test_nssf import TODAY, declare, members_csv, registered_enterprise
from webapp.domain.errors import InvalidInput
from webapp.services.casework.people import PersonDetails, register_person
from webapp.services.casework.person_matches import (
    SAME_NAME_AND_BIRTH,
    SAME_NAME_AND_VILLAGE,
    SIMILAR_NAME,
    possible_duplicates,
    possible_duplicates_among,
)
from webapp.services.nssf.members import (
    LOOKS_REGISTERED,
    check_list,
    register_self_employed,
)

BORN = date(1979, 3, 14)
VILLAGE = "17010101"


def details(**overrides) -> PersonDetails:
    values = {
        "name_km": "ហេង សុវណ្ណ",
        "name_latin": "Heng Sovann",
        "sex": "male",
        "date_of_birth": BORN,
        "id_kind": "none",
        "id_number": "",
        "village_code": VILLAGE,
    }
    return PersonDetails(**(values | overrides))


@pytest.fixture
def registered(session):
    """Registered at the commune without a national ID number."""
    return register_person(session, details(), actor=user(session, "ca.charchhuk"))


CANDIDATES = [
    details(name_latin="HENG  Sovann", village_code="17010201"),  # another village, same date of birth
    details(name_km="ហេង សុវណ្ណ", name_latin="Heng Sovan", date_of_birth=date(1980, 1, 1)),  # same village
    details(name_km="ហេង សុវណ្ណា", name_latin="Heng Sovanna"),  # a similar spelling, same birth and village
    details(name_km="ចាន់ ធីតា", name_latin="Chan Thida"),  # someone else born the same day, same village
    details(name_km="លឹម បូរ៉ា", name_latin="Lim Bora", date_of_birth=date(1990, 5, 5)),
]


def test_a_list_is_matched_as_each_candidate_would_be_alone(session, registered):
    alone = [[(m.person.id, m.reasons) for m in possible_duplicates(session, c, limit=3)] for c in CANDIDATES]
    together = [
        [(m.person.id, m.reasons) for m in found] for found in possible_duplicates_among(session, CANDIDATES)
    ]
    assert together == alone
    assert [reasons for [(_, reasons)] in together[:3]] == [
        (SAME_NAME_AND_BIRTH,),
        (SAME_NAME_AND_VILLAGE,),
        (SIMILAR_NAME,),
    ]
    assert together[3:] == [[], []]


def row(national_id: str, name_km: str, name_latin: str, born: date = BORN) -> str:
    return f"{national_id},{name_km},{name_latin},male,{born},{VILLAGE},2026-01-05,\n"


def test_a_list_flags_a_person_already_registered_under_another_spelling_and_imports_the_rest(
    session, process_engine, registered
):
    enterprise = registered_enterprise(session, process_engine)
    officer = user(session, "nssf.reg.siemreap")
    rows = [row("170900001", "ហេង\u200bសុវណ្ណ", "Heng Sovan"), row("170900002", "ពៅ រតនា", "Pov Ratana")]
    report = check_list(session, text=members_csv(rows), actor=officer)
    assert [(r.line, r.duplicate) for r in report.bad] == [(2, LOOKS_REGISTERED)]
    case = declare(session, process_engine, officer, enterprise, report)
    assert case.reference.startswith("NSM-")


def test_a_self_employed_worker_already_registered_is_flagged_one_by_one(session, process_engine, registered):
    officer = user(session, "nssf.reg.siemreap")
    text = members_csv([row("170900003", "ហេង សុវណ្ណ", "Heng Sovann")])
    report = check_list(session, text=text, actor=officer, kind="self_employed")
    assert report.rows[0].duplicate == LOOKS_REGISTERED
    with pytest.raises(InvalidInput):
        register_self_employed(session, engine=process_engine, actor=officer, report=report, today=TODAY)


def test_a_new_person_with_a_name_of_their_own_is_not_flagged(session, registered):
    officer = user(session, "nssf.reg.siemreap")
    text = members_csv([row("170900004", "សេង ពិសី", "Seng Pisey", born=date(1995, 2, 2))])
    assert check_list(session, text=text, actor=officer, kind="self_employed").bad == []
