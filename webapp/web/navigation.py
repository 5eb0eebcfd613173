"""The main navigation: one list of entries, each shown to the users its page serves, rendered by base.html.

Each entry's `shown_to` asks the same question its view asks before answering (the role tuples are the views'
and services' own), so the menu never offers a page that answers 404, and every page a role may use is one
click away. A process family adds its pages here, in its block below.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.domain.messages import N_
from webapp.domain.people import RoleName, User
from webapp.domain.publishing import EDITOR_ROLES
from webapp.services.applications.intake import INTAKE_ROLE
from webapp.services.correspondence.batches import BATCH_ROLES
from webapp.services.correspondence.letters import HANDLER_ROLES as LETTER_HANDLERS
from webapp.services.grievances.committees import COMMITTEE_OF_ROLE
from webapp.services.grievances.intake import INTAKE as GRIEVANCE_INTAKE
from webapp.services.nssf.records import INSPECTORS as NSSF_INSPECTORS
from webapp.services.nssf.records import OFFICERS as NSSF_OFFICERS
from webapp.services.nssf.records import READERS as NSSF_READERS
from webapp.services.registry.access import DECIDING_ROLES as REGISTRY_DECIDERS
from webapp.services.registry.importing import IMPORTER_ROLE
from webapp.services.registry.monitoring import READERS as MONITORING_READERS
from webapp.services.registry.registration import REFERRAL_ROLE, REGISTER_ROLE
from webapp.web.grievance_reports import READERS as GRIEVANCE_REPORT_READERS

Predicate = Callable[[User], bool]


def everyone(_user: User) -> bool:
    return True


def role_in(roles: Iterable[str]) -> Predicate:
    allowed = frozenset(str(role) for role in roles)
    return lambda user: user.role in allowed


def supervisors(user: User) -> bool:
    return user.is_supervisor


def administrators(user: User) -> bool:
    return user.role == RoleName.ADMINISTRATOR


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: str  # English message id
    shown_to: Predicate
    # Other endpoints under this entry, marked as the current page too (a calendar under "Calendars").
    also_current: tuple[str, ...] = ()


# Officers' daily work first, then supervision, then administration.
SIGNED_IN: tuple[NavEntry, ...] = (
    NavEntry("inbox.index", N_("Inbox"), everyone, ("tasks.show",)),
    NavEntry("cases.index", N_("Cases"), everyone, ("cases.show", "cases.print_summary")),
    NavEntry("cases.new", N_("New application"), role_in((INTAKE_ROLE,))),
    NavEntry("grievances.index", N_("Grievances"), everyone, ("grievances.show", "grievances.slip")),
    NavEntry("grievances.new", N_("Record a grievance"), role_in(GRIEVANCE_INTAKE)),
    NavEntry("committees.index", N_("Committee meetings"), role_in(COMMITTEE_OF_ROLE), ("committees.show",)),
    NavEntry("letters.index", N_("Letters"), role_in(LETTER_HANDLERS)),
    NavEntry("letters.batch", N_("Letters to hand out"), role_in(BATCH_ROLES)),
    # Process families: the registry and NSSF pages go here, one entry per page an officer starts from.
    NavEntry("registry_pages.refer", N_("Refer a household"), role_in((REFERRAL_ROLE,))),
    NavEntry("registry_pages.register", N_("Register a household"), role_in((REGISTER_ROLE,))),
    NavEntry(
        "registry_imports.new",
        N_("Import a list of households"),
        role_in((IMPORTER_ROLE,)),
        ("registry_imports.show",),
    ),
    NavEntry("registry.changes", N_("Changes to approve"), role_in(REGISTRY_DECIDERS)),
    NavEntry("registry.duplicates", N_("Possible duplicates"), role_in(REGISTRY_DECIDERS)),
    NavEntry(
        "registry_monitoring.report",
        N_("SSDM monitoring report"),
        role_in(MONITORING_READERS),
        ("registry_monitoring.sheet",),
    ),
    NavEntry("nssf.index", N_("NSSF registries"), role_in(NSSF_READERS), ("nssf.case", "nssf.member_list")),
    NavEntry("nssf.enterprise_new", N_("Register an enterprise"), role_in(NSSF_OFFICERS)),
    NavEntry("nssf.members_new", N_("Declare employees"), role_in(NSSF_OFFICERS)),
    NavEntry("nssf.self_employed", N_("Register a self-employed worker"), role_in(NSSF_OFFICERS)),
    NavEntry("nssf.inspection_new", N_("Record an inspection"), role_in(NSSF_INSPECTORS)),
    NavEntry("nssf.report", N_("NSSF progress report"), role_in(NSSF_READERS)),
    NavEntry("grievance_reports.report", N_("Grievance report"), role_in(GRIEVANCE_REPORT_READERS)),
    NavEntry("sla.watch", N_("Deadlines at risk"), supervisors),
    NavEntry("sla.report", N_("Deadline report"), supervisors),
    NavEntry(
        "modeler.index",
        N_("Processes"),
        role_in(EDITOR_ROLES),
        (
            "modeler.version",
            "modeler.draft",
            "modeler.import_form",
            "modeler.diff",
            "modeler.migration_preview",
        ),
    ),
    NavEntry("admin.user_list", N_("Accounts"), administrators, ("admin.user_new", "admin.user_edit")),
    NavEntry("admin.audit", N_("Audit"), administrators),
    NavEntry("sla.calendars", N_("Calendars"), administrators, ("sla.calendar",)),
    NavEntry("operations.jobs", N_("Background jobs"), administrators),
)

# A visitor who has not signed in: the public grievance pages and the letter check.
VISITOR: tuple[NavEntry, ...] = (
    NavEntry("grievances.public_form", N_("File a grievance"), everyone),
    NavEntry("grievances.public_status_page", N_("Grievance status"), everyone),
    NavEntry("letters.verify_page", N_("Check a letter"), everyone),
    NavEntry("catalogue.index", N_("Social protection programmes"), everyone, ("catalogue.show",)),
    NavEntry("nssf.public_apply", N_("Register an enterprise with NSSF"), everyone),
)


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    current: bool


def entries_for(user: User | None) -> list[NavEntry]:
    """The entries `user` sees (a visitor's when None), in menu order."""
    if user is None:
        return list(VISITOR)
    return [entry for entry in SIGNED_IN if entry.shown_to(user)]


def nav_links() -> list[NavLink]:
    """The current user's menu, translated, with the page being shown marked. The links and labels of a
    menu are kept per language, application root and set of entries shown (every page draws the menu)."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    entries = tuple(entries_for(user))
    key = (str(get_locale()), request.script_root, tuple(entry.endpoint for entry in entries))
    drawn = _DRAWN.get(key)
    if drawn is None:
        drawn = tuple((entry, url_for(entry.endpoint), _(entry.label)) for entry in entries)
        if len(_DRAWN) >= 256:  # a menu per role and language: a bound never reached in practice
            _DRAWN.clear()
        _DRAWN[key] = drawn
    endpoint = request.endpoint
    return [
        NavLink(url, label, endpoint == entry.endpoint or endpoint in entry.also_current)
        for entry, url, label in drawn
    ]


_DRAWN: dict[tuple[str, str, tuple[str, ...]], tuple[tuple[NavEntry, str, str], ...]] = {}
