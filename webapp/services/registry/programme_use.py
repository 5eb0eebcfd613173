"""Recording the use a person makes of a programme: its period, and the days worked or fed that count."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.domain.errors import InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.programme_use import COUNTED_DAYS, MAX_NOTE, ProgrammeUse
from webapp.domain.registry import Person, Programme
from webapp.domain.text import clean_text

# The officers who follow programmes on the ground: the commune, the district front and back offices.
RECORDERS = frozenset(
    {
        RoleName.COMMUNE_ASSISTANT,
        RoleName.DISTRICT_SSDM_ASSISTANT,
        RoleName.INTER_SECTOR_OFFICER,
        RoleName.BACK_OFFICE_SOCIAL_AFFAIRS,
        RoleName.BACK_OFFICE_HEALTH,
        RoleName.BACK_OFFICE_EDUCATION,
        RoleName.BACK_OFFICE_LABOUR,
        RoleName.BACK_OFFICE_RURAL_DEVELOPMENT,
    }
)
MAX_DAYS = 366


@dataclass(frozen=True)
class UseEntry:
    programme_code: str
    start_date: date
    end_date: date | None = None
    days: int | None = None
    note: str = ""


def record_programme_use(
    session: Session, *, person_id: int, entry: UseEntry, actor: User, today: date
) -> ProgrammeUse:
    """Adds one period of use; refused outside the officer's area, for a future start, or an end before it."""
    if actor.role not in RECORDERS:
        raise PermissionDenied(N_("Your role does not record the use of programmes."))
    person = session.get(Person, person_id)
    if person is None or not actor.covers(person.village_code):
        raise NotFound(N_("Person not found."))
    programme = session.get(Programme, entry.programme_code)
    errors = _problems(entry, programme, today)
    if errors:
        raise InvalidInput(errors)
    use = ProgrammeUse(
        person_id=person.id,
        programme_code=entry.programme_code,
        start_date=entry.start_date,
        end_date=entry.end_date,
        days=entry.days if entry.programme_code in COUNTED_DAYS else None,
        note=clean_text(entry.note).strip()[:MAX_NOTE],
        recorded_by_id=actor.id,
    )
    session.add(use)
    session.flush()
    return use


def uses_of(session: Session, person_ids: list[int]) -> list[ProgrammeUse]:
    if not person_ids:
        return []
    return list(
        session.scalars(
            select(ProgrammeUse)
            .where(ProgrammeUse.person_id.in_(person_ids))
            .order_by(ProgrammeUse.start_date.desc(), ProgrammeUse.id.desc())
        )
    )


def _problems(entry: UseEntry, programme: Programme | None, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if programme is None:
        errors["programme"] = [N_("Choose a programme from the list.")]
    if entry.start_date > today:
        errors["start_date"] = [N_("The start date cannot be in the future.")]
    if entry.end_date is not None and entry.end_date < entry.start_date:
        errors["end_date"] = [N_("The end date cannot be before the start date.")]
    if entry.days is not None and not 0 <= entry.days <= MAX_DAYS:
        errors["days"] = [N_("Give a number of days between 0 and 366.")]
    if entry.days is not None and entry.programme_code not in COUNTED_DAYS:
        errors["days"] = [N_("Days are counted only for public works and school feeding.")]
    return errors
