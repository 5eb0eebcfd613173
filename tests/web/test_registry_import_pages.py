"""The import pages: upload, preview filtered and paginated, confirm, progress, the error report, refusals."""

import io

from sqlalchemy import select

from tests.factories import drain_jobs
from tests.services.test_registry_import import GOOD, csv_bytes
from tests.web.helpers import post, sign_in
from webapp.domain.registry_imports import RegistryImport


def send(client, content: bytes, filename: str = "register.csv"):
    return post(
        client,
        "/registry/imports/",
        {"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_an_upload_shows_its_preview_and_nothing_else_until_confirmed(client, session):
    sign_in(client, "ca.charchhuk")
    bad = "3,head,,Chan Dara,male,2015-01-01,170200009,17010101,none,no"

    response = send(client, csv_bytes(*GOOD, bad))

    assert response.status_code == 302
    upload = session.scalar(select(RegistryImport))
    page = client.get(f"/registry/imports/{upload.id}?show=problems").get_data(as_text=True)
    assert "The name in Khmer is missing." in page and "Sok Chan" not in page
    assert post(client, f"/registry/imports/{upload.id}/confirm").status_code == 302
    assert 'http-equiv="refresh"' in client.get(f"/registry/imports/{upload.id}").get_data(as_text=True)
    session.expire_all()  # the page's request committed the confirmation the worker reads
    drain_jobs(session)
    done = client.get(f"/registry/imports/{upload.id}").get_data(as_text=True)
    assert 'id="import-progress" max="3" value="3"' in done


def test_the_error_report_is_a_csv_whose_formulas_are_disarmed(client, session):
    sign_in(client, "ca.charchhuk")
    send(client, csv_bytes('1,head,សុខ,"=HYPERLINK(""http://x"")",male,1980-02-30,170200001,17010101,none,no'))
    upload = session.scalar(select(RegistryImport))

    report = client.get(f"/registry/imports/{upload.id}/errors.csv").get_data(as_text=True)

    assert "'=HYPERLINK" in report and "The date of birth is not a real date" in report


def test_a_file_that_is_not_a_list_is_refused_on_the_page_in_khmer(client, session):
    sign_in(client, "ca.charchhuk", locale="km")

    response = send(client, b"%PDF-1.4", filename="register.pdf")

    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)
    assert session.scalar(select(RegistryImport)) is None


def test_another_officers_import_is_not_found_and_other_roles_have_no_import(client, session):
    sign_in(client, "ca.charchhuk")
    send(client, csv_bytes(*GOOD))
    upload = session.scalar(select(RegistryImport))

    sign_in(client, "ca.dounpeng")
    assert client.get(f"/registry/imports/{upload.id}").status_code == 404
    sign_in(client, "ssdm.ac")
    assert client.get("/registry/imports/").status_code == 404
