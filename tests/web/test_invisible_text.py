"""Bidirectional controls and other invisible format characters never reach the database or a page."""

from sqlalchemy import select

from tests.web.helpers import post, sign_in
from webapp.domain.grievances import Grievance
from webapp.domain.text import clean_text

KHMER_WITH_BREAKS = "សេចក្ដី\u200bប្ដូរ"  # U+200B is Sala's own Khmer word break: it stays


def test_clean_text_removes_bidi_controls_and_keeps_khmer_breaks():
    assert clean_text("Pay\u202eexe.pdf\u202c \u2066x\u2069\u200e\u200f\ufeff") == "Payexe.pdf x"
    assert clean_text(KHMER_WITH_BREAKS) == KHMER_WITH_BREAKS
    assert clean_text("line one\nline two\ttab\x00") == "line one\nline two\ttab"


def test_a_grievance_typed_with_bidi_overrides_is_stored_and_shown_without_them(client, session):
    sign_in(client, "vdc.charchhuk")
    form = {
        "category": "unsuccessful_application",
        "area": "17010101",
        "complainant_name": "Chea\u202e Kolab",
        "contact": "012\u2067 345 678",
        "description": f"Refused \u202etxt.exe\u202c {KHMER_WITH_BREAKS}",
    }
    assert post(client, "/grievances/new", form).status_code == 302
    grievance = session.scalars(select(Grievance).order_by(Grievance.id.desc())).first()
    assert grievance.complainant_name == "Chea Kolab" and grievance.contact == "012 345 678"
    assert grievance.description == f"Refused txt.exe {KHMER_WITH_BREAKS}"
    page = client.get(f"/grievances/{grievance.id}").get_data(as_text=True)
    assert "\u202e" not in page and "\u2067" not in page and KHMER_WITH_BREAKS in page


def test_query_values_are_cleaned_too(client):
    sign_in(client, "sup.ac")
    assert client.get("/grievances/report?month=2026-1\u202e0").status_code == 200
