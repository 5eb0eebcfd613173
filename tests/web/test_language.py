"""Khmer by default, English on request, and the choice sticks to the user."""

from tests.web.helpers import csrf_token, post, sign_in


def test_sign_in_page_is_khmer_by_default(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'lang="km"' in page and "ចូលប្រើ" in page


def test_browser_asking_for_english_gets_english(client):
    page = client.get("/sign-in", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page and "Sign in" in page


def test_switching_language_applies_at_once_and_is_remembered_for_the_user(client):
    sign_in(client, "ssdm.ac", locale="en")
    response = post(client, "/language", {"locale": "km", "next": "/cases/"})
    assert response.status_code == 302 and response.headers["Location"] == "/cases/"
    client.delete_cookie("sala_lang")
    assert "ករណី" in client.get("/cases/").get_data(as_text=True)


def test_language_switch_ignores_unknown_locales_and_foreign_redirects(client):
    token = csrf_token(client)
    response = client.post("/language", data={"locale": "fr", "next": "//evil.example", "csrf_token": token})
    assert response.headers["Location"] == "/"
    assert "sala_lang=fr" not in response.headers.get("Set-Cookie", "")


def test_case_page_in_khmer_names_the_areas_in_khmer(client, session, process_engine):
    from tests.factories import open_case

    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ca.charchhuk", locale="km")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "ប្រាសាទ, ចារឈូក" in page and "Char Chhuk" not in page
    sign_in(client, "ca.charchhuk", locale="en")
    assert "Prasat, Char Chhuk" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_timeline_shows_the_choice_label_of_a_decision_not_its_code(client, session, process_engine):
    from tests.factories import APPROVE, DOCUMENTS_OK, open_case, work

    case = open_case(session, process_engine)
    work(session, process_engine, case, "ssdm.ac", **DOCUMENTS_OK)
    work(session, process_engine, case, "bo.social.ac", **APPROVE)
    session.commit()
    sign_in(client, "sup.ac", locale="en")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Confirm the entitlement</dd>" in page and ">approve<" not in page
