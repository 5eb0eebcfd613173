"""Area pickers search the whole gazetteer of one's area instead of listing its first 2,000 areas."""

from sqlalchemy import select

from tests.web.helpers import post, sign_in
from webapp.domain.areas import Area
from webapp.domain.grievances import Grievance


def test_the_hotline_finds_a_village_of_siem_reap_beyond_the_first_two_thousand(client, session):
    sign_in(client, "hotline")
    villages = session.scalars(select(Area.code).where(Area.level == "village").order_by(Area.code)).all()
    last = session.get(Area, villages[-1])
    found = client.get(f"/areas/search?q={last.name_latin}&levels=commune,village").get_json()["areas"]
    assert last.code in [area["code"] for area in found]
    by_code = client.get(f"/areas/search?q={last.code}&levels=village").get_json()["areas"]
    assert [area["code"] for area in by_code] == [last.code]
    form = {
        "category": "other",
        "area": last.code,
        "complainant_name": "Chea",
        "description": "From far away",
    }
    assert post(client, "/grievances/new", form).status_code == 302
    assert session.scalars(select(Grievance).order_by(Grievance.id.desc())).first().area_code == last.code


def test_the_search_is_cut_to_the_officers_area_and_the_server_checks_the_choice(client):
    sign_in(client, "vdc.charchhuk")
    found = client.get("/areas/search?q=17&levels=commune,village").get_json()["areas"]
    assert found and all(area["code"].startswith("17010101") for area in found)
    form = {"category": "other", "area": "17120101", "complainant_name": "Chea", "description": "Elsewhere"}
    response = post(client, "/grievances/new", form)
    assert response.status_code == 422 and "Choose a village or commune of your area." in response.get_data(
        as_text=True
    )


def test_a_visitor_searches_communes_only(client):
    found = client.get("/areas/search?q=1701&levels=commune,village,province").get_json()["areas"]
    assert found and all(len(area["code"]) == 6 for area in found)


def test_the_picker_page_loads_its_script_from_sala_itself(client):
    page = client.get("/grievance").get_data(as_text=True)
    assert 'data-area-search="/areas/search"' in page and "/static/js/area-picker.js" in page
    assert client.get("/static/js/area-picker.js").status_code == 200
