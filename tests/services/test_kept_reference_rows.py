"""What an opening keeps in memory between transactions (the programmes, the villages' levels, each process's
latest published version) and what a closing step keeps (the business figures) serve the next transaction
with no query, and are read again at once after a publish, a withdrawal, a programme or a figure edit,
whether made in the same transaction or by another session; an edit rolled back never leaves its values
behind."""

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, inspect, select, update
from sqlalchemy.orm import Session

from tests.factories import DOCUMENTS_OK, open_case, user
from tests.migration_support import fresh_database_url, upgrade
from tests.services.test_engine_round_trips import counted
from webapp.db import make_engine
from webapp.domain.people import RoleName, User
from webapp.domain.registry import APPEAL_DAYS, BusinessRule, Programme
from webapp.domain.tasks import OPEN, Task
from webapp.domain.workflows import ARCHIVED, WorkflowVersion
from webapp.services.casework.reference_rows import programme_by_code
from webapp.services.casework.tasks import claim_task, submit_task
from webapp.services.casework.versions import latest_version
from webapp.services.platform.auth import end_sessions, load_user
from webapp.services.platform.business_rules import business_rule

APPLICATION = "ssdm_programme_application"
READS = ("FROM programme", "FROM area", "FROM workflow_version")


def _reads(sent: list[str]) -> list[str]:
    return [statement for statement in sent if any(read in statement for read in READS)]


def test_an_opening_in_a_later_transaction_reads_no_programme_village_or_version_row(session, process_engine):
    open_case(session, process_engine)
    session.commit()  # the test's savepoint: the next opening comes in a transaction of its own
    user(session, "ca.charchhuk")
    with counted(session) as sent:
        case = open_case(session, process_engine)
        session.flush()
    assert _reads(sent) == []
    assert len([statement for statement in sent if "FROM reference_stamp" in statement]) == 1
    assert case.workflow_version_id == session.scalar(
        select(WorkflowVersion.id)
        .where(WorkflowVersion.process_id == APPLICATION)
        .order_by(WorkflowVersion.version.desc())
    )


def test_the_next_step_of_a_case_opened_from_kept_rows_loads_neither_its_version_nor_its_programme(
    session, process_engine
):
    open_case(session, process_engine)
    session.commit()
    case = open_case(session, process_engine)
    task = session.scalar(select(Task).where(Task.case_id == case.id, Task.status == OPEN))
    officer = user(session, "ssdm.ac")
    with counted(session) as sent:
        claim_task(session, task_id=task.id, actor=officer)
        submit_task(
            session,
            engine=process_engine,
            task_id=task.id,
            data=DOCUMENTS_OK,
            actor=officer,
            case_version=None,
        )
        session.flush()
    assert _reads(sent) == []


def test_a_kept_version_put_into_a_new_session_loads_its_spec_on_first_use(session):
    stored = latest_version(session, APPLICATION)
    assert stored is not None
    spec = stored.spec_json
    session.commit()
    session.expunge_all()  # the next transaction's session holds no row yet
    with counted(session) as sent:
        kept = latest_version(session, APPLICATION)
    assert kept is not None and kept.id == stored.id and _reads(sent) == []
    assert "spec_json" not in inspect(kept).dict
    assert kept.spec_json == spec


def test_a_programme_edit_rolled_back_leaves_no_edited_programme_behind(session):
    assert programme_by_code(session, "fp_elderly").name != "Edited"
    savepoint = session.begin_nested()
    session.execute(update(Programme).where(Programme.code == "fp_elderly").values(name="Edited"))
    session.expire_all()
    assert programme_by_code(session, "fp_elderly").name == "Edited"  # kept under the edit's stamp
    savepoint.rollback()
    session.expunge_all()
    assert programme_by_code(session, "fp_elderly").name != "Edited"


def test_a_withdrawal_rolled_back_leaves_the_version_serving(session):
    serving = latest_version(session, APPLICATION).id
    savepoint = session.begin_nested()
    session.execute(update(WorkflowVersion).where(WorkflowVersion.id == serving).values(status=ARCHIVED))
    assert latest_version(session, APPLICATION) is None or latest_version(session, APPLICATION).id != serving
    savepoint.rollback()
    session.expunge_all()
    assert latest_version(session, APPLICATION).id == serving


@pytest.fixture(scope="module")
def own_database(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A database of the run's kind for this module alone, where edits are committed without other tests
    (and xdist workers) seeing them: one programme, one published version of a process of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    url = fresh_database_url(database_url, tmp_path_factory.mktemp("kept"), f"sala_kept_rows_{worker}")
    upgrade(url, "heads")
    engine = make_engine(url)
    with Session(engine) as setup, setup.begin():
        setup.add(Programme(code="kept", name="Kept", sector="health", family="Health", rule="Anyone"))
        setup.add(_version(1))
    yield engine
    engine.dispose()


def _version(number: int) -> WorkflowVersion:
    return WorkflowVersion(
        process_id="kept_process",
        version=number,
        name=f"Kept process {number}",
        content_hash=f"kept-{number}",
        files_json="{}",
        spec_json="{}",
    )


def _latest_number(reader: Session) -> int:
    version = latest_version(reader, "kept_process")
    reader.commit()  # each read in a transaction of its own, as one request's
    assert version is not None
    return version.version


def test_a_version_published_by_another_session_serves_the_next_opening_at_once(own_database):
    with Session(own_database) as reader:
        assert _latest_number(reader) == 1
        with counted(reader) as sent:
            assert _latest_number(reader) == 1
        assert _reads(sent) == []
        with Session(own_database) as publisher, publisher.begin():
            publisher.add(_version(2))
        assert _latest_number(reader) == 2
        with Session(own_database) as withdrawer, withdrawer.begin():
            withdrawer.execute(
                update(WorkflowVersion).where(WorkflowVersion.version == 2).values(status=ARCHIVED)
            )
        assert _latest_number(reader) == 1


def test_a_programme_edited_by_another_session_is_read_again_at_once(own_database):
    with Session(own_database) as reader:
        assert programme_by_code(reader, "kept").active
        reader.commit()
        with Session(own_database) as editor, editor.begin():
            editor.execute(update(Programme).where(Programme.code == "kept").values(active=False))
        assert not programme_by_code(reader, "kept").active
        reader.commit()
        with Session(own_database) as editor, editor.begin():
            editor.execute(update(Programme).where(Programme.code == "kept").values(active=True))


def test_another_sessions_rolled_back_edit_leaves_the_kept_programme_as_committed(own_database):
    with Session(own_database) as editor:
        editor.execute(update(Programme).where(Programme.code == "kept").values(name="Never committed"))
        assert programme_by_code(editor, "kept").name == "Never committed"
        editor.rollback()
    with Session(own_database) as reader:
        assert programme_by_code(reader, "kept").name == "Kept"


def _appeal_days(reader: Session) -> int:
    days = business_rule(reader, APPEAL_DAYS)
    reader.commit()  # each read in a transaction of its own, as one closing step's
    return days


def test_a_business_figure_is_kept_and_read_again_at_once_after_another_sessions_edit(own_database):
    with Session(own_database) as reader:
        before = _appeal_days(reader)
        with counted(reader) as sent:
            assert _appeal_days(reader) == before
        assert [statement for statement in sent if "FROM business_rule" in statement] == []
        with Session(own_database) as editor, editor.begin():
            editor.merge(BusinessRule(key=APPEAL_DAYS, value=before + 15))
        assert _appeal_days(reader) == before + 15
        with Session(own_database) as editor:
            editor.execute(update(BusinessRule).where(BusinessRule.key == APPEAL_DAYS).values(value=1))
            assert business_rule(editor, APPEAL_DAYS) == 1  # the edit's own transaction sees it
            editor.rollback()
        assert _appeal_days(reader) == before + 15


def _signed_in(reader: Session, user_id: int) -> User | None:
    user = load_user(reader, str(user_id))
    found = None if user is None else (user.active, user.session_version, user.role)
    reader.commit()  # each request in a transaction of its own
    return found  # type: ignore[return-value]


def test_a_signed_in_account_is_kept_and_any_change_to_it_is_seen_by_the_next_request(own_database):
    with Session(own_database) as setup, setup.begin():
        officer = User(
            username="kept.officer", password_hash="x", full_name="Kept", role=RoleName.DISTRICT_SUPERVISOR
        )
        setup.add(officer)
        setup.flush()
        officer_id = officer.id
    with Session(own_database) as reader:
        first = _signed_in(reader, officer_id)
        with counted(reader) as sent:
            assert _signed_in(reader, officer_id) == first
        assert [statement for statement in sent if "FROM app_user" in statement] == []
        with Session(own_database) as admin, admin.begin():
            end_sessions(admin, user=admin.get(User, officer_id))
        assert _signed_in(reader, officer_id) == (True, first[1] + 1, first[2])
        with Session(own_database) as admin:
            admin.execute(update(User).where(User.id == officer_id).values(active=False))
            assert load_user(admin, str(officer_id)) is None  # the closing transaction sees it closed
            admin.rollback()
        assert _signed_in(reader, officer_id) == (True, first[1] + 1, first[2])
        with Session(own_database) as admin, admin.begin():
            admin.execute(update(User).where(User.id == officer_id).values(active=False))
        assert _signed_in(reader, officer_id) is None
