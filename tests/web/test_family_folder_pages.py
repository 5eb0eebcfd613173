"""The family folder page and the programme use form, in the browser's terms."""

from tests.services.test_family_folder import GRANDMOTHER, household_of
from tests.web.helpers import post, sign_in
from webapp.domain.programme_use import ProgrammeUse


def test_the_folder_page_lists_the_household_and_its_likely_programmes(client, session):
    household, _, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "ca.charchhuk")

    page = client.get(f"/registry/households/{household.id}/folder")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Sok Sreymom" in text and 'id="family-folder"' in text
    assert "Family Package: elderly people" in text  # likely: 76, poor level 1, never applied


def test_the_folder_page_is_not_found_in_another_commune(client, session):
    household, _, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "ca.dounpeng")
    assert client.get(f"/registry/households/{household.id}/folder").status_code == 404


def test_an_officer_records_days_worked_from_the_form(client, session):
    _, head, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "bo.rural.ac")

    response = post(
        client,
        f"/registry/people/{head.id}/programme-use",
        {"programme": "public_works", "start_date": "2026-03-01", "end_date": "2026-05-31", "days": "42"},
    )

    assert response.status_code == 302
    assert session.query(ProgrammeUse).filter_by(person_id=head.id).one().days == 42


def test_a_bad_date_in_the_use_form_is_refused_with_a_translated_error(client, session):
    _, head, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "bo.rural.ac", locale="km")

    response = post(
        client,
        f"/registry/people/{head.id}/programme-use",
        {"programme": "public_works", "start_date": "31/02/2026"},
    )

    assert response.status_code == 422
    assert session.query(ProgrammeUse).filter_by(person_id=head.id).count() == 0
    assert "field-error" in response.get_data(as_text=True)


def test_the_person_page_links_the_household_folder_for_those_who_may_open_it(client, session):
    household, head, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "ca.charchhuk")
    page = client.get(f"/people/{head.id}").get_data(as_text=True)
    assert f"/registry/households/{household.id}/folder" in page


def test_the_menu_offers_the_registry_pages_to_the_roles_they_serve(client):
    client.set_cookie("sala_lang", "en")
    assert "/programmes" in client.get("/grievance").get_data(as_text=True)
    for username, path in (
        ("vdc.charchhuk", "/registry/refer"),
        ("ca.charchhuk", "/registry/register"),
        ("ca.charchhuk", "/registry/imports/"),
        ("sup.ac", "/registry/monitoring/"),
    ):
        sign_in(client, username)
        assert f'href="{path}"' in client.get("/").get_data(as_text=True), (username, path)
        assert client.get(path).status_code == 200


def test_the_person_page_shows_the_programmes_the_person_likely_fits_with_the_reason(client, session):
    _, grandmother, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "ca.charchhuk")
    page = client.get(f"/people/{grandmother.id}").get_data(as_text=True)
    assert 'id="matching"' in page and "Family Package: elderly people" in page


def test_the_person_page_leaves_matching_out_for_a_village_member(client, session):
    _, grandmother, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "vdc.charchhuk")
    page = client.get(f"/people/{grandmother.id}")
    assert page.status_code == 200 and 'id="matching"' not in page.get_data(as_text=True)


def test_a_khmer_person_page_writes_the_spid_and_id_number_in_khmer_digits_and_english_in_ascii(
    client, session
):
    _, grandmother, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "ca.charchhuk", locale="km")
    khmer = client.get(f"/people/{grandmother.id}").get_data(as_text=True)
    spid = grandmother.spid
    grouped = " ".join(spid[start : start + 4] for start in range(0, 12, 4))
    to_khmer = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
    assert grouped.translate(to_khmer) in khmer and grouped not in khmer
    assert grandmother.id_number.translate(to_khmer) in khmer
    sign_in(client, "ca.charchhuk")
    assert grouped in client.get(f"/people/{grandmother.id}").get_data(as_text=True)


def test_a_khmer_change_request_shows_the_family_book_number_in_khmer_digits(client, session):
    _, grandmother, _ = household_of(session, GRANDMOTHER)
    sign_in(client, "ca.charchhuk")
    post(client, f"/people/{grandmother.id}/changes", {"family_book_number": "FB-1234", "reason": "New book"})
    sign_in(client, "ssdm.ac", locale="km")
    page = client.get("/registry/changes").get_data(as_text=True)
    assert "FB១២៣៤" in page and "FB1234" not in page
