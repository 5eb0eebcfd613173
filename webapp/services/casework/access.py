"""Jurisdiction: which cases a user may see. Out-of-area records are not found, never forbidden."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.services.casework.families import family_of


def visible_cases(user: User) -> Select[Case]:
    """Cases inside the user's area; the area code prefix is the whole rule."""
    return select(Case).where(within(Case.area_code, user.scope_code))


def get_case(session: Session, *, case_id: int, user: User) -> Case:
    case = session.get(Case, case_id)
    if case is None or not user.covers(case.area_code):
        raise NotFound(N_("Case not found."))
    return case


def may_read_personal(session: Session, *, case: Case, viewer: User) -> bool:
    """Letters, documents and names of a case: the area rule, then the rule of the case's family (a
    confidential grievance's complainant, say). Every surface that shows personal content asks here."""
    if not viewer.active or not viewer.covers(case.area_code):
        return False
    family = family_of(case.process_id)
    if family is None or family.may_read_personal is None:
        return True
    return family.may_read_personal(session, case, viewer)
