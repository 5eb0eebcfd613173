"""The people search's name tokens: every writer of a person leaves them matching the person's names,
village and merge; the search finds by the beginning of a word in any order, ranks the whole name first, and
falls back to the similarity search when no record has every word; migration 0023 backfills them in sets."""

from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import select, text

from tests.factories import drain_jobs, open_case, user
from tests.services.test_nssf import declare_one_employee
from tests.services.test_registry_import import GOOD, csv_bytes, upload
from webapp.db import make_engine
from webapp.domain.registry import Person, PersonNameToken, token_rows
from webapp.services.assembly.bootstrap import alembic_config
from webapp.services.casework.people import PersonDetails, register_person
from webapp.services.registry.changes import approve_change, request_change
from webapp.services.registry.duplicates import merge_people
from webapp.services.registry.importing import confirm_import
from webapp.services.registry.search import search_people


def register(session, name_km: str, name_latin: str, id_number: str, village: str = "17010101") -> Person:
    details = PersonDetails(
        name_km=name_km,
        name_latin=name_latin,
        sex="female",
        date_of_birth=date(1980, 5, 2),
        id_kind="national_id",
        id_number=id_number,
        village_code=village,
    )
    return register_person(session, details, actor=user(session, "ca.charchhuk"))


def stored(session, person: Person) -> set[tuple[str, str]]:
    rows = session.execute(
        select(PersonNameToken.token, PersonNameToken.village_code).where(
            PersonNameToken.person_id == person.id
        )
    )
    return {(token, village) for token, village in rows}


def expected(person: Person) -> set[tuple[str, str]]:
    return {(row["token"], row["village_code"]) for row in token_rows(person)}


def found(session, query: str, username: str = "ca.charchhuk") -> list[int]:
    return [p.id for p in search_people(session, user=user(session, username), query=query).people]


def test_a_registered_person_has_the_tokens_of_both_names_and_their_village(session):
    person = register(session, "សុខ សេចក្ដី", "Sok Sreymom", "170577001")
    assert stored(session, person) == expected(person)
    assert {token for token, _ in stored(session, person)} == {"សុខ", "សេចក្តី", "សុខសេចក្តី", "sok", "srimom"}


def test_an_applicant_registered_by_the_intake_has_their_tokens(session, process_engine):
    person = open_case(session, process_engine, id_number="170577002", name_latin="Keo Dara").person
    assert stored(session, person) == expected(person) and ("dara", person.village_code) in stored(
        session, person
    )


def test_an_approved_change_of_names_and_village_replaces_the_tokens(session):
    person = register(session, "ចាន់ សុភា", "Chan Sophea", "170577003")
    request = request_change(
        session,
        person=person,
        proposed={"name_km": "ចាន់ ធីតា", "name_latin": "Chan Thida", "village_code": "17010102"},
        reason="Married, moved",
        actor=user(session, "ca.charchhuk"),
    )
    approve_change(session, request_id=request.id, actor=user(session, "ssdm.ac"))
    tokens = stored(session, person)
    assert (
        tokens == expected(person)
        and ("thida", "17010102") in tokens
        and ("sophia", "17010101") not in tokens
    )


def test_a_merged_record_loses_its_tokens_and_the_survivor_keeps_its_own(session, process_engine):
    survivor = open_case(session, process_engine, id_number="0101577001", name_latin="Chan Sophea").person
    twin = open_case(session, process_engine, id_number="0101577002", name_latin="Chan Sophia").person
    merge_people(
        session, survivor_id=survivor.id, merged_id=twin.id, reason="One ID", actor=user(session, "ssdm.ac")
    )
    assert stored(session, twin) == set()
    assert stored(session, survivor) == expected(session.get(Person, survivor.id))
    assert twin.id not in found(session, "Chan Sophia", "ssdm.ac")


def test_people_of_an_imported_list_have_their_tokens(session):
    checked = upload(session, csv_bytes(*GOOD))
    confirm_import(session, import_id=checked.id, actor=user(session, "ca.charchhuk"))
    drain_jobs(session)
    person = session.scalar(select(Person).where(Person.id_number == "170200002"))
    assert stored(session, person) == expected(person) and ("srimom", "17010101") in stored(session, person)


def test_new_nssf_members_have_their_tokens(session, process_engine):
    id_number = declare_one_employee(session, process_engine)
    person = session.scalar(select(Person).where(Person.id_number == id_number))
    assert stored(session, person) and stored(session, person) == expected(person)


def test_a_name_is_found_by_the_beginning_of_its_words_in_any_order(session):
    sokha = register(session, "ចាន់ សុខា", "Chan Sokhaa", "170577010")
    for query in ("Sok", "sokha chanh", "Chan Sok", "Chan S", "សុខា ចាន់", "ចាន់សុខ"):
        assert sokha.id in found(session, query), query


def test_a_word_that_starts_too_many_tokens_is_read_as_a_range(session, monkeypatch):
    from webapp.services.registry import search

    sokha = register(session, "ចាន់ សុខា", "Chan Sokhaa", "170577015")
    register(session, "ចាន់ សុខ", "Chan Sok", "170577016")  # "sok" comes before "sokha"
    monkeypatch.setattr(search, "MAX_WIDENED", 1)
    assert sokha.id in found(session, "Sok Chan") and sokha.id in found(session, "ចាន់ សុ")


def test_the_whole_name_as_typed_comes_before_longer_names(session):
    longer = register(session, "ឈឹម ស្រីនាង", "Chhim Sreyneang", "170577011")
    exact = register(session, "ឈឹម ស្រី", "Chhim Srey", "170577012")
    assert found(session, "Chim Srei")[:2] == [exact.id, longer.id]
    assert found(session, "ឈឹម ស្រី")[:2] == [exact.id, longer.id]


def test_a_word_no_record_has_falls_back_to_the_whole_key(session):
    person = register(session, "កែវ ស្រីមុំ", "Keo Sreymom", "170577013")
    assert person.id in found(session, "keo srey mom")  # "mom" is inside a word, not the start of one
    assert person.id not in found(session, "Heng Dara")


def test_a_page_after_the_last_match_is_empty(session):
    for number in range(3):
        register(session, "យឹម ផល្លា", "Yim Phalla", f"17057702{number}")
    ca = user(session, "ca.charchhuk")
    assert len(search_people(session, user=ca, query="Yim Phala").people) >= 3
    assert search_people(session, user=ca, query="Yim Phala", page=40).people == []


def test_the_name_search_stays_in_the_officers_area(session):
    person = register(session, "ហេង ពិសី", "Heng Pisey", "170577014")
    assert person.id in found(session, "Heng Pisei", "sup.ac")
    assert person.id not in found(session, "Heng Pisei", "ca.dounpeng")


def test_migration_0023_backfills_the_tokens_of_live_people_in_sets(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0021")
        _two_people(connection)
        command.upgrade(config, "0023")
        rows = connection.execute(text("SELECT person_id, token, village_code FROM person_name_token")).all()
    engine.dispose()
    assert sorted(rows) == [(1, "sok", "17010101"), (1, "srimom", "17010101")] + [
        (1, token, "17010101") for token in sorted(["សុខ", "ស្រីមុំ", "សុខស្រីមុំ"])
    ]


def _two_people(connection) -> None:
    """Sok Sreymom, live, and a record merged into her, in a village of their own."""
    for code, level, parent in (
        ("17", "province", None),
        ("1701", "district", "17"),
        ("170101", "commune", "1701"),
        ("17010101", "village", "170101"),
    ):
        connection.execute(
            text(
                "INSERT INTO area (code, level, parent_code, name_km, name_latin, unit_km, unit_en) "
                "VALUES (:code, :level, :parent, 'x', 'x', 'x', 'x')"
            ),
            {"code": code, "level": level, "parent": parent},
        )
    for number, merged_into in ((1, None), (2, 1)):
        connection.execute(
            text(
                "INSERT INTO person (id, spid, name_km, name_latin, sex, date_of_birth, id_kind, id_number, "
                "village_code, equity_card, disability, merged_into_id, created_at, updated_at) VALUES "
                "(:id, :spid, 'សុខ ស្រីមុំ', 'Sok Sreymom', 'female', '1980-01-01', 'national_id', :number, "
                "'17010101', 'none', 0, :merged, '2026-01-01', '2026-01-01')"
            ),
            {"id": number, "spid": f"17-{number}", "number": f"17057700{number}", "merged": merged_into},
        )
