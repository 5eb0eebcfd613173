"""The installed process families and what shared contexts add to every step: the one list to extend."""

from webapp.services.applications.family import FAMILY as APPLICATIONS
from webapp.services.casework.families import Family, observe_tasks, register_family
from webapp.services.deadlines.due_times import on_tasks_opened
from webapp.services.grievances.family import FAMILY as GRIEVANCES

FAMILIES: tuple[Family, ...] = (APPLICATIONS, GRIEVANCES)


def install() -> None:
    """Registers every family and the deadline hook with the core; safe to call more than once."""
    for family in FAMILIES:
        register_family(family)
    observe_tasks(on_tasks_opened)
