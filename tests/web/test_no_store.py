"""Pages that may carry personal data are never kept by the browser's or a proxy's cache."""

from tests.factories import open_case
from tests.web.helpers import sign_in


def test_personal_pages_csv_and_json_are_no_store(client, session, process_engine):
    case = open_case(session, process_engine)
    session.commit()
    sign_in(client, "ca.charchhuk")
    document = case.documents[0] if getattr(case, "documents", None) else None
    urls = ["/", f"/cases/{case.id}", "/grievances/", "/grievances/?format=csv", "/api/grievances"]
    if document is not None:
        urls.append(f"/cases/{case.id}/documents/{document.id}")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_public_pages_are_no_store_but_static_files_may_be_cached(client):
    assert client.get("/sign-in").headers["Cache-Control"] == "no-store"
    assert client.get("/grievance").headers["Cache-Control"] == "no-store"
    static = client.get("/static/css/sala.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
