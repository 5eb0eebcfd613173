"""Declaring members: employees of a registered enterprise (one by one, or a CSV list of thousands checked row
by row first) or a self-employed worker; the national ID check; member numbers and cards on approval.

A member is a person of Sala's registry: a national ID already there is reused (never typed twice), one
registered to another name is refused for that row, and a row that looks like a registered person (the
registry's duplicate check) is flagged. The national ID check runs afterwards in the worker (nssf.checks)."""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from webapp.domain.areas import Area, AreaLevel
from webapp.domain.cases import Case, Outcome
from webapp.domain.clock import local_today
from webapp.domain.errors import InvalidInput, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.nssf import (
    EMPLOYEE_SCHEMES,
    SCHEMES,
    SELF_EMPLOYED_SCHEMES,
    Enterprise,
    EnterpriseStatus,
    Member,
    MemberKind,
    MemberStatus,
)
from webapp.domain.people import User
from webapp.domain.registry import (
    SEXES,
    Household,
    HouseholdMember,
    Person,
    PersonVersion,
    Relationship,
    person_snapshot,
)
from webapp.domain.spid import make_spid
from webapp.engine import ProcessEngine
from webapp.letters import Recipient
from webapp.services.casework.cases import CaseOpening, open_case
from webapp.services.casework.events import record_event
from webapp.services.casework.kept_totals import count_new_people
from webapp.services.casework.people import SPID_SCOPE, PersonDetails, index_names
from webapp.services.casework.person_matches import name_keys, possible_duplicates_among
from webapp.services.correspondence.letters import queue_letter
from webapp.services.nssf.records import MEMBER_PROCESS, OFFICERS, reserve_block, reserve_numbers
from webapp.services.platform.bulk import insert_rows, insert_rows_with_ids

COLUMNS = (
    "national_id",
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "village_code",
    "start_date",
    "schemes",
)
MAX_ROWS = 20_000
ID_PATTERN = re.compile(r"^[0-9]{9,12}$")
CHUNK = 500  # IN-lists stay well under every database's parameter limit
LOOKS_REGISTERED = N_(
    "This person may already be in the registry under another ID number (the same name with the same date "
    "of birth or village): check the registry's record before declaring them."
)


@dataclass(frozen=True)
class MemberRow:
    national_id: str
    name_km: str
    name_latin: str
    sex: str
    date_of_birth: date
    village_code: str
    start_date: date | None
    schemes: tuple[str, ...]

    def person_details(self) -> PersonDetails:
        """The row as the registry's person details (matched against the registry, then registered)."""
        return PersonDetails(
            name_km=self.name_km,
            name_latin=self.name_latin,
            sex=self.sex,
            date_of_birth=self.date_of_birth,
            id_kind="national_id",
            id_number=self.national_id,
            village_code=self.village_code,
        )


@dataclass
class RowReport:
    line: int
    row: MemberRow | None
    errors: list[str] = field(default_factory=list)
    duplicate: str = ""  # why this person is flagged: already a member, or twice in the list
    person_id: int | None = None


@dataclass(frozen=True)
class ListReport:
    rows: list[RowReport]

    @property
    def good(self) -> list[RowReport]:
        return [row for row in self.rows if not row.errors and not row.duplicate]

    @property
    def bad(self) -> list[RowReport]:
        return [row for row in self.rows if row.errors or row.duplicate]


def check_list(session: Session, *, text: str, actor: User, kind: str = MemberKind.EMPLOYEE) -> ListReport:
    """Every row checked (fields, area, the person in the registry, duplicates); nothing is stored."""
    if actor.role not in OFFICERS:
        raise PermissionDenied(N_("Only an NSSF registration officer can declare members."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not set(COLUMNS[:7]) <= {name.strip() for name in reader.fieldnames}:
        raise InvalidInput({"file": [N_("The list must have the columns of the model file.")]})
    reports: list[RowReport] = []
    for line, raw in enumerate(reader, start=2):
        if len(reports) >= MAX_ROWS:
            raise InvalidInput({"file": [N_("A list may have at most 20,000 rows.")]})
        reports.append(
            _parse(line, {key.strip(): (value or "").strip() for key, value in raw.items() if key}, kind)
        )
    _check_areas(session, reports, actor)
    _check_registry(session, reports)
    _check_look_alikes(session, reports)
    return ListReport(reports)


def _parse(line: int, raw: Mapping[str, str], kind: str) -> RowReport:
    errors = []
    national_id = raw.get("national_id", "")
    if not ID_PATTERN.match(national_id):
        errors.append(N_("The national ID number must have 9 to 12 digits."))
    if not raw.get("name_km") or not raw.get("name_latin"):
        errors.append(N_("Give the name in Khmer and in Latin letters."))
    if raw.get("sex") not in SEXES:
        errors.append(N_("Sex must be female or male."))
    born = _date(raw.get("date_of_birth", ""))
    if born is None:
        errors.append(N_("The date of birth must be written YYYY-MM-DD."))
    start = _date(raw.get("start_date", ""))
    if kind == MemberKind.EMPLOYEE and start is None:
        errors.append(N_("The start of employment must be written YYYY-MM-DD."))
    default = EMPLOYEE_SCHEMES if kind == MemberKind.EMPLOYEE else SELF_EMPLOYED_SCHEMES
    schemes = tuple(s.strip() for s in (raw.get("schemes") or "").replace(";", ",").split(",") if s.strip())
    if any(scheme not in SCHEMES for scheme in schemes):
        errors.append(N_("Unknown scheme: use occupational_risk, health_care, pension or voluntary_health."))
    if errors or born is None:
        return RowReport(line, None, errors)
    row = MemberRow(
        national_id=national_id,
        name_km=raw["name_km"][:120],
        name_latin=raw["name_latin"][:120],
        sex=raw["sex"],
        date_of_birth=born,
        village_code=raw.get("village_code", ""),
        start_date=start,
        schemes=schemes or default,
    )
    return RowReport(line, row)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _check_areas(session: Session, reports: Sequence[RowReport], actor: User) -> None:
    codes = {r.row.village_code for r in reports if r.row is not None}
    villages = set()
    for chunk in _chunks(sorted(codes)):
        villages |= set(
            session.scalars(select(Area.code).where(Area.code.in_(chunk), Area.level == AreaLevel.VILLAGE))
        )
    for report in reports:
        if report.row is not None and (
            report.row.village_code not in villages or not actor.covers(report.row.village_code)
        ):
            report.errors.append(N_("The village code is not a village of your area."))


def _check_registry(session: Session, reports: Sequence[RowReport]) -> None:
    """Once-only: an ID in the registry is that person (or an error if the name differs); an active member
    is flagged, and so is an ID that appears twice in the list."""
    rows = [r for r in reports if r.row is not None and not r.errors]
    ids = [r.row.national_id for r in rows if r.row is not None]
    people: dict[str, Person] = {}
    members: set[int] = set()
    for chunk in _chunks(ids):
        for person in session.scalars(
            select(Person).where(Person.id_kind == "national_id", Person.id_number.in_(chunk))
        ):
            people[person.id_number] = person
    for chunk in _chunks([p.id for p in people.values()]):
        members |= set(
            session.scalars(
                select(Member.person_id).where(
                    Member.person_id.in_(chunk),
                    Member.status != MemberStatus.REJECTED,
                    Member.end_date.is_(None),
                )
            )
        )
    seen: set[str] = set()
    for report in rows:
        assert report.row is not None
        national_id = report.row.national_id
        known = people.get(national_id)
        if national_id in seen:
            report.duplicate = N_("This ID appears twice in the list.")
        seen.add(national_id)
        if known is None:
            continue
        if known.name_latin.casefold() != report.row.name_latin.casefold():
            report.errors.append(N_("This ID number is already registered to another person."))
        elif known.id in members:
            report.duplicate = N_("Already an NSSF member.")
        report.person_id = known.id


def _check_look_alikes(session: Session, reports: Sequence[RowReport]) -> None:
    """A person new to the registry by ID number may still be there under another number or none: the
    registry's own duplicate check (name keys with the date of birth or village) flags the row."""
    rows = [
        r for r in reports if r.row is not None and not r.errors and not r.duplicate and r.person_id is None
    ]
    details = [r.row.person_details() for r in rows if r.row is not None]
    for report, matches in zip(rows, possible_duplicates_among(session, details, limit=1), strict=True):
        if matches:
            report.duplicate = LOOKS_REGISTERED


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def declare_employees(
    session: Session,
    *,
    engine: ProcessEngine,
    actor: User,
    employer_number: str,
    report: ListReport,
    today: date,
) -> Case:
    """The officer confirmed the list: its good rows become the declared members of one case."""
    enterprise = session.scalar(
        select(Enterprise).where(Enterprise.employer_number == employer_number.strip())
    )
    if (
        enterprise is None
        or enterprise.status != EnterpriseStatus.REGISTERED
        or not actor.covers(enterprise.area_code)
    ):
        raise InvalidInput({"employer_number": [N_("No registered enterprise has this employer number.")]})
    return _declare(
        session, engine, actor, report, enterprise, MemberKind.EMPLOYEE, enterprise.area_code, today
    )


def register_self_employed(
    session: Session, *, engine: ProcessEngine, actor: User, report: ListReport, today: date
) -> Case:
    """A self-employed or informal worker registers for voluntary health care: one row, checked alike."""
    if len(report.rows) != 1 or report.bad:
        raise InvalidInput({"national_id": [N_("Correct the worker's details first.")]})
    row = report.rows[0].row
    assert row is not None
    return _declare(session, engine, actor, report, None, MemberKind.SELF_EMPLOYED, row.village_code, today)


def _declare(
    session: Session,
    engine: ProcessEngine,
    actor: User,
    report: ListReport,
    enterprise: Enterprise | None,
    kind: str,
    area_code: str,
    today: date,
) -> Case:
    if actor.role not in OFFICERS:
        raise PermissionDenied(N_("Only an NSSF registration officer can declare members."))
    good = report.good
    if not good:
        raise InvalidInput({"file": [N_("No row of the list can be imported.")]})
    opening = _declaration_opening(len(good), enterprise, kind, area_code, today)
    case = open_case(session, engine, opening=opening, actor=actor, created_by_id=actor.id).case
    person_ids = _people(session, good, actor)
    insert_rows(session, Member, _member_rows(good, person_ids, enterprise, kind, case))
    record_event(
        session,
        case=case,
        kind="members_declared",
        actor=actor,
        after={"imported": len(good), "left_out": len(report.bad)},
    )
    return case


def _declaration_opening(
    count: int, enterprise: Enterprise | None, kind: str, area_code: str, today: date
) -> CaseOpening:
    """The declaration's case: how many members, of which enterprise. Every ID waits for the worker's check
    (nssf.checks); until it answers, they count as unverified."""
    return CaseOpening(
        process_id=MEMBER_PROCESS,
        reference_prefix="NSM",
        area_code=area_code,
        today=today,
        data={"ids_unverified": True, "member_count": count, "kind": kind},
        opened={
            "members": count,
            "enterprise": enterprise.name_latin if enterprise else "",
            "kind": kind,
        },
    )


def _member_rows(
    good: Sequence[RowReport],
    person_ids: Mapping[str, int],
    enterprise: Enterprise | None,
    kind: str,
    case: Case,
) -> list[dict[str, Any]]:
    """One declared member per good row of the list; its ID check is left to the worker."""
    return [
        {
            "person_id": person_ids[r.row.national_id],
            "enterprise_id": enterprise.id if enterprise else None,
            "kind": kind,
            "start_date": r.row.start_date,
            "schemes": ",".join(r.row.schemes),
            "status": MemberStatus.DECLARED,
            "area_code": r.row.village_code,
            "case_id": case.id,
            "id_check": "",
        }
        for r in good
        if r.row is not None
    ]


def _people(session: Session, rows: Sequence[RowReport], actor: User) -> dict[str, int]:
    """The registry's person for each row: the one found by the check, or a new one registered in bulk the way
    the core registers one person (a SPID, name keys, a household they head, version 1 of the record)."""
    found = {r.row.national_id: r.person_id for r in rows if r.row is not None and r.person_id is not None}
    details = [r.row.person_details() for r in rows if r.row is not None and r.person_id is None]
    for person in _register_people(session, details, actor):
        found[person.id_number] = person.id
    return {key: value for key, value in found.items() if value is not None}


def _register_people(session: Session, details: Sequence[PersonDetails], actor: User) -> list[Person]:
    """Bulk statements (a few round trips for thousands of people), each record built by the registry's own
    rules: Person.set_names for the name keys, person_snapshot for version 1."""
    people = _new_people(session, details)
    columns = [column.key for column in Person.__table__.columns if column.key not in ("id",)]
    rows = [{key: getattr(p, key) for key in columns if getattr(p, key) is not None} for p in people]
    person_ids = insert_rows_with_ids(session, Person, rows)
    count_new_people(session, people)  # the monitoring report's population
    household_ids = insert_rows_with_ids(
        session,
        Household,
        [{"village_code": p.village_code, "head_id": pid} for p, pid in zip(people, person_ids, strict=True)],
    )
    memberships = [
        {"household_id": hid, "person_id": pid, "relationship_to_head": Relationship.HEAD}
        for hid, pid in zip(household_ids, person_ids, strict=True)
    ]
    insert_rows(session, HouseholdMember, memberships)
    insert_rows(session, PersonVersion, _first_versions(people, person_ids, memberships, actor))
    index_names(session, people, new=True)
    return people


def _new_people(session: Session, details: Sequence[PersonDetails]) -> list[Person]:
    """Unsaved records, each with a SPID from its province's block reserved in one statement, and the name
    keys `Person.set_names` would give (worked out once per spelling, by the duplicate check already)."""
    spids: dict[str, Iterator[int]] = {}
    for province in sorted({d.village_code[:2] for d in details}):
        count = sum(1 for d in details if d.village_code[:2] == province)
        spids[province] = iter(
            reserve_block(session, scope=SPID_SCOPE.format(province=province), count=count)
        )
    people = []
    for entry in details:
        values = entry.fields()
        km_key, latin_key = name_keys(values["name_km"], values["name_latin"])
        person = Person(
            spid=make_spid(entry.village_code[:2], next(spids[entry.village_code[:2]])),
            version=1,
            name_km_key=km_key,
            name_latin_key=latin_key,
            **values,
        )
        people.append(person)
    return people


def _first_versions(
    people: Sequence[Person], person_ids: Sequence[int], memberships: Sequence[dict[str, Any]], actor: User
) -> list[dict[str, Any]]:
    """Version 1 of each new record, taken once its id and household membership are known."""
    versions = []
    for person, pid, membership in zip(people, person_ids, memberships, strict=True):
        person.id = pid
        set_committed_value(person, "membership", HouseholdMember(**membership))
        snapshot = json.dumps(person_snapshot(person), ensure_ascii=False, sort_keys=True)
        versions.append(
            {
                "person_id": pid,
                "version": 1,
                "data_json": snapshot,
                "reason": "Registered with NSSF",
                "changed_by_id": actor.id,
            }
        )
    return versions


def case_members(session: Session, case: Case) -> list[Member]:
    return list(session.scalars(select(Member).where(Member.case_id == case.id).order_by(Member.id)))


def close_declaration(session: Session, case: Case, data: Mapping[str, Any], actor: User | None) -> None:
    """Approval registers every declared member of the case: numbers in one reservation, a card for each."""
    today = local_today()
    members = case_members(session, case)
    if case.outcome != Outcome.APPROVED:
        session.execute(update(Member).where(Member.case_id == case.id).values(status=MemberStatus.REJECTED))
        return
    numbers = reserve_numbers(
        session, prefix="MBR", province=case.area_code[:2], year=today.year, count=len(members)
    )
    session.execute(
        update(Member),
        [
            {"id": m.id, "member_number": n, "status": MemberStatus.REGISTERED, "registered_on": today}
            for m, n in zip(members, numbers, strict=True)
        ],
    )
    record_event(session, case=case, kind="members_registered", actor=actor, after={"members": len(members)})
    for member, number in zip(members, numbers, strict=True):
        fields = {
            "member_number": number,
            "member_since": today,
            "schemes": [SCHEMES[key] for key in member.scheme_list if key in SCHEMES],
            "employer": member.enterprise.name_latin if member.enterprise else "",
            "employer_km": member.enterprise.name_km if member.enterprise else "",
        }
        queue_letter(
            session,
            case=case,
            key="nssf_member_card",
            fields=fields,
            actor=actor,
            today=today,
            recipient=Recipient(member.person.name_km, member.person.name_latin, ()),
        )
