"""A supervisor reassigns only tasks of roles at their own level or below, inside their own area."""

import pytest

from tests.factories import open_case, open_task, user
from webapp.domain.errors import PermissionDenied
from webapp.services.casework.tasks import reassign_task


@pytest.mark.parametrize("role", ["province_esa_officer", "nssf_grievance_officer", "hotline_officer"])
def test_a_district_supervisor_cannot_reassign_a_province_or_national_task(session, process_engine, role):
    task = open_task(session, open_case(session, process_engine))
    task.role = role  # a task of a wider office, in Angkor Chum
    session.flush()
    with pytest.raises(PermissionDenied):
        reassign_task(
            session,
            task_id=task.id,
            assignee_id=user(session, "esa.siemreap").id,
            actor=user(session, "sup.ac"),
        )


def test_the_rule_reads_level_and_area():
    from webapp.domain.people import User

    supervisor = User(username="s", role="district_supervisor", area_code="1701", active=True)
    admin = User(username="a", role="administrator", area_code=None, active=True)
    assert supervisor.may_reassign("district_ssdm_assistant", "17010101")
    assert supervisor.may_reassign("commune_assistant", "17010101")
    assert not supervisor.may_reassign("district_ssdm_assistant", "17120101")  # another district
    assert not supervisor.may_reassign("province_esa_officer", "17010101")
    assert not supervisor.may_reassign("nssf_grievance_officer", "17010101")
    assert admin.may_reassign("nssf_grievance_officer", "17010101")
    assert not User(username="o", role="district_ssdm_assistant", area_code="1701", active=True).may_reassign(
        "commune_assistant", "17010101"
    )
