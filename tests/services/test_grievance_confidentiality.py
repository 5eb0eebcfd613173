"""The confidentiality rule for every role: who sees a confidential complainant; nobody an anonymous one."""

import pytest
from sqlalchemy import select

from tests.factories import TODAY, user, work
from tests.services.test_grievances import MAX, intake
from webapp.domain.cases import Case
from webapp.domain.errors import NotFound
from webapp.domain.grievances import Grievance
from webapp.domain.people import User
from webapp.services.grievances.confidentiality import (
    ANONYMOUS,
    CONFIDENTIAL,
    complainant_for,
    get_grievance,
    visible_grievances,
)
from webapp.services.grievances.intake import record_grievance


def confidential_at_the_cwcc(session, engine) -> Grievance:
    """Recorded by the VDC, sent up by the commune assistant: now before the Angkor Chum CWCC."""
    grievance = record_grievance(
        session,
        engine=engine,
        actor=user(session, "vdc.charchhuk"),
        intake=intake(confidential=True),
        today=TODAY,
        max_upload_bytes=MAX,
    ).grievance
    case = session.get(Case, grievance.case_id)
    work(session, engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    work(session, engine, case, "ca.charchhuk", level1_action="send_up", decision="", decision_reason="Up")
    return grievance


# Who sees the name of a confidential grievance waiting for the CWCC of Angkor Chum.
SEES = {"vdc.charchhuk", "ca.charchhuk", "cwcc.ac", "tcc.ac"}


def test_every_role_sees_a_confidential_complainant_only_when_handling_it(session, process_engine):
    grievance = confidential_at_the_cwcc(session, process_engine)
    for viewer in session.scalars(select(User).order_by(User.username)):
        shown = complainant_for(session, grievance=grievance, viewer=viewer)
        if viewer.username in SEES:
            assert shown.name == "Sok Sreymom" and shown.hidden is None, viewer.username
        else:
            assert (shown.name, shown.contact, shown.hidden) == (None, None, CONFIDENTIAL), viewer.username
    assert complainant_for(session, grievance=grievance, viewer=None).hidden == CONFIDENTIAL


def test_an_officer_offered_the_current_step_sees_it_and_loses_it_to_nobody_else(session, process_engine):
    grievance = confidential_at_the_cwcc(session, process_engine)
    # The other commune's assistant and the district's supervisor see "confidential", in or out of area.
    for username in ("ca.dounpeng", "sup.ac", "admin", "iso.ac", "ssdm.ac"):
        shown = complainant_for(session, grievance=grievance, viewer=user(session, username))
        assert shown.hidden == CONFIDENTIAL, username


def test_the_officer_whose_answer_is_appealed_does_not_see_who_appealed(session, process_engine):
    original = record_grievance(
        session,
        engine=process_engine,
        actor=user(session, "vdc.charchhuk"),
        intake=intake(),
        today=TODAY,
        max_upload_bytes=MAX,
    ).grievance
    case = session.get(Case, original.case_id)
    work(session, process_engine, case, "vdc.charchhuk", level1_action="send_to_commune", decision="")
    work(
        session,
        process_engine,
        case,
        "ca.charchhuk",
        level1_action="resolve",
        decision="rejected",
        decision_reason="Not on the list.",
    )
    appeal = record_grievance(
        session,
        engine=process_engine,
        actor=user(session, "iso.ac"),
        intake=intake(confidential=True, area_code="17010101"),
        today=TODAY,
        max_upload_bytes=MAX,
        appeal_of=original,
    ).grievance
    assert (
        complainant_for(session, grievance=appeal, viewer=user(session, "ca.charchhuk")).hidden
        == CONFIDENTIAL
    )
    assert complainant_for(session, grievance=appeal, viewer=user(session, "cwcc.ac")).name == "Sok Sreymom"


def test_an_anonymous_grievance_has_no_identity_for_anyone(session, process_engine):
    grievance = record_grievance(
        session,
        engine=process_engine,
        actor=user(session, "ca.charchhuk"),
        intake=intake(anonymous=True, complainant_name="Sok Sreymom", contact="012"),
        today=TODAY,
        max_upload_bytes=MAX,
    ).grievance
    assert (grievance.complainant_name, grievance.contact) == (None, None)
    for viewer in session.scalars(select(User)):
        assert complainant_for(session, grievance=grievance, viewer=viewer).hidden == ANONYMOUS


def test_an_officer_of_another_district_cannot_open_the_grievance(session, process_engine):
    grievance = confidential_at_the_cwcc(session, process_engine)
    with pytest.raises(NotFound):
        get_grievance(session, grievance_id=grievance.id, user=user(session, "cwcc.ss"))
    assert get_grievance(session, grievance_id=grievance.id, user=user(session, "cwcc.ac")) is grievance
    in_srei_snam = session.scalars(visible_grievances(user(session, "ca.chrouy"))).all()
    assert grievance not in in_srei_snam
