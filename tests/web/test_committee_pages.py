"""Committee pages: secretaries only, their district's agenda, a decision recorded from the meeting page."""

from sqlalchemy import select

from tests.services.test_committees import sent_up
from tests.web.helpers import post, sign_in
from webapp.domain.grievances import CommitteeMeeting


def test_the_cwcc_secretary_schedules_a_meeting_and_decides_a_grievance_from_its_agenda(
    client, session, process_engine
):
    grievance = sent_up(session, process_engine, confidential=True)
    sign_in(client, "cwcc.ac")
    response = post(client, "/committee/", {"meets_on": "2030-01-10"})
    assert response.status_code == 302
    meeting = session.scalars(select(CommitteeMeeting)).one()
    page = client.get(f"/committee/{meeting.id}").get_data(as_text=True)
    assert grievance.reference in page and "Sok Sreymom" in page  # the secretary sees a confidential name
    decided = post(
        client,
        f"/committee/{meeting.id}/grievances/{grievance.id}",
        {"decision": "partly_upheld", "reason": "Half of the arrears are due."},
    )
    assert decided.status_code == 302
    session.expire_all()
    assert (grievance.decision, grievance.status) == ("partly_upheld", "closed")
    after = client.get(f"/committee/{meeting.id}").get_data(as_text=True)
    assert 'id="decided"' in after and f'data-grievance="{grievance.reference}"' not in after


def test_a_bad_decision_is_refused_with_a_message_and_nothing_moves(client, session, process_engine):
    grievance = sent_up(session, process_engine)
    sign_in(client, "cwcc.ac")
    post(client, "/committee/", {"meets_on": "2030-01-10"})
    meeting = session.scalars(select(CommitteeMeeting)).one()
    response = post(
        client, f"/committee/{meeting.id}/grievances/{grievance.id}", {"decision": "x", "reason": ""}
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose a decision from the list." in page
    session.expire_all()
    assert grievance.status == "level_2"


def test_a_past_date_is_refused(client, session):
    sign_in(client, "tcc.ac")
    response = post(client, "/committee/", {"meets_on": "2020-01-01"})
    assert response.status_code == 422
    assert "A meeting cannot be scheduled in the past." in response.get_data(as_text=True)


def test_other_roles_and_other_districts_get_404(client, session):
    sign_in(client, "cwcc.ac")
    post(client, "/committee/", {"meets_on": "2030-01-10"})
    meeting = session.scalars(select(CommitteeMeeting)).one()
    for username in ("ca.charchhuk", "sup.ac", "cwcc.ss", "tcc.ac"):
        sign_in(client, username)
        assert client.get(f"/committee/{meeting.id}").status_code == 404, username
    sign_in(client, "ca.charchhuk")
    assert client.get("/committee/").status_code == 404
