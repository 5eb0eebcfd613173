"""Supervisors edit processes: save drafts, validate and publish them, export and compare versions."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.domain.base import utcnow
from webapp.domain.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from webapp.domain.messages import N_
from webapp.domain.people import ROLES, User
from webapp.domain.publishing import (
    DRAFT_OPEN,
    DRAFT_PUBLISHED,
    EDITOR_ROLES,
    ValidationProblem,
    WorkflowDraft,
    WorkflowEvent,
)
from webapp.domain.workflows import ARCHIVED, PUBLISHED, WorkflowVersion
from webapp.engine import ProcessContract, ProcessEngine
from webapp.engine.call_graph import called_processes_of
from webapp.engine.diagram_diff import DiagramDiff, diff_diagrams
from webapp.engine.safe_xml import MAX_FILE_BYTES, UnsafeXml
from webapp.engine.validation import Vocabulary, validate_process
from webapp.forms import FormSpec
from webapp.letters import default_renderer
from webapp.services.casework.families import family_of
from webapp.services.casework.versions import latest_version
from webapp.services.deadlines.calendars import load_calendars
from webapp.services.processes.deployment import store_version
from webapp.sla.durations import parse_duration
from webapp.sla.errors import DurationInvalid


@dataclass(frozen=True)
class PublishOutcome:
    """The new version, or the problems that stopped it (then nothing was stored but the audit entry)."""

    version: WorkflowVersion | None
    problems: tuple[ValidationProblem, ...]


def require_editor(actor: User) -> None:
    if actor.role not in EDITOR_ROLES:
        raise PermissionDenied(N_("Only a supervisor or an administrator can change processes."))


def require_publisher(actor: User) -> None:
    """Publishing or withdrawing changes a process for every district: administrators and named process
    owners only; district supervisors propose drafts."""
    if not actor.may_publish_processes:
        raise PermissionDenied(
            N_("Only an administrator or a process owner can publish or withdraw a process.")
        )


def vocabulary(session: Session, forms: Mapping[str, FormSpec]) -> Vocabulary:
    """What a diagram may name: Sala's roles, forms, letters, calendars and the variables forms set.

    What a family's service puts into a case when it opens it comes with the process's contract.
    """
    form_fields = {key: frozenset(field.name for field in spec.fields) for key, spec in forms.items()}
    return Vocabulary(
        roles=frozenset(ROLES),
        forms=frozenset(forms),
        letters=frozenset(default_renderer().keys()),
        variables=frozenset().union(*form_fields.values()),
        calendars=frozenset(load_calendars(session)),
        is_duration=_is_working_duration,
        form_fields=form_fields,
    )


def contract_of(process_id: str) -> ProcessContract | None:
    """What the family driving `process_id` relies on in it; None for a process no family drives."""
    family = family_of(process_id)
    contract = family.contracts.get(process_id) if family is not None else None
    return contract if isinstance(contract, ProcessContract) else None


def published_calls(session: Session) -> dict[str, frozenset[str]]:
    """Process id -> the processes its serving version calls: a draft may not close a call cycle with them."""
    newest = (
        select(WorkflowVersion.process_id, func.max(WorkflowVersion.version).label("version"))
        .where(WorkflowVersion.status == PUBLISHED)
        .group_by(WorkflowVersion.process_id)
        .subquery()
    )
    versions = session.scalars(
        select(WorkflowVersion).join(
            newest,
            (WorkflowVersion.process_id == newest.c.process_id)
            & (WorkflowVersion.version == newest.c.version),
        )
    ).all()
    calls: dict[str, frozenset[str]] = {}
    own: dict[str, frozenset[str]] = {}
    for version in versions:
        name, text = version_bpmn(version)
        try:
            found = called_processes_of(name, text.encode("utf-8"))
        except UnsafeXml:  # checked when it was stored: a broken row calls nothing we can know
            continue
        for process_id, callees in found.items():
            calls.setdefault(process_id, callees)
        own[version.process_id] = found.get(version.process_id, frozenset())
    return calls | own  # a process's own serving version says what it calls


def check_files(
    session: Session,
    *,
    engine: ProcessEngine,
    forms: Mapping[str, FormSpec],
    process_id: str,
    files: Mapping[str, bytes],
) -> list[ValidationProblem]:
    """Every problem that stops `files` from being published as `process_id`, contract and call cycles too."""
    return validate_process(
        process_id,
        files,
        engine=engine,
        vocabulary=vocabulary(session, forms),
        contract=contract_of(process_id),
        published_calls=published_calls(session),
    )


def _is_working_duration(text: str) -> bool:
    try:
        parse_duration(text)
    except DurationInvalid:
        return False
    return True


def get_version(session: Session, *, version_id: int, actor: User) -> WorkflowVersion:
    require_editor(actor)
    version = session.get(WorkflowVersion, version_id)
    if version is None:
        raise NotFound(N_("This process version does not exist."))
    return version


def get_draft(session: Session, *, draft_id: int, actor: User) -> WorkflowDraft:
    require_editor(actor)
    draft = session.get(WorkflowDraft, draft_id)
    if draft is None:
        raise NotFound(N_("This draft does not exist."))
    return draft


def version_bpmn(version: WorkflowVersion) -> tuple[str, str]:
    """The file name and XML text of the version's BPMN file."""
    files: dict[str, str] = json.loads(version.files_json)
    name = f"{version.process_id}.bpmn"
    return name, files[name]


def version_decisions(version: WorkflowVersion) -> dict[str, str]:
    """The DMN files deployed with the version, by file name."""
    files: dict[str, str] = json.loads(version.files_json)
    return {name: text for name, text in files.items() if name.endswith(".dmn")}


def start_draft(session: Session, *, version_id: int, actor: User) -> WorkflowDraft:
    """A new draft holding a copy of the version's diagram."""
    version = get_version(session, version_id=version_id, actor=actor)
    draft = WorkflowDraft(
        process_id=version.process_id,
        parent_version_id=version.id,
        bpmn_xml=version_bpmn(version)[1],
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    session.add(draft)
    session.flush()
    audit(session, process_id=version.process_id, kind="draft_saved", actor=actor, draft=draft)
    return draft


def save_draft(
    session: Session, *, draft_id: int, bpmn_xml: str, change_note: str, actor: User
) -> WorkflowDraft:
    """Stores the edited diagram as it is: drafts may be unfinished, publishing checks them."""
    draft = get_draft(session, draft_id=draft_id, actor=actor)
    if draft.status != DRAFT_OPEN:
        raise InvalidInput({"draft": [N_("This draft was published already: start a new one.")]})
    if len(bpmn_xml.encode("utf-8")) > MAX_FILE_BYTES:
        raise InvalidInput({"bpmn": [N_("The diagram is larger than 2 MB.")]})
    draft.bpmn_xml, draft.change_note = bpmn_xml, change_note.strip()[:500]
    draft.updated_by_id, draft.updated_at = actor.id, utcnow()
    session.flush()
    audit(session, process_id=draft.process_id, kind="draft_saved", actor=actor, draft=draft)
    return draft


def validate_draft(
    session: Session, *, engine: ProcessEngine, forms: Mapping[str, FormSpec], draft_id: int, actor: User
) -> list[ValidationProblem]:
    draft = get_draft(session, draft_id=draft_id, actor=actor)
    return check_files(
        session, engine=engine, forms=forms, process_id=draft.process_id, files=draft_files(session, draft)
    )


def publish_draft(
    session: Session, *, engine: ProcessEngine, forms: Mapping[str, FormSpec], draft_id: int, actor: User
) -> PublishOutcome:
    """Validates the draft and stores it as the new published version; refusals are audited too."""
    require_publisher(actor)
    draft = get_draft(session, draft_id=draft_id, actor=actor)
    if draft.status != DRAFT_OPEN:
        raise InvalidInput({"draft": [N_("This draft was published already: start a new one.")]})
    files = draft_files(session, draft)
    problems = check_files(session, engine=engine, forms=forms, process_id=draft.process_id, files=files)
    version = None
    if not problems:
        deployed = engine.deploy(draft.process_id, files)
        existing = _version_with_hash(session, draft.process_id, deployed.content_hash)
        if existing is None:
            version = store_version(session, deployed=deployed, actor=actor)
        else:
            problems = [_unchanged(existing)]
    if version is None:
        detail = {"problems": [p.message % p.params if p.params else p.message for p in problems]}
        audit(
            session,
            process_id=draft.process_id,
            kind="publish_refused",
            actor=actor,
            draft=draft,
            detail=detail,
        )
        return PublishOutcome(None, tuple(problems))
    version.parent_version_id, version.change_note = draft.parent_version_id, draft.change_note
    draft.status, draft.published_version_id = DRAFT_PUBLISHED, version.id
    session.flush()
    audit(
        session,
        process_id=draft.process_id,
        kind="version_published",
        actor=actor,
        draft=draft,
        version=version,
    )
    return PublishOutcome(version, ())


def withdraw_version(session: Session, *, version_id: int, actor: User) -> WorkflowVersion:
    """Archives the version new cases start on, so they start on the previous published one again.

    Cases already on it keep running on it; a withdrawn version can be published again as a draft.
    """
    require_publisher(actor)
    version = get_version(session, version_id=version_id, actor=actor)
    serving = latest_version(session, version.process_id)
    if serving is None or serving.id != version.id:
        raise DomainError(N_("Only the version that serves new cases can be withdrawn."))
    if _version_before(session, version) is None:
        raise DomainError(N_("This is the only published version: new cases need one."))
    version.status = ARCHIVED
    session.flush()
    audit(session, process_id=version.process_id, kind="version_withdrawn", actor=actor, version=version)
    return version


def _version_before(session: Session, version: WorkflowVersion) -> WorkflowVersion | None:
    return session.scalar(
        select(WorkflowVersion)
        .where(
            WorkflowVersion.process_id == version.process_id,
            WorkflowVersion.status == PUBLISHED,
            WorkflowVersion.version < version.version,
        )
        .limit(1)
    )


def _version_with_hash(session: Session, process_id: str, content_hash: str) -> WorkflowVersion | None:
    return session.scalar(
        select(WorkflowVersion).where(
            WorkflowVersion.process_id == process_id, WorkflowVersion.content_hash == content_hash
        )
    )


def _unchanged(version: WorkflowVersion) -> ValidationProblem:
    return ValidationProblem(
        "",
        "",
        N_("The diagram is the same as version %(version)s: there is nothing new to publish."),
        N_("Change the diagram before publishing it."),
        {"version": str(version.version)},
    )


def draft_files(session: Session, draft: WorkflowDraft) -> dict[str, bytes]:
    """The draft's diagram with the decision tables of the serving version: a release may have updated them
    since the draft was started, and publishing must not bring old ones back."""
    base = latest_version(session, draft.process_id)
    if base is None and draft.parent_version_id is not None:
        base = session.get(WorkflowVersion, draft.parent_version_id)
    # A new process (imported, never published) has only its own diagram.
    files = {name: text.encode("utf-8") for name, text in json.loads(base.files_json).items()} if base else {}
    files[f"{draft.process_id}.bpmn"] = draft.bpmn_xml.encode("utf-8")
    return files


def export_version(session: Session, *, version_id: int, actor: User) -> tuple[str, bytes]:
    """The version's BPMN file, to keep or to copy into workflows/ as the new shipped default."""
    version = get_version(session, version_id=version_id, actor=actor)
    name, text = version_bpmn(version)
    audit(session, process_id=version.process_id, kind="version_exported", actor=actor, version=version)
    return name, text.encode("utf-8")


def diff_versions(session: Session, *, old_id: int, new_id: int, actor: User) -> DiagramDiff:
    old = get_version(session, version_id=old_id, actor=actor)
    new = get_version(session, version_id=new_id, actor=actor)
    if old.process_id != new.process_id:
        raise InvalidInput({"version": [N_("Compare two versions of the same process.")]})
    try:
        return diff_diagrams(version_bpmn(old)[1].encode("utf-8"), version_bpmn(new)[1].encode("utf-8"))
    except UnsafeXml as error:  # stored versions were checked at deploy time: this is a broken row
        raise NotFound(N_("This process version cannot be read.")) from error


def audit(
    session: Session,
    *,
    process_id: str,
    kind: str,
    actor: User,
    draft: WorkflowDraft | None = None,
    version: WorkflowVersion | None = None,
    detail: Mapping[str, Any] | None = None,
) -> None:
    session.add(
        WorkflowEvent(
            process_id=process_id,
            kind=kind,
            actor_id=actor.id,
            draft_id=draft.id if draft else None,
            version_id=version.id if version else None,
            detail_json=json.dumps(detail, ensure_ascii=False) if detail else None,
        )
    )
    session.flush()
