"""Jurisdiction: which cases a user may see. Out-of-area records are not found, never forbidden."""

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User


def visible_cases(user: User) -> Select[Case]:
    """Cases inside the user's area; the area code prefix is the whole rule."""
    return select(Case).where(within(Case.area_code, user.scope_code))


def get_case(session: Session, *, case_id: int, user: User) -> Case:
    case = session.get(Case, case_id)
    if case is None or not user.covers(case.area_code):
        raise NotFound(N_("Case not found."))
    return case
