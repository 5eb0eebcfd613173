"""The local stand-ins for the business registry and the national ID check: a few thousand enterprises and
people generated from a fixed seed (the same on every machine, every run), used by the demo and the tests."""

import random
import re
from datetime import date, timedelta
from functools import cache

from webapp.services.nssf.adapters import IdentityRecord, RegisteredEnterprise
from webapp.settings import PROJECT_ROOT

SEED = 20240101
ENTERPRISES = 3000
PEOPLE = 5000
OBR_SINCE = date(2020, 7, 1)  # the Online Business Registration system went live in mid-2020

FAMILY_NAMES = (
    ("សុខ", "Sok"),
    ("ចាន់", "Chan"),
    ("កែវ", "Keo"),
    ("ហេង", "Heng"),
    ("លឹម", "Lim"),
    ("ម៉ៅ", "Mao"),
    ("ញ៉ែម", "Nhem"),
    ("អ៊ុក", "Ouk"),
    ("ទេព", "Tep"),
    ("យឹម", "Yim"),
    ("ស៊ុន", "Sun"),
    ("ពៅ", "Pov"),
    ("មាស", "Meas"),
    ("សេង", "Seng"),
    ("ឈួន", "Chhuon"),
    ("ប៊ុន", "Bun"),
)
GIVEN_NAMES = (
    ("ដារ៉ា", "Dara", "male"),
    ("សុភា", "Sophea", "female"),
    ("វណ្ណា", "Vanna", "male"),
    ("ស្រីមុំ", "Sreymom", "female"),
    ("ឫទ្ធី", "Rithy", "male"),
    ("សុខា", "Sokha", "female"),
    ("ស្រីនាង", "Sreyneang", "female"),
    ("សម្បត្តិ", "Sambath", "male"),
    ("ចន្ថា", "Chantha", "female"),
    ("បុប្ផា", "Bopha", "female"),
    ("សុវណ្ណ", "Sovann", "male"),
    ("កញ្ញា", "Kanha", "female"),
    ("វិចិត្រ", "Vichet", "male"),
    ("ពិសី", "Pisey", "female"),
    ("រតនា", "Ratana", "female"),
    ("បូរ៉ា", "Bora", "male"),
)
TRADES = (
    ("កាត់ដេរ", "Garment", "garment"),
    ("សំណង់", "Construction", "construction"),
    ("ភោជនីយដ្ឋាន", "Restaurant", "hospitality"),
    ("ពាណិជ្ជកម្ម", "Trading", "retail"),
    ("កសិកម្ម", "Agro", "agriculture"),
    ("ដឹកជញ្ជូន", "Transport", "transport"),
    ("សេវាកម្ម", "Services", "services"),
    ("ផលិតកម្ម", "Manufacturing", "manufacturing"),
)
FORMS = (
    ("ក្រុមហ៊ុន", "Co., Ltd.", "private_limited"),
    ("សហគ្រាស", "Enterprise", "sole_proprietorship"),
    ("ហាង", "Shop", "sole_proprietorship"),
    ("ក្រុមហ៊ុនសហកម្មសិទ្ធិ", "Partnership", "partnership"),
)


class FakeBusinessRegistry:
    def __init__(self, enterprises: dict[str, RegisteredEnterprise]) -> None:
        self.enterprises = enterprises

    def lookup(self, registration_number: str) -> RegisteredEnterprise | None:
        return self.enterprises.get(registration_number.strip().upper())

    def sample(self, source: str) -> RegisteredEnterprise:
        """The first enterprise the registry knows from this source (obr, district_office), for demos."""
        return next(e for e in self.enterprises.values() if e.source == source)


class FakeNationalIdCheck:
    def __init__(self, people: dict[str, IdentityRecord]) -> None:
        self.people = people

    def lookup(self, id_number: str) -> IdentityRecord | None:
        return self.people.get(id_number.strip())

    def sample(self, count: int) -> list[IdentityRecord]:
        return list(self.people.values())[:count]


@cache
def fake_business_registry() -> FakeBusinessRegistry:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    provinces = _province_codes()
    enterprises: dict[str, RegisteredEnterprise] = {}
    for index in range(ENTERPRISES):
        family_km, family_latin = rng.choice(FAMILY_NAMES)
        given_km, given_latin, _sex = rng.choice(GIVEN_NAMES)
        trade_km, trade_latin, activity = rng.choice(TRADES)
        form_km, form_latin, legal_form = rng.choice(FORMS)
        online = rng.random() < 0.6
        if online:
            registered = OBR_SINCE + timedelta(days=rng.randrange(0, 2190))
            number = f"OBR-{registered.year}-{index + 100000:06d}"
        else:
            registered = date(2005, 1, 1) + timedelta(days=rng.randrange(0, 5600))
            number = f"DOW-{index + 10000:05d}"
        enterprises[number] = RegisteredEnterprise(
            registration_number=number,
            name_km=f"{form_km}{trade_km} {family_km} {given_km}",
            name_latin=f"{family_latin} {given_latin} {trade_latin} {form_latin}",
            source="obr" if online else "district_office",
            registered_on=registered,
            province_code=rng.choice(provinces),
            legal_form=legal_form,
            activity=activity,
        )
    return FakeBusinessRegistry(enterprises)


@cache
def fake_national_id() -> FakeNationalIdCheck:
    rng = random.Random(SEED + 1)  # noqa: S311 - reproducible demo data
    people: dict[str, IdentityRecord] = {}
    while len(people) < PEOPLE:
        family_km, family_latin = rng.choice(FAMILY_NAMES)
        given_km, given_latin, sex = rng.choice(GIVEN_NAMES)
        number = f"{rng.randrange(10**8, 10**9)}"
        people[number] = IdentityRecord(
            id_number=number,
            name_km=f"{family_km} {given_km}",
            name_latin=f"{family_latin} {given_latin}",
            sex=sex,
            date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(0, 16000)),
        )
    return FakeNationalIdCheck(people)


def _province_codes() -> list[str]:
    text = (PROJECT_ROOT / "data" / "gazetteer" / "provinces.yml").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^  '(\d{2})':", text, flags=re.MULTILINE))) or ["17"]
