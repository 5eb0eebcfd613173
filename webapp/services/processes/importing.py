"""Supervisors import a diagram drawn in another modeller (bpmn.io, Camunda Modeler) as a draft."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from webapp.domain.errors import InvalidInput
from webapp.domain.messages import N_
from webapp.domain.people import User
from webapp.domain.publishing import ValidationProblem, WorkflowDraft
from webapp.engine import ProcessEngine
from webapp.engine.importing import import_foreign_bpmn
from webapp.engine.library import IDENTIFIER
from webapp.engine.safe_xml import MAX_FILE_BYTES as MAX_FILE_BYTES  # the page states it
from webapp.engine.validation import unique
from webapp.forms import FormSpec
from webapp.services.casework.versions import latest_version
from webapp.services.processes.publishing import audit, check_files, draft_files, require_editor

MAX_PROCESS_ID = 80  # workflow_version.process_id


@dataclass(frozen=True)
class ImportOutcome:
    """The new draft (None when the file could not be read) and every problem to fix before publishing."""

    draft: WorkflowDraft | None
    problems: tuple[ValidationProblem, ...]


def _checked_process_id(process_id: str) -> str:
    """The process id without surrounding spaces; refused unless it is a short identifier."""
    process_id = process_id.strip()
    if not IDENTIFIER.match(process_id) or len(process_id) > MAX_PROCESS_ID:
        message = N_("Write the process id in small letters, digits and _, starting with a letter.")
        raise InvalidInput({"process_id": [message]})
    return process_id


def import_draft(
    session: Session,
    *,
    engine: ProcessEngine,
    forms: Mapping[str, FormSpec],
    process_id: str,
    data: bytes,
    file_name: str,
    actor: User,
) -> ImportOutcome:
    """Stores the file as a draft of `process_id`, new or existing, with what the import could not take over
    and what publishing would refuse, both located on the diagram."""
    require_editor(actor)
    process_id = _checked_process_id(process_id)
    imported = import_foreign_bpmn(data, process_id=process_id, file_name=file_name or "imported.bpmn")
    if not imported.xml:
        return ImportOutcome(None, imported.problems)
    parent = latest_version(session, process_id)  # None: a process new to Sala
    draft = WorkflowDraft(
        process_id=process_id,
        parent_version_id=parent.id if parent else None,
        bpmn_xml=imported.xml,
        change_note="",
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    session.add(draft)
    session.flush()
    audit(
        session,
        process_id=process_id,
        kind="draft_imported",
        actor=actor,
        draft=draft,
        detail={"file": file_name},
    )
    found = check_files(
        session, engine=engine, forms=forms, process_id=process_id, files=draft_files(session, draft)
    )
    return ImportOutcome(draft, tuple(unique([*imported.problems, *found])))
