"""After "this may be the same person" at intake, the documents already attached are kept: the confirming
form carries a signed token naming them by SHA-256, and only the officer who attached them can use it."""

import hashlib
import re
from datetime import date

from sqlalchemy import select

from tests.web.helpers import post, sign_in
from tests.web.test_intake_and_inbox import FIXTURES, intake_form
from tests.web.test_registry_pages import register
from webapp.domain.cases import Case, Document


def _look_alike(session):
    return register(session, name_km="ចាន់ ធីតា", name_latin="Chan Thida", date_of_birth=date(1948, 2, 3))


def _warned_token(client, id_number: str) -> str:
    warned = post(client, "/cases/new", intake_form(id_number=id_number), content_type="multipart/form-data")
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "possible-duplicates" in page and 'id="held-uploads"' in page
    return re.search(r'name="held_uploads" value="([^"]+)"', page).group(1)


def _without_files(**overrides):
    form = intake_form(**overrides)
    del form["family_book"]
    return form


def test_the_confirmation_files_the_family_book_given_before_the_warning(client, session):
    _look_alike(session)
    sign_in(client, "ca.charchhuk")
    token = _warned_token(client, "170100997")

    confirmed = post(
        client,
        "/cases/new",
        _without_files(id_number="170100997", duplicate_choice="new", held_uploads=token),
        content_type="multipart/form-data",
    )

    assert confirmed.status_code == 302
    case = session.scalars(select(Case).order_by(Case.id.desc())).first()
    (document,) = session.scalars(select(Document).where(Document.case_id == case.id))
    expected = hashlib.sha256((FIXTURES / "family_book.pdf").read_bytes()).hexdigest()
    assert (document.kind, document.filename, document.sha256) == ("family_book", "family-book.pdf", expected)


def test_without_the_token_the_required_family_book_is_asked_for(client, session):
    _look_alike(session)
    sign_in(client, "ca.charchhuk")
    _warned_token(client, "170100996")
    again = post(
        client,
        "/cases/new",
        _without_files(id_number="170100996", duplicate_choice="new"),
        content_type="multipart/form-data",
    )
    assert again.status_code == 422


def test_another_officers_token_or_a_forged_one_holds_nothing(client, session):
    _look_alike(session)
    sign_in(client, "ca.charchhuk")
    token = _warned_token(client, "170100995")
    sign_in(client, "ca.dounpeng")
    for forged in (token, token[:-4] + "AAAA"):
        refused = post(
            client,
            "/cases/new",
            _without_files(
                id_number="170100995", village="17010201", duplicate_choice="new", held_uploads=forged
            ),
            content_type="multipart/form-data",
        )
        assert refused.status_code == 422
