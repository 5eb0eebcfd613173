"""Migration 0016's backfill of the people registered before the registry: SPIDs per province in order of
registration, clean names and their keys, one-form ID numbers (kept as typed when another record holds the
one form), a household each with the person as head, version 1 and the SPID counters. Runs on a fresh
database of the run's kind (a SQLite file, or a new database of the run's PostgreSQL server)."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.migration_support import fresh_database_url, upgrade
from webapp.db import make_engine
from webapp.domain.khmer_names import khmer_key, latin_key
from webapp.domain.spid import make_spid

AREAS = (
    ("17", "province", None),
    ("1701", "district", "17"),
    ("170101", "commune", "1701"),
    ("17010101", "village", "170101"),
    ("12", "province", None),
    ("1201", "district", "12"),
    ("120101", "commune", "1201"),
    ("12010101", "village", "120101"),
)
# (name in Khmer, Latin name, ID number, village): the last three share one form of ID number.
PEOPLE = (
    ("សុខ\u200b ស្រីមុំ", "Sok  Sreymom", "១៧០ ៥៥៥", "17010101"),
    ("កែវ សុខា", "Keo Sokha", "170444", "12010101"),
    ("ចាន់ ដារា", "Chan Dara", "170-444", "17010101"),
    ("ចាន់ សុភា", "Chan Sophea", "១៧០៤៤៤", "17010101"),
)


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> str:
    return fresh_database_url(database_url, tmp_path, "sala_backfill_rehearsal")


def _register_before_the_registry(url: str) -> list[int]:
    engine = make_engine(url)
    meta = sa.MetaData()
    area, person = (sa.Table(name, meta, autoload_with=engine) for name in ("area", "person"))
    ids = []
    with engine.begin() as connection:
        for code, level, parent in AREAS:
            names = {"name_km": code, "name_latin": code, "unit_km": level, "unit_en": level}
            connection.execute(area.insert().values(code=code, level=level, parent_code=parent, **names))
        for index, (name_km, name_latin, number, village) in enumerate(PEOPLE):
            row = {
                "name_km": name_km,
                "name_latin": name_latin,
                "sex": "female",
                "date_of_birth": date(1960 + index, 1, 2),
                "id_kind": "national_id",
                "id_number": number,
                "village_code": village,
                "equity_card": "none",
                "disability": index == 2,
                "created_at": datetime(2026, 1, 5 + index, 3),
            }
            ids.append(connection.execute(person.insert().values(**row).returning(person.c.id)).scalar_one())
    engine.dispose()
    return ids


def test_the_backfill_gives_each_earlier_person_an_spid_keys_a_household_and_a_first_version(fresh_url):
    upgrade(fresh_url, "0015")
    first, second, third, fourth = _register_before_the_registry(fresh_url)
    upgrade(fresh_url, "0016")
    engine = make_engine(fresh_url)
    with engine.connect() as connection:
        people = {row.id: row for row in connection.execute(sa.text("SELECT * FROM person"))}
        heads = dict(connection.execute(sa.text("SELECT head_id, id FROM household")).all())
        members = set(
            connection.execute(
                sa.text("SELECT person_id, household_id, relationship_to_head FROM household_member")
            ).all()
        )
        versions = {row.person_id: row for row in connection.execute(sa.text("SELECT * FROM person_version"))}
        spids = sa.text("SELECT scope, last FROM reference_counter WHERE scope LIKE 'spid:%'")
        counters = dict(connection.execute(spids).all())
    engine.dispose()
    everyone = (first, second, third, fourth)
    assert [people[i].spid for i in everyone] == [
        make_spid("17", 1),
        make_spid("12", 1),
        make_spid("17", 2),
        make_spid("17", 3),
    ]
    assert people[first].name_km == "សុខ ស្រីមុំ" and people[first].name_latin == "Sok Sreymom"
    assert people[first].name_km_key == khmer_key("សុខ ស្រីមុំ")
    assert people[third].name_latin_key == latin_key("Chan Dara")
    # Khmer digits and dashes in one form, unless another record holds that form: then kept as typed.
    assert [people[i].id_number for i in everyone] == ["170555", "170444", "170-444", "១៧០៤៤៤"]
    assert str(people[third].updated_at)[:10] == "2026-01-07"
    assert members == {(i, heads[i], "head") for i in everyone}
    assert sorted(heads.values()) == [heads[i] for i in everyone]  # households in order of registration
    snapshot = json.loads(versions[third].data_json)
    assert versions[third].version == 1 and snapshot["household_id"] == heads[third]
    assert snapshot["disability"] is True and snapshot["id_number"] == "170-444"
    assert snapshot["date_of_birth"] == "1962-01-02" and snapshot["name_latin"] == "Chan Dara"
    assert json.loads(versions[first].data_json)["name_km"] == "សុខ ស្រីមុំ"
    assert counters == {"spid:17": 3, "spid:12": 1}
