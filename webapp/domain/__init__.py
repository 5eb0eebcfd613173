"""Sala's entities and rules: plain SQLAlchemy, no web or engine code."""

from webapp.domain import (
    areas,
    audit,
    cases,
    grievances,
    history,
    jobs,
    letters,
    monitoring,
    nssf,
    people,
    publishing,
    registry,
    security,
    sla,
    tasks,
    views,
    workflows,
)
from webapp.domain.base import Base

__all__ = [
    "Base",
    "areas",
    "audit",
    "cases",
    "grievances",
    "history",
    "jobs",
    "letters",
    "monitoring",
    "nssf",
    "people",
    "publishing",
    "registry",
    "security",
    "sla",
    "tasks",
    "views",
    "workflows",
]
