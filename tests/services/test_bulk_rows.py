"""Bulk inserts (services.platform.bulk): on SQLite an executemany, on PostgreSQL a COPY with ids taken from
the sequence; either way every row lands with its id, in order, and columns left out get their defaults."""

from sqlalchemy import select

from webapp.domain.registry import Household
from webapp.services.platform.bulk import insert_rows, insert_rows_with_ids


def test_new_ids_come_back_in_the_order_of_the_rows(session):
    villages = ["17010101", "17010102", "17010101"]
    ids = insert_rows_with_ids(session, Household, [{"village_code": code} for code in villages])
    query = select(Household.id, Household.village_code).where(Household.id.in_(ids))
    stored = {row.id: row.village_code for row in session.execute(query)}
    assert [stored[new_id] for new_id in ids] == villages
    assert len(set(ids)) == 3


def test_rows_may_leave_out_different_columns_which_get_their_defaults(session):
    rows = [
        {"village_code": "17010101", "family_book_number": "BULK-ROWS-1"},
        {"village_code": "17010101", "family_book_number": "BULK-ROWS-2", "created_at": None},
        {"village_code": "17010102"},
    ]
    rows[1].pop("created_at")
    first, second, third = insert_rows_with_ids(session, Household, rows)
    households = {
        h.id: h for h in session.scalars(select(Household).where(Household.id.in_([first, second, third])))
    }
    assert households[first].family_book_number == "BULK-ROWS-1"
    assert households[third].family_book_number is None
    assert all(household.created_at is not None for household in households.values())


def test_rows_without_ids_are_inserted_with_their_defaults(session):
    insert_rows(session, Household, [{"village_code": "17010103", "family_book_number": "BULK-ROWS-3"}])
    household = session.scalars(select(Household).where(Household.family_book_number == "BULK-ROWS-3")).one()
    assert household.village_code == "17010103"
    assert household.created_at is not None


def test_an_empty_list_inserts_nothing(session):
    assert insert_rows_with_ids(session, Household, []) == []
    insert_rows(session, Household, [])


def test_rows_without_ids_may_leave_out_different_columns(session):
    insert_rows(
        session,
        Household,
        [{"village_code": "17010103", "family_book_number": "BULK-ROWS-4"}, {"village_code": "17010104"}],
    )
    household = session.scalars(select(Household).where(Household.family_book_number == "BULK-ROWS-4")).one()
    assert household.created_at is not None
