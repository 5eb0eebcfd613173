"""Registration pages: who sees them, the referral, a household registered from the browser, refusals, and
the public programme catalogue."""

from sqlalchemy import func, select

from tests.factories import drain_jobs
from tests.web.helpers import post, sign_in
from webapp.domain.cases import Case
from webapp.domain.tasks import Task

HEAD = {
    "members-0-name_km": "សុខ ចាន់",
    "members-0-name_latin": "Sok Chan",
    "members-0-sex": "male",
    "members-0-date_of_birth": "1980-05-01",
    "members-0-id_kind": "national_id",
    "members-0-id_number": "១៧០១០០០០១",
    "members-0-relationship": "head",
}
HOUSEHOLD = {"village": "17010101", "equity_card": "poor_1", "family_book_number": "FB-1", "phone": ""}
WIFE = {
    "members-1-name_km": "កែវ ស្រីមុំ",
    "members-1-name_latin": "Keo Sreymom",
    "members-1-sex": "female",
    "members-1-date_of_birth": "1984-02-03",
    "members-1-id_kind": "national_id",
    "members-1-id_number": "170100002",
    "members-1-relationship": "spouse",
}
REFERRAL = {
    "head_name_km": "សុខ ចាន់",
    "head_name_latin": "Sok Chan",
    "village": "17010101",
    "referral_reason": "The father cannot work since the accident.",
}


def registration(session) -> Case | None:
    return session.scalar(select(Case).where(Case.process_id == "ssdm_registration"))


def open_task_of(session, case: Case) -> Task:
    return session.scalar(select(Task).where(Task.case_id == case.id, Task.status == "open"))


def test_the_register_page_is_only_for_commune_assistants(client):
    sign_in(client, "vdc.charchhuk")
    assert client.get("/registry/register").status_code == 404
    sign_in(client, "ca.charchhuk")
    assert client.get("/registry/register").status_code == 200


def test_the_refer_page_is_only_for_vdc_members(client):
    sign_in(client, "ca.charchhuk")
    assert client.get("/registry/refer").status_code == 404
    sign_in(client, "vdc.charchhuk")
    assert client.get("/registry/refer").status_code == 200


def test_a_household_registered_from_the_browser_goes_to_the_district(client, session):
    sign_in(client, "ca.charchhuk")

    response = post(client, "/registry/register", {**HOUSEHOLD, **HEAD, **WIFE})

    assert response.status_code == 302, response.get_data(as_text=True)
    case = registration(session)
    assert case.person.id_number == "170100001"  # typed in Khmer digits
    assert open_task_of(session, case).spec_name == "confirm_registration"


def test_a_member_row_half_filled_is_refused_and_nothing_is_saved(client, session):
    sign_in(client, "ca.charchhuk")

    response = post(client, "/registry/register", {**HOUSEHOLD, **HEAD, "members-1-name_latin": "Keo"})

    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    assert registration(session) is None


def test_a_referral_shows_at_the_commune_prefilled_and_registers_on_its_case(client, session):
    sign_in(client, "vdc.charchhuk")
    assert post(client, "/registry/refer", REFERRAL).status_code == 302
    case = registration(session)
    task = open_task_of(session, case)

    sign_in(client, "ca.charchhuk")
    page = client.get(f"/registry/register?referral={task.id}").get_data(as_text=True)
    assert REFERRAL["referral_reason"] in page and 'value="Sok Chan"' in page
    response = post(client, f"/registry/register?referral={task.id}", {**HOUSEHOLD, **HEAD})

    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).person.name_latin == "Sok Chan"


def test_a_referral_without_a_reason_is_refused(client, session):
    sign_in(client, "vdc.charchhuk")

    response = post(client, "/registry/refer", {**REFERRAL, "referral_reason": ""})

    assert response.status_code == 422
    assert registration(session) is None


def test_a_referral_of_another_commune_is_not_found(client, session):
    sign_in(client, "vdc.charchhuk")
    post(client, "/registry/refer", REFERRAL)
    task = open_task_of(session, registration(session))

    sign_in(client, "ca.dounpeng")
    assert client.get(f"/registry/register?referral={task.id}").status_code == 404


def test_the_programme_catalogue_is_public_with_rules_in_both_languages(client):
    client.set_cookie("sala_lang", "en")
    listing = client.get("/programmes").get_data(as_text=True)
    assert "Family Package: elderly people" in listing

    page = client.get("/programmes/fp_elderly")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<p lang="km">' in text and '<p lang="en">Equity card household' in text
    assert client.get("/programmes/no_such_programme").status_code == 404


def test_a_look_alike_spelling_of_a_registered_person_is_warned_before_anything_is_saved(client, session):
    sign_in(client, "ca.charchhuk")
    assert post(client, "/registry/register", {**HOUSEHOLD, **HEAD}).status_code == 302
    look_alike = {
        **HEAD,
        "members-0-name_km": "សុខ  ចាន់\u200b",
        "members-0-name_latin": "Sok Chann",
        "members-0-id_number": "170100777",
    }

    warned = post(client, "/registry/register", {**HOUSEHOLD, **look_alike})

    text = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "possible-duplicates" in text
    assert (
        session.scalar(select(func.count()).select_from(Case).where(Case.process_id == "ssdm_registration"))
        == 1
    )
    confirmed = post(client, "/registry/register", {**HOUSEHOLD, **look_alike, "duplicates_checked": "y"})
    assert confirmed.status_code == 302


def test_the_registration_case_page_and_its_task_page_open(client, session):
    sign_in(client, "ca.charchhuk")
    post(client, "/registry/register", {**HOUSEHOLD, **HEAD})
    case = registration(session)

    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    assert "Sok Chan" in page.get_data(as_text=True)
    sign_in(client, "ssdm.ac")
    task = open_task_of(session, case)
    assert client.get(f"/tasks/{task.id}").status_code == 200
    assert "Household registration" in client.get("/").get_data(as_text=True)


def test_the_district_confirms_from_the_task_page_and_the_card_is_listed_on_the_case(client, session):
    sign_in(client, "ca.charchhuk")
    post(client, "/registry/register", {**HOUSEHOLD, **HEAD})
    case = registration(session)
    task = open_task_of(session, case)
    sign_in(client, "ssdm.ac")
    post(client, f"/tasks/{task.id}/claim")

    done = post(
        client,
        f"/tasks/{task.id}",
        {"registration_decision": "confirm", "registration_reason": "Checked against the family book."},
    )

    assert done.status_code == 302, done.get_data(as_text=True)[-3000:]
    session.expire_all()
    drain_jobs(session)
    assert 'data-letter="membership_card"' in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_a_date_of_birth_that_does_not_exist_is_refused_beside_its_field(client, session):
    sign_in(client, "ca.charchhuk")

    response = post(
        client, "/registry/register", {**HOUSEHOLD, **HEAD, "members-0-date_of_birth": "1980-02-30"}
    )

    assert response.status_code == 422
    assert "Enter a valid date." in response.get_data(as_text=True)
    assert registration(session) is None
