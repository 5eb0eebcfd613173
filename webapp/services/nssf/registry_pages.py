"""The NSSF registries as officers read them: enterprises and members of their area, newest first."""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.errors import PermissionDenied
from webapp.domain.nssf import Enterprise, Member
from webapp.domain.people import User
from webapp.domain.registry import Person
from webapp.services.nssf.records import READERS

PAGE = 100


def enterprises_page(session: Session, *, user: User, search: str = "") -> list[Enterprise]:
    if user.role not in READERS:
        raise PermissionDenied()
    query = select(Enterprise).where(within(Enterprise.area_code, user.scope_code))
    if search:
        pattern = f"%{search}%"
        query = query.where(
            or_(
                Enterprise.name_latin.ilike(pattern),
                Enterprise.name_km.like(pattern),
                Enterprise.employer_number == search,
                Enterprise.registration_number == search.upper(),
            )
        )
    return list(
        session.scalars(query.order_by(Enterprise.created_at.desc(), Enterprise.id.desc()).limit(PAGE))
    )


def members_page(session: Session, *, user: User, search: str = "") -> list[Member]:
    if user.role not in READERS:
        raise PermissionDenied()
    query = (
        select(Member)
        .join(Person, Person.id == Member.person_id)
        .where(within(Member.area_code, user.scope_code))
    )
    if search:
        pattern = f"%{search}%"
        query = query.where(
            or_(Person.name_latin.ilike(pattern), Person.id_number == search, Member.member_number == search)
        )
    return list(session.scalars(query.order_by(Member.id.desc()).limit(PAGE)))
