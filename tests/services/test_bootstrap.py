"""`make run` twice keeps the data: bootstrapping an existing database adds nothing and loses nothing."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.db import make_engine
from webapp.domain.areas import Area
from webapp.domain.cases import Case
from webapp.domain.people import User
from webapp.domain.tasks import Task
from webapp.domain.workflows import WorkflowVersion
from webapp.services.assembly.bootstrap import bootstrap
from webapp.settings import Settings


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with Session(engine) as session:
        counts = {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Area, User, Case, Task, WorkflowVersion)
        }
    engine.dispose()
    return counts


def test_bootstrapping_twice_keeps_the_data_and_adds_nothing(tmp_path):
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'sala.sqlite3'}", secret_key="x", instance_path=tmp_path
    )
    bootstrap(settings, demo=True, provinces=("17",))
    first = _counts(settings.database_url)
    bootstrap(settings, demo=True, provinces=("17",))
    assert _counts(settings.database_url) == first
    assert first["Case"] == 8 and first["User"] == 37 and first["WorkflowVersion"] == 7
