"""Importing an existing list of households (a commune's paper register typed into a spreadsheet): upload,
a preview of every row's problems and possible duplicates, nothing saved until the officer confirms, then the
worker registers the households in chunks, each chunk committed, so the page can show the progress."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, AreaLevel, within
from webapp.domain.base import utcnow
from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.khmer_names import khmer_key, latin_key
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.registry import Household, Relationship
from webapp.domain.registry_imports import ImportStatus, RegistryImport
from webapp.domain.spid import format_spid
from webapp.services.casework.people import PersonDetails, find_by_identity, register_person
from webapp.services.casework.person_matches import possible_duplicates
from webapp.services.platform.jobs import WorkerContext, enqueue
from webapp.services.registry.import_rows import Row, check_row, read_table

IMPORT_JOB = "import_household_list"
IMPORTER_ROLE = RoleName.COMMUNE_ASSISTANT
CHUNK = 50  # households registered per commit
NO_HEAD = N_("The household has no head, or more than one.")
SAME_ID_IN_FILE = N_("The same ID number is on another row of the file.")
OTHER_ROW = N_("Another row of this household has a problem: the household waits for the correction.")
ALREADY_REGISTERED = N_("This ID number is already registered to another person.")


@dataclass(frozen=True)
class Preview:
    upload: RegistryImport
    rows: list[Row]

    @property
    def households(self) -> int:
        return len({row.values["household"] for row in self.rows if not row.problems})


def upload_list(session: Session, *, actor: User, filename: str, content: bytes) -> RegistryImport:
    """Reads and checks the file; stores the checked rows for the preview. Nothing is registered yet."""
    if actor.role != IMPORTER_ROLE or actor.area_code is None:
        raise PermissionDenied(N_("Only a commune assistant imports a list of households."))
    raw_rows = read_table(filename, content)
    villages = set(
        session.scalars(
            select(Area.code).where(Area.level == AreaLevel.VILLAGE, within(Area.code, actor.scope_code))
        )
    )
    rows = [check_row(index + 2, raw, villages=villages) for index, raw in enumerate(raw_rows)]
    _check_households(rows)
    _check_duplicates(session, rows)
    _hold_incomplete_households(rows)
    upload = RegistryImport(
        filename=filename[-200:],
        commune_code=actor.scope_code,
        uploaded_by_id=actor.id,
        status=ImportStatus.PREVIEWED,
        rows_json=json.dumps([_stored(row) for row in rows], ensure_ascii=False, default=str),
        total_rows=len(rows),
        valid_rows=sum(1 for row in rows if not row.problems),
        processed_rows=0,
        created_people=0,
    )
    session.add(upload)
    session.flush()
    return upload


def get_import(session: Session, *, import_id: int, user: User) -> RegistryImport:
    upload = session.get(RegistryImport, import_id)
    if upload is None or upload.uploaded_by_id != user.id:
        raise NotFound(N_("Import not found."))
    return upload


def preview(upload: RegistryImport) -> Preview:
    return Preview(upload=upload, rows=[_revived(item) for item in json.loads(upload.rows_json)])


def confirm_import(session: Session, *, import_id: int, actor: User) -> RegistryImport:
    """The officer has read the preview: the worker registers the valid households from here."""
    upload = get_import(session, import_id=import_id, user=actor)
    if upload.status != ImportStatus.PREVIEWED:
        raise InvalidInput({"import": [N_("This list was already imported or cancelled.")]})
    if upload.valid_rows == 0:
        raise InvalidInput(
            {"import": [N_("No row of this list can be imported: correct the file and upload it again.")]}
        )
    upload.status = ImportStatus.IMPORTING
    enqueue(session, kind=IMPORT_JOB, payload={"import_id": upload.id})
    return upload


def cancel_import(session: Session, *, import_id: int, actor: User) -> RegistryImport:
    upload = get_import(session, import_id=import_id, user=actor)
    if upload.status == ImportStatus.PREVIEWED:
        upload.status = ImportStatus.CANCELLED
    return upload


def run_import(session: Session, payload: Mapping[str, Any], context: WorkerContext) -> dict[str, int]:
    """The worker's side: registers the valid households chunk by chunk, from where a previous run stopped."""
    upload = session.get(RegistryImport, int(payload["import_id"]))
    if upload is None or upload.status != ImportStatus.IMPORTING:
        return {"created": 0}
    actor = session.get(User, upload.uploaded_by_id)
    groups = _households(preview(upload).rows)
    done = upload.processed_rows
    pending = groups[_groups_done(groups, done) :]
    for start in range(0, len(pending), CHUNK):
        for group in pending[start : start + CHUNK]:
            upload.created_people += _register(session, group, actor)
            upload.processed_rows += len(group)
        session.flush()
        context.checkpoint({"import_id": upload.id, "processed_rows": upload.processed_rows})
    upload.status = ImportStatus.DONE
    upload.finished_at = utcnow()
    return {"created": upload.created_people}


def problem_rows(upload: RegistryImport) -> list[Row]:
    """The rows that will not be imported, with their problems: the error report."""
    return [row for row in preview(upload).rows if row.problems]


def _register(session: Session, group: list[Row], actor: User | None) -> int:
    """One household: the head first. A person registered since the preview (same ID) is left as is."""
    group = sorted(group, key=lambda row: row.values["relationship"] != Relationship.HEAD)
    household: Household | None = None
    created = 0
    for row in group:
        details = _details(row)
        if find_by_identity(session, id_kind=details.id_kind, id_number=details.id_number) is not None:
            continue
        relationship = row.values["relationship"] if household is not None else Relationship.HEAD
        person = register_person(
            session,
            details,
            actor=actor,
            household=household,
            relationship=relationship,
            reason="Imported list",
        )
        if household is None and person.membership is not None:
            household = session.get(Household, person.membership.household_id)
        created += 1
    return created


def _groups_done(groups: list[list[Row]], processed_rows: int) -> int:
    count = total = 0
    for group in groups:
        if total >= processed_rows:
            break
        total += len(group)
        count += 1
    return count


def _households(rows: list[Row]) -> list[list[Row]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if not row.problems:
            groups.setdefault(row.values["household"], []).append(row)
    return list(groups.values())


def _check_households(rows: list[Row]) -> None:
    heads: dict[str, int] = {}
    for row in rows:
        if row.values.get("relationship") == Relationship.HEAD:
            heads[row.values["household"]] = heads.get(row.values["household"], 0) + 1
    for row in rows:
        if row.values.get("household") and heads.get(row.values["household"], 0) != 1:
            row.problems.append(NO_HEAD)


def _hold_incomplete_households(rows: list[Row]) -> None:
    """A household is imported whole or not at all: one bad row holds back the others."""
    held = {row.values["household"] for row in rows if row.problems}
    for row in rows:
        if not row.problems and row.values["household"] in held:
            row.problems.append(OTHER_ROW)


def _check_duplicates(session: Session, rows: list[Row]) -> None:
    """Within the file (the same ID twice is refused; the same name and birth date is a warning) and against
    the registry (the same ID is refused; look-alikes are warnings)."""
    by_id: dict[str, int] = {}
    by_name: dict[tuple[str, str, Any], int] = {}
    for row in rows:
        number = row.values.get("id_number")
        if number and number in by_id:
            row.problems.append(SAME_ID_IN_FILE)
        elif number:
            by_id[number] = row.number
        name = (
            khmer_key(row.values["name_km"]),
            latin_key(row.values["name_latin"]),
            row.values["date_of_birth"],
        )
        if name in by_name and row.values["date_of_birth"] is not None:
            row.duplicates.append(f"#{by_name[name]}")
        else:
            by_name[name] = row.number
        if row.problems or row.values["date_of_birth"] is None:
            continue
        for match in possible_duplicates(session, _details(row), limit=3):
            if number and match.person.id_number == number:
                row.problems.append(ALREADY_REGISTERED)
            row.duplicates.append(f"{format_spid(match.person.spid)} {match.person.name_latin}")


def _details(row: Row) -> PersonDetails:
    values = row.values
    return PersonDetails(
        name_km=values["name_km"],
        name_latin=values["name_latin"],
        sex=values["sex"],
        date_of_birth=values["date_of_birth"],
        id_kind=values["id_kind"] or "national_id",
        id_number=values["id_number"],
        village_code=values["village"],
        equity_card=values["equity_card"] or "none",
        disability=bool(values["disability"]),
        phone=values["phone"] or None,
        occupation=values["occupation"] or None,
        family_book_number=values["family_book_number"] or None,
    )


def _stored(row: Row) -> dict[str, Any]:
    return {
        "number": row.number,
        "raw": row.raw,
        "values": row.values,
        "problems": row.problems,
        "duplicates": row.duplicates,
    }


def _revived(item: dict[str, Any]) -> Row:
    values = dict(item["values"])
    if values.get("date_of_birth"):
        values["date_of_birth"] = date.fromisoformat(values["date_of_birth"])
    return Row(
        number=item["number"],
        raw=item["raw"],
        values=values,
        problems=item["problems"],
        duplicates=item["duplicates"],
    )
