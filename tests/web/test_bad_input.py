"""Whatever is posted, Sala answers with a page, never with a 500: random values into every form."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import open_case, open_task
from tests.web.helpers import csrf_token, sign_in

INTAKE_FIELDS = (
    "name_km",
    "name_latin",
    "sex",
    "date_of_birth",
    "id_kind",
    "id_number",
    "village",
    "phone",
    "equity_card",
    "disability",
    "household_size",
    "pregnant",
    "programme",
)
TASK_FIELDS = ("documents_complete", "missing_document", "note", "case_version")
values = st.one_of(
    st.text(max_size=300),
    st.integers().map(str),
    st.sampled_from(["", "yes", "no", "1e999", "2026-02-30", "\x00", "%s%n"]),
)
fuzz = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz
@given(data=st.fixed_dictionaries({}, optional={name: values for name in INTAKE_FIELDS}))
def test_random_intake_values_never_give_a_server_error(client, data):
    sign_in(client, "ca.charchhuk")
    payload = {
        **data,
        "csrf_token": csrf_token(client, "/cases/new"),
        "family_book": (io.BytesIO(b"%PDF-1.4 tiny"), "f.pdf"),
    }
    response = client.post("/cases/new", data=payload, content_type="multipart/form-data")
    assert response.status_code in (302, 422)


@fuzz
@given(data=st.fixed_dictionaries({}, optional={name: values for name in TASK_FIELDS}))
def test_random_task_values_never_give_a_server_error(client, session, process_engine, data):
    case = open_case(session, process_engine)
    session.commit()
    task = open_task(session, case)
    sign_in(client, "ssdm.ac")
    token = csrf_token(client, "/")
    client.post(f"/tasks/{task.id}/claim", data={"csrf_token": token})
    response = client.post(f"/tasks/{task.id}", data={**data, "csrf_token": token})
    assert response.status_code in (200, 302, 422)
