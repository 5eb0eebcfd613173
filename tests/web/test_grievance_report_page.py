"""The monthly grievance report page: an inline SVG chart, a CSV download, and 404 for other roles."""

from tests.services.test_grievance_report import recorded
from tests.web.helpers import sign_in


def test_the_supervisor_sees_the_chart_and_downloads_the_csv(client, session, process_engine):
    grievance = recorded(session, process_engine, "ca.charchhuk")
    month = grievance.received_at.strftime("%Y-%m")
    sign_in(client, "sup.ac")
    page = client.get(f"/grievances/report?month={month}&level=commune").get_data(as_text=True)
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1]
    assert 'data-area="170101"' in page
    csv = client.get(f"/grievances/report?month={month}&level=commune&format=csv")
    assert csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).splitlines()[1].startswith("170101,Char Chhuk,1,")


def test_a_bad_month_is_refused_and_other_roles_get_404(client, session):
    sign_in(client, "cwcc.ac")
    assert client.get("/grievances/report?month=nonsense&level=x").status_code == 400
    assert client.get("/grievances/report?level=x").status_code == 200
    sign_in(client, "ca.charchhuk")
    assert client.get("/grievances/report").status_code == 404
