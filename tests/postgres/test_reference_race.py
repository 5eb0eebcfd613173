"""Two workers numbering the first letters of a district's year at once get 1 and 2, never an error."""

import secrets
import threading
import time

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from webapp.domain.cases import ReferenceCounter
from webapp.services.casework.references import next_reference


def test_two_transactions_taking_the_first_number_of_a_scope_get_one_and_two(db_engine: Engine):
    prefix = f"T{secrets.token_hex(2).upper()}"  # a scope no other test uses
    numbers: dict[str, str] = {}
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with Session(db_engine) as other, other.begin():
                numbers["second"] = next_reference(other, prefix=prefix, district_code="1701", year=2027)
        except BaseException as error:  # the assertion below reports it
            errors.append(error)

    with Session(db_engine) as first:
        with first.begin():
            numbers["first"] = next_reference(first, prefix=prefix, district_code="1701", year=2027)
            racing = threading.Thread(target=second)
            racing.start()
            time.sleep(0.3)  # the second one is now waiting on the first's uncommitted counter
        racing.join(timeout=10)
    try:
        assert not errors
        assert numbers == {"first": f"{prefix}-1701-2027-00001", "second": f"{prefix}-1701-2027-00002"}
    finally:
        with Session(db_engine) as cleanup, cleanup.begin():
            cleanup.execute(delete(ReferenceCounter).where(ReferenceCounter.scope.startswith(prefix)))
