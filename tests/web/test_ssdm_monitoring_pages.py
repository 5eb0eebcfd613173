"""The monitoring report's page, exports, chart and commune sheet."""

import io

from openpyxl import load_workbook

from tests.factories import open_case
from tests.web.helpers import sign_in


def test_the_report_page_shows_the_communes_the_chart_and_links_each_sheet(client, session, process_engine):
    open_case(session, process_engine, programme="fp_base")
    sign_in(client, "sup.ac")

    page = client.get("/registry/monitoring/")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-area="170101"' in text and "<svg" in text
    assert "/registry/monitoring/sheet/170101" in text


def _csv_applications(client, area_code: str) -> tuple[list[str], int]:
    header, *lines = [
        line.split(",") for line in client.get("/registry/monitoring/?format=csv").text.splitlines()
    ]
    row = next((line for line in lines if line[0] == area_code), None)
    return header, int(row[header.index("applications")]) if row else 0


def test_the_csv_and_xlsx_exports_hold_the_same_figures(client, session, process_engine):
    sign_in(client, "sup.ac")
    _header, before = _csv_applications(client, "170101")  # other tests' demo data may be there too
    open_case(session, process_engine, programme="fp_base")

    header, after = _csv_applications(client, "170101")
    book = load_workbook(io.BytesIO(client.get("/registry/monitoring/?format=xlsx").data))
    sheet = list(book.active.iter_rows(values_only=True))
    assert header[:3] == ["area_code", "area", "registrations"] and list(sheet[0][:3]) == header[:3]
    assert after == before + 1
    assert next(row for row in sheet if row[0] == "170101")[header.index("applications")] == after


def test_the_commune_sheet_prints_one_commune_by_village(client, session, process_engine):
    open_case(session, process_engine, programme="fp_base")
    sign_in(client, "sup.ac", locale="km")

    page = client.get("/registry/monitoring/sheet/170101")

    assert page.status_code == 200
    assert 'data-area="17010101"' in page.get_data(as_text=True)


def test_officers_who_do_not_report_and_other_districts_get_404(client):
    sign_in(client, "ca.charchhuk")
    assert client.get("/registry/monitoring/").status_code == 404
    sign_in(client, "sup.ss")
    assert client.get("/registry/monitoring/sheet/170101").status_code == 404
    assert client.get("/registry/monitoring/?period=month&number=13").status_code == 422
