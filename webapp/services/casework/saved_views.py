"""Officers' saved views: the current filters and sort of a list kept under a name, applied again from the
list's own parsing (a stored query string is never trusted), visible to and usable by their owner only."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.errors import InvalidInput, NotFound
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.text import clean_text
from webapp.domain.views import VIEW_NAME_LENGTH, SavedView
from webapp.services.casework.listing import ListQuery, ListSpec, parse_query_string

VIEWS_PER_LIST = 20


def views_of(session: Session, *, user: User, spec: ListSpec) -> list[SavedView]:
    return list(
        session.scalars(
            select(SavedView)
            .where(SavedView.user_id == user.id, SavedView.list_name == spec.name)
            .order_by(SavedView.name, SavedView.id)
        )
    )


def save_view(session: Session, *, user: User, spec: ListSpec, name: str, query: str) -> SavedView:
    """Saves the filters and sort of `query` (parsed as the list parses a link) under `name`; a view of the
    same name is replaced."""
    name = " ".join(clean_text(name).split())
    if not name or len(name) > VIEW_NAME_LENGTH:
        raise InvalidInput({"name": [N_("Give the view a name of at most 60 characters.")]})
    listing = parse_query_string(spec, query)
    if not listing.args():
        raise InvalidInput({"name": [N_("Choose some filters or a sort before saving them as a view.")]})
    existing = session.scalar(
        select(SavedView).where(
            SavedView.user_id == user.id, SavedView.list_name == spec.name, SavedView.name == name
        )
    )
    if existing is not None:
        existing.query = listing.query_string()
        session.flush()
        return existing
    count = session.scalar(
        select(func.count())
        .select_from(SavedView)
        .where(SavedView.user_id == user.id, SavedView.list_name == spec.name)
    )
    if (count or 0) >= VIEWS_PER_LIST:
        raise InvalidInput({"name": [N_("You have 20 views of this list: delete one first.")]})
    view = SavedView(user_id=user.id, list_name=spec.name, name=name, query=listing.query_string())
    session.add(view)
    session.flush()
    return view


def get_view(session: Session, *, user: User, view_id: int, spec: ListSpec | None = None) -> SavedView:
    """One of the user's own views (of `spec`'s list when given); anyone else's is not found."""
    view = session.get(SavedView, view_id)
    if view is None or view.user_id != user.id or (spec is not None and view.list_name != spec.name):
        raise NotFound(N_("There is no such view."))
    return view


def apply_view(session: Session, *, user: User, view_id: int, spec: ListSpec) -> tuple[SavedView, ListQuery]:
    view = get_view(session, user=user, view_id=view_id, spec=spec)
    return view, parse_query_string(spec, view.query)


def delete_view(session: Session, *, user: User, view_id: int) -> SavedView:
    view = get_view(session, user=user, view_id=view_id)
    session.delete(view)
    session.flush()
    return view
