"""Importing a household list: the preview's problems and duplicates, nothing saved before confirmation, the
worker's chunked import, and the refusals of bad files."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import drain_jobs, user
from tests.services.test_registry_registration import member
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.registry import Household, Person
from webapp.domain.registry_imports import ImportStatus
from webapp.services.casework.people import register_person
from webapp.services.registry import importing
from webapp.services.registry.import_rows import MISSING_COLUMNS
from webapp.services.registry.importing import confirm_import, preview, problem_rows, upload_list

HEADER = (
    "household,relationship,name_km,name_latin,sex,date_of_birth,id_number,village,equity_card,disability"
)
GOOD = [
    "1,head,សុខ ចាន់,Sok Chan,male,1980-05-01,១៧០២០០០០១,17010101,poor_1,no",
    "1,spouse,កែវ ស្រីមុំ,Keo Sreymom,ស្រី,03/02/1984,170200002,17010101,poor_1,",
    "2,head,ចាន់ ធីតា,Chan Thida,female,1975-01-01,170200003,17010102,none,yes",
]


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode("utf-8")


def upload(session, content: bytes, filename: str = "register.csv", username: str = "ca.charchhuk"):
    return upload_list(session, actor=user(session, username), filename=filename, content=content)


def people(session) -> int:
    return session.scalar(select(func.count()).select_from(Person))


def test_a_clean_list_is_previewed_without_saving_then_imported_by_the_worker(session):
    before = people(session)
    checked = upload(session, csv_bytes(*GOOD))

    assert (checked.status, checked.total_rows, checked.valid_rows) == (ImportStatus.PREVIEWED, 3, 3)
    assert people(session) == before

    confirm_import(session, import_id=checked.id, actor=user(session, "ca.charchhuk"))
    drain_jobs(session)

    assert (checked.status, checked.processed_rows, checked.created_people) == (ImportStatus.DONE, 3, 3)
    head = session.scalar(select(Person).where(Person.id_number == "170200001"))  # Khmer digits in the file
    household = session.get(Household, head.membership.household_id)
    assert [m.person.name_latin for m in household.members] == ["Sok Chan", "Keo Sreymom"]


def test_every_problem_of_a_row_is_named_and_its_household_waits(session):
    rows = [
        "1,head,សុខ ចាន់,Sok Chan,male,1980-02-30,170200001,17010101,poor_1,no",  # no 30 February
        "1,spouse,កែវ ស្រីមុំ,Keo Sreymom,female,1984-02-03,170200002,17010101,poor_1,no",
        "2,head,,Chan Thida,other,1975-01-01,170200003,17010201,gold,maybe",  # village of Doun Peng
        "3,child,ចាន់ ដារ៉ា,Chan Dara,male,2015-01-01,170200004,17010101,none,no",  # no head
    ]
    checked = preview(upload(session, csv_bytes(*rows)))
    problems = {row.number: row.problems for row in checked.rows}

    assert problems[2] == ["The date of birth is not a real date (write it 1980-05-31 or 31/05/1980)."]
    assert problems[3] == [
        "Another row of this household has a problem: the household waits for the correction."
    ]
    assert set(problems[4]) == {
        "The name in Khmer is missing.",
        "Sex must be female or male.",
        "The village is not a village of your commune.",
        "Unknown equity card.",
        "Disability must be yes or no.",
    }
    assert problems[5] == ["The household has no head, or more than one."]
    assert checked.upload.valid_rows == 0
    with pytest.raises(InvalidInput):
        confirm_import(session, import_id=checked.upload.id, actor=user(session, "ca.charchhuk"))


def test_duplicates_are_found_in_the_registry_and_within_the_file(session):
    register_person(session, member(id_number="170200001").details, actor=user(session, "ca.charchhuk"))
    register_person(
        session,
        member(
            name_km="ចាន់ ធីតា",
            name_latin="Chan Thida",
            sex="female",
            date_of_birth=date(1975, 1, 1),
            id_number="999",
            village_code="17010102",
        ).details,
        actor=user(session, "ca.charchhuk"),
    )
    rows = [
        GOOD[0],
        GOOD[2].replace("Chan Thida", "Chan Thidaa"),  # a look-alike of a registered person
        "3,head,សុខ ចាន់,Sok Chan,male,1980-05-01,170200001,17010101,poor_1,no",  # the same ID again
    ]
    checked = preview(upload(session, csv_bytes(*rows)))
    by_number = {row.number: row for row in checked.rows}

    assert "This ID number is already registered to another person." in by_number[2].problems
    assert by_number[3].problems == [] and any("Chan Thida" in d for d in by_number[3].duplicates)
    assert "The same ID number is on another row of the file." in by_number[4].problems
    assert by_number[4].duplicates == ["#2"]


def test_an_xlsx_workbook_is_read_like_a_csv_file(session):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        [1, "head", "សុខ ចាន់", "Sok Chan", "male", date(1980, 5, 1), 170200001, 17010101, "poor_1", "no"]
    )
    out = io.BytesIO()
    book.save(out)

    checked = upload(session, out.getvalue(), filename="register.xlsx")

    assert (checked.total_rows, checked.valid_rows) == (1, 1)


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("register.csv", b"", "The file is empty."),
        ("register.pdf", b"%PDF-1.4", "Upload a CSV file or an Excel workbook (.xlsx)."),
        (
            "register.csv",
            "ឈ្មោះ".encode("utf-16"),
            "The CSV file is not UTF-8 text: save it again as CSV UTF-8.",
        ),
        (
            "register.xlsx",
            b"PK\x03\x04 not a workbook",
            "The Excel file cannot be read: save it again as an .xlsx workbook.",
        ),
        ("register.csv", b"name,age\nSok,30\n", MISSING_COLUMNS),
        ("register.csv", (HEADER + "\n").encode(), "The file has a header but no rows."),
        (
            "register.csv",
            csv_bytes(*GOOD * 1700),
            "The file has more than 5,000 rows: split it into several lists.",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_reason_and_nothing_is_kept(session, filename, content, message):
    with pytest.raises(InvalidInput) as refused:
        upload(session, content, filename=filename)
    assert refused.value.errors == {"file": [message]}


def test_only_a_commune_assistant_imports(session):
    with pytest.raises(PermissionDenied):
        upload(session, csv_bytes(*GOOD), username="ssdm.ac")


def test_the_worker_carries_on_where_a_previous_run_stopped(session, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK", 1)
    checked = upload(session, csv_bytes(*GOOD))
    confirm_import(session, import_id=checked.id, actor=user(session, "ca.charchhuk"))
    checked.processed_rows = 2  # the first household was committed before the worker stopped
    before = people(session)

    drain_jobs(session)

    assert (checked.status, checked.processed_rows, people(session) - before) == (ImportStatus.DONE, 3, 1)
    assert problem_rows(checked) == []
