"""The registry's lists, one page at a time on the shared list machinery: change requests waiting for the
district, the district's duplicate review, referrals waiting for the commune, and an officer's imports."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, literal, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.khmer_names import to_ascii_digits
from webapp.domain.people import User
from webapp.domain.registry import ChangeStatus, Person, PersonChangeRequest, PersonDistinct
from webapp.domain.registry_imports import IMPORT_STATUSES, RegistryImport
from webapp.domain.tasks import OPEN as TASK_OPEN
from webapp.domain.tasks import Task
from webapp.services.casework.listing import (
    PAGE,
    AreaCode,
    Choice,
    Day,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    on_or_after,
    on_or_before,
    read_page,
)
from webapp.services.registry.duplicates import DuplicatePair, duplicate_pair
from webapp.services.registry.registration import PROCESS_ID, REGISTER_TASK


def _named(text: str) -> ColumnElement[bool]:
    """A person whose name (either script) or SPID holds the typed text."""
    digits = to_ascii_digits(text).replace(" ", "")
    return or_(
        Person.name_latin.icontains(text, autoescape=True),
        Person.name_km.contains(text, autoescape=True),
        Person.spid.contains(digits, autoescape=True) if digits.isdigit() else literal(False),
    )


CHANGE_LIST = ListSpec(
    name="registry_changes",
    filters={
        "q": Text(_named),
        "commune": AreaCode(lambda code: within(Person.village_code, code)),
        "from": Day(on_or_after(PersonChangeRequest.requested_at)),
        "to": Day(on_or_before(PersonChangeRequest.requested_at)),
    },
    sorts={
        "oldest": Sort((), keyset=(PersonChangeRequest.requested_at, PersonChangeRequest.id)),
        "newest": Sort(
            (), keyset=(PersonChangeRequest.requested_at, PersonChangeRequest.id), descending=True
        ),
    },
    default_sort="oldest",
    per_page=25,
)


def change_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """Change requests waiting in the user's area, oldest first unless sorted otherwise."""
    query = (
        select(PersonChangeRequest)
        .join(Person, Person.id == PersonChangeRequest.person_id)
        .where(
            PersonChangeRequest.status == ChangeStatus.PENDING, within(Person.village_code, user.scope_code)
        )
    )
    return read_page(session, query, listing, now=now)


REFERRAL_LIST = ListSpec(
    name="registry_referrals",
    filters={
        "q": Text(lambda text: Case.reference.contains(to_ascii_digits(text).upper(), autoescape=True)),
        "village": AreaCode(lambda code: within(Case.area_code, code)),
        "from": Day(on_or_after(Task.created_at)),
        "to": Day(on_or_before(Task.created_at)),
    },
    sorts={
        "oldest": Sort((), keyset=(Task.created_at, Task.id)),
        "newest": Sort((), keyset=(Task.created_at, Task.id), descending=True),
    },
    default_sort="oldest",
    per_page=20,
)


def _waiting_referrals(user: User) -> Select[Task]:
    return (
        select(Task)
        .join(Case, Case.id == Task.case_id)
        .where(
            Case.process_id == PROCESS_ID,
            Task.spec_name == REGISTER_TASK,
            Task.status == TASK_OPEN,
            within(Case.area_code, user.scope_code),
        )
    )


def waiting_referral(session: Session, *, user: User, task_id: int) -> Task | None:
    """One referral still waiting in the user's area (None when it is another's, done or unknown)."""
    return session.scalar(_waiting_referrals(user).where(Task.id == task_id))


def referral_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """Referrals the commune has not registered yet: open `register_household` steps in the user's area."""
    query = _waiting_referrals(user)
    return read_page(session, query, listing, now=now)


IMPORT_LIST = ListSpec(
    name="registry_imports",
    filters={
        "q": Text(lambda text: RegistryImport.filename.icontains(text, autoescape=True)),
        "status": Choice(tuple(IMPORT_STATUSES), lambda status: RegistryImport.status == status),
        "from": Day(on_or_after(RegistryImport.created_at)),
        "to": Day(on_or_before(RegistryImport.created_at)),
    },
    sorts={"newest": Sort((), keyset=(RegistryImport.created_at, RegistryImport.id), descending=True)},
    default_sort="newest",
    per_page=20,
)


def import_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    """The lists this officer uploaded, newest first."""
    query = select(RegistryImport).where(RegistryImport.uploaded_by_id == user.id)
    return read_page(session, query, listing, now=now)


# The duplicate review: a pair is tied by its ID number, its Khmer name key or its Latin name key (each with
# the same date of birth). Each tie is its own indexed join; their union is paged in SQL, newest record first.
TIES = ("id_number", "name_km", "name_latin")
_FIRST, _SECOND = aliased(Person), aliased(Person)


def _tie_condition(tie: str) -> ColumnElement[bool]:
    if tie == "id_number":
        return _FIRST.id_number == _SECOND.id_number
    key = "name_km_key" if tie == "name_km" else "name_latin_key"
    return and_(getattr(_FIRST, key) == getattr(_SECOND, key), _FIRST.date_of_birth == _SECOND.date_of_birth)


def _tied(tie: str, scope_code: str) -> Select[int, int, str, str]:
    distinct = select(PersonDistinct.id).where(
        PersonDistinct.first_id == _FIRST.id, PersonDistinct.second_id == _SECOND.id
    )
    return select(
        _FIRST.id.label("first_id"),
        _SECOND.id.label("second_id"),
        _SECOND.village_code.label("village_code"),
        literal(tie).label("tie"),
    ).where(
        _FIRST.id < _SECOND.id,
        _tie_condition(tie),
        _FIRST.merged_into_id.is_(None),
        _SECOND.merged_into_id.is_(None),
        within(_FIRST.village_code, scope_code),
        within(_SECOND.village_code, scope_code),
        ~distinct.exists(),
    )


DUPLICATE_LIST = ListSpec(
    name="registry_duplicates",
    filters={
        "tie": Choice(TIES, lambda tie: literal(True)),  # chooses the joins read, not a condition
        "commune": AreaCode(lambda code: literal(True)),  # applied on the union below
    },
    sorts={"newest": Sort(())},
    default_sort="newest",
    per_page=20,
)


def duplicate_page(session: Session, *, user: User, listing: ListQuery) -> Page[DuplicatePair]:
    """One page of the pairs of live records of the user's area that look like one person, leaving out pairs
    found distinct; the newest record's pairs first, since a registration that looks like an old one waits."""
    ties = [listing.values["tie"]] if "tie" in listing.values else list(TIES)
    union = union_all(*(_tied(tie, user.scope_code) for tie in ties)).subquery()
    query = select(union.c.first_id, union.c.second_id).distinct()
    if "commune" in listing.values:
        query = query.where(within(union.c.village_code, listing.values["commune"]))
    size = listing.per_page
    ids = session.execute(
        query.order_by(union.c.second_id.desc(), union.c.first_id.desc())
        .offset(listing.page * size)
        .limit(size + 1)
    ).all()
    people = {
        p.id: p for p in session.scalars(select(Person).where(Person.id.in_({i for row in ids for i in row})))
    }
    pairs = [duplicate_pair(people[first], people[second]) for first, second in ids[:size]]
    following = {PAGE: str(listing.page + 1)} if len(ids) > size else None
    return Page(pairs, following, {PAGE: str(listing.page - 1)} if listing.page else None)
