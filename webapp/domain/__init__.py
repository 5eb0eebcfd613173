"""Sala's entities and rules: plain SQLAlchemy, no web or engine code."""

from webapp.domain import (
    areas,
    cases,
    grievances,
    history,
    jobs,
    letters,
    people,
    publishing,
    registry,
    sla,
    tasks,
    workflows,
)
from webapp.domain.base import Base

__all__ = [
    "Base",
    "areas",
    "cases",
    "grievances",
    "history",
    "jobs",
    "letters",
    "people",
    "publishing",
    "registry",
    "sla",
    "tasks",
    "workflows",
]
