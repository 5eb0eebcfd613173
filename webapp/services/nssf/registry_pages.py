"""The NSSF registries as officers read them: enterprises and members of their area, one page at a time on the
shared list machinery, newest first, filtered by name or number, area, registration source, status, employer,
scheme and kind of member."""

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import Area, within
from webapp.domain.errors import PermissionDenied
from webapp.domain.khmer_names import to_ascii_digits
from webapp.domain.nssf import (
    REGISTRATION_SOURCES,
    SCHEMES,
    Enterprise,
    EnterpriseStatus,
    Member,
    MemberKind,
    MemberStatus,
)
from webapp.domain.people import User
from webapp.domain.registry import Person
from webapp.services.casework.listing import (
    AreaCode,
    Choice,
    Condition,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    read_page,
)
from webapp.services.nssf.records import READERS

PER_PAGE = 25


def _enterprise_text(text: str) -> Condition:
    number = to_ascii_digits(text)
    return or_(
        Enterprise.name_latin.icontains(text, autoescape=True),
        Enterprise.name_km.contains(text, autoescape=True),
        Enterprise.employer_number == number.upper(),
        Enterprise.registration_number == number.upper(),
    )


def _member_text(text: str) -> Condition:
    number = to_ascii_digits(text)
    return or_(
        Person.name_latin.icontains(text, autoescape=True),
        Person.name_km.contains(text, autoescape=True),
        Person.id_number == number,
        Member.member_number == number.upper(),
    )


def _employer(text: str) -> Condition:
    """The member's enterprise by employer number, registration number or name."""
    number = to_ascii_digits(text).upper()
    return Member.enterprise.has(
        or_(
            Enterprise.employer_number == number,
            Enterprise.registration_number == number,
            Enterprise.name_latin.icontains(text, autoescape=True),
            Enterprise.name_km.contains(text, autoescape=True),
        )
    )


ENTERPRISE_LIST = ListSpec(
    name="nssf_enterprises",
    filters={
        "q": Text(_enterprise_text),
        "area": AreaCode(lambda code: within(Enterprise.area_code, code)),
        "source": Choice(tuple(REGISTRATION_SOURCES), lambda key: Enterprise.registration_source == key),
        "status": Choice(tuple(EnterpriseStatus), lambda status: Enterprise.status == status),
    },
    sorts={"newest": Sort((), keyset=(Enterprise.created_at, Enterprise.id), descending=True)},
    default_sort="newest",
    per_page=PER_PAGE,
)

MEMBER_LIST = ListSpec(
    name="nssf_members",
    filters={
        "q": Text(_member_text),
        "area": AreaCode(lambda code: within(Member.area_code, code)),
        "enterprise": Text(_employer),
        "scheme": Choice(tuple(SCHEMES), lambda key: Member.schemes.contains(key, autoescape=True)),
        "kind": Choice(tuple(MemberKind), lambda kind: Member.kind == kind),
        "status": Choice(tuple(MemberStatus), lambda status: Member.status == status),
    },
    sorts={"newest": Sort((), keyset=(Member.created_at, Member.id), descending=True)},
    default_sort="newest",
    per_page=PER_PAGE,
)


def enterprises_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    if user.role not in READERS:
        raise PermissionDenied()
    query = select(Enterprise).where(within(Enterprise.area_code, user.scope_code))
    return read_page(session, query, listing, now=now)


def members_page(session: Session, *, user: User, listing: ListQuery, now: datetime) -> Page[Any]:
    if user.role not in READERS:
        raise PermissionDenied()
    query = (
        select(Member)
        .join(Person, Person.id == Member.person_id)
        .where(within(Member.area_code, user.scope_code))
    )
    return read_page(session, query, listing, now=now)


def area_choices(session: Session, *, user: User) -> list[tuple[str, str, str]]:
    """The provinces and districts of the reader's area, for the registries' area filter: (code, Khmer
    name, Latin name), provinces before their districts."""
    query = select(Area.code, Area.name_km, Area.name_latin).where(
        func.length(Area.code).in_((2, 4)), within(Area.code, user.scope_code)
    )
    return [(code, km, latin) for code, km, latin in session.execute(query.order_by(Area.code))]
