"""NSSF pages print where an enterprise or member is as the gazetteer names it in full (village, commune,
district, province), in the reader's language."""

from tests.web.helpers import post, sign_in

ENTERPRISE = {
    "name_km": "ហាងកាត់ដេរ ម៉ៅ កញ្ញា",
    "name_latin": "Mao Kanha Tailors",
    "registration_number": "",
    "legal_form": "sole_proprietorship",
    "activity": "garment",
    "area": "17010101",
    "employee_count": "3",
    "annual_revenue_usd": "",
    "contact_name": "Mao Kanha",
    "contact_phone": "012445566",
    "channel": "counter",
}
FULL_EN = "Prasat Village, Char Chhuk Commune, Angkor Chum District, Siem Reap Province"
FULL_KM = "ភូមិប្រាសាទ ឃុំចារឈូក ស្រុកអង្គរជុំ ខេត្តសៀមរាប"


def registered_case(client) -> str:
    sign_in(client, "nssf.reg.siemreap")
    response = post(client, "/nssf/enterprises/new", ENTERPRISE)
    assert response.status_code == 302
    return response.headers["Location"]


def test_the_case_page_shows_the_enterprise_s_full_address_in_english(client):
    page = client.get(registered_case(client)).get_data(as_text=True)
    assert FULL_EN in page


def test_the_case_page_shows_the_enterprise_s_full_address_in_khmer(client):
    case_path = registered_case(client)
    sign_in(client, "nssf.reg.siemreap", locale="km")
    page = client.get(case_path).get_data(as_text=True)
    assert FULL_KM in page and "Char Chhuk" not in page


def test_the_registry_lists_each_enterprise_with_its_full_address(client):
    registered_case(client)
    sign_in(client, "nssf.chief.siemreap")
    page = client.get("/nssf/?q=Mao+Kanha").get_data(as_text=True)
    assert "Mao Kanha Tailors" in page and FULL_EN in page


def test_the_area_picker_names_a_village_with_the_places_above_it(client):
    sign_in(client, "nssf.insp.siemreap")
    found = client.get("/areas/search?q=17010101&levels=commune,village").get_json()["areas"]
    assert [area["label"] for area in found] == [
        "Prasat (Village 17010101), Char Chhuk Commune, Angkor Chum District, Siem Reap Province"
    ]
    sign_in(client, "nssf.insp.siemreap", locale="km")
    found = client.get("/areas/search?q=17010101&levels=village").get_json()["areas"]
    assert found[0]["label"].endswith("ឃុំចារឈូក ស្រុកអង្គរជុំ ខេត្តសៀមរាប")
