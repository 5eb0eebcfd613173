"""The letters of an area, to hand out: filtered and sorted in SQL one page at a time, and several marked
delivered at once, each through `mark_delivered` and its checks."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from webapp.domain.areas import within
from webapp.domain.cases import Case
from webapp.domain.errors import DomainError, InvalidInput, NotFound
from webapp.domain.khmer_names import to_ascii_digits
from webapp.domain.letters import DELIVERY_METHODS, LETTER_TYPES, Letter
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.services.casework.access import may_read_personal
from webapp.services.casework.bulk import NOT_FOUND, BulkOutcome, each
from webapp.services.casework.listing import (
    AreaCode,
    Choice,
    Day,
    ListQuery,
    ListSpec,
    Page,
    Sort,
    Text,
    parse_list,
    read_page,
)
from webapp.services.correspondence.letters import check_may_handle, get_letter, mark_delivered

WAITING, DELIVERED = "waiting", "delivered"


def _text(text: str) -> ColumnElement[bool]:
    typed = to_ascii_digits(text).upper()
    return or_(
        Letter.reference.contains(typed, autoescape=True),
        Letter.case.has(Case.reference.contains(typed, autoescape=True)),
    )


LETTER_LIST = ListSpec(
    name="letters",
    filters={
        "q": Text(_text),
        "commune": AreaCode(lambda code: Letter.case.has(within(Case.area_code, code))),
        "delivery": Choice(
            (WAITING, DELIVERED),
            lambda state: (
                Letter.delivered_at.is_(None) if state == WAITING else Letter.delivered_at.is_not(None)
            ),
        ),
        "type": Choice(tuple(LETTER_TYPES), lambda key: Letter.key == key),
        "from": Day(lambda day: Letter.issued_on >= day),
        "to": Day(lambda day: Letter.issued_on <= day),
    },
    sorts={
        "newest": Sort((), keyset=(Letter.issued_at, Letter.id), descending=True),
        "oldest": Sort((), keyset=(Letter.issued_at, Letter.id)),
    },
    default_sort="newest",
)


@dataclass(frozen=True)
class LetterRow:
    letter: Letter
    readable: bool  # may the reader see the letter (a confidential grievance's letters name the complainant)


def letter_page(
    session: Session, *, user: User, now: datetime, listing: ListQuery | None = None
) -> Page[LetterRow]:
    """One page of the letters of the reader's area; only officers who hand letters out see this list."""
    check_may_handle(user)
    listing = listing or parse_list(LETTER_LIST, {})
    query = select(Letter).join(Letter.case).where(within(Case.area_code, user.scope_code))
    found = read_page(session, query, listing, now=now)
    rows = [
        LetterRow(letter, may_read_personal(session, case=letter.case, viewer=user)) for letter in found.rows
    ]
    return Page(rows, found.next, found.previous)


class AlreadyDelivered(DomainError):
    message = N_("This letter is already marked as delivered.")
    status = 409


DELIVERY_REFUSALS: dict[type[DomainError], str] = {
    AlreadyDelivered: N_("%(count)s already delivered"),
    NotFound: NOT_FOUND,
}


def mark_many_delivered(
    session: Session, *, letter_ids: Iterable[int], on: date, how: str, actor: User, today: date
) -> BulkOutcome:
    """Marks each letter delivered on `on` by `how`; a letter delivered already keeps its first record."""
    check_may_handle(actor)
    if how not in DELIVERY_METHODS:
        raise InvalidInput({"how": [N_("Choose how the letter was delivered.")]})
    if on > today:
        raise InvalidInput({"on": [N_("The delivery date must be between the letter's date and today.")]})

    def deliver(letter_id: int) -> None:
        letter = get_letter(session, letter_id=letter_id, user=actor)
        if letter.delivered_at is not None:
            raise AlreadyDelivered()
        mark_delivered(session, letter=letter, on=on, how=how, actor=actor, today=today)

    return each(letter_ids, deliver, DELIVERY_REFUSALS)
