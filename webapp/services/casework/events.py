"""Appends case events in the caller's transaction; the timeline reads them back."""

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from webapp.domain.cases import Case
from webapp.domain.history import CaseEvent
from webapp.domain.people import User


def record_event(
    session: Session,
    *,
    case: Case,
    kind: str,
    actor: User | None,
    task_name: str | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        actor_id=actor.id if actor else None,
        kind=kind,
        task_name=task_name,
        before_json=_dump(before),
        after_json=_dump(after),
    )
    session.add(event)
    return event


def _dump(values: Mapping[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
