"""The inbox's lists are read in one statement, each row tagged with its list: a task may be in two."""

from tests.factories import open_case, open_task, user
from webapp.services.casework.queries import inbox


def test_a_supervisor_s_own_task_is_in_their_tasks_and_in_their_area_s(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    supervisor = user(session, "sup.ac")
    task.assignee_id = supervisor.id
    session.flush()
    found = inbox(session, user=supervisor)
    assert task in found.mine and task in found.supervised and task not in found.available


def test_an_unclaimed_task_is_offered_to_its_role_and_not_listed_as_anyone_s(session, process_engine):
    task = open_task(session, open_case(session, process_engine))
    found = inbox(session, user=user(session, "ssdm.ac"))
    assert task in found.available and task not in found.mine and found.supervised == []
