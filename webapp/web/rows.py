"""The rows of the two longest tables, the task lists (inbox, case page, task page) and the case list, in
Python: a page shows up to 50 rows of each list, and in Jinja each row cost about a tenth of a millisecond of
macro calls, link building and catalog look-ups. What a table's rows share (the reader's locale, the
translations, the CSRF token, the links' shape) is resolved once per table (`Table`).

The HTML is the templates' own, byte for byte: translations are markup as `_()` marks them, and every stored
value goes through `escape` (or Markup's %, which escapes its arguments)."""

from collections.abc import Callable, Collection, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any

from flask import url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from webapp.domain.cases import Case
from webapp.domain.messages import N_
from webapp.domain.tasks import Task
from webapp.web.cells import age, outcome_badge, person_name, sla_badge, status_badge, when
from webapp.web.formatting import number_text, reader_locale
from webapp.web.i18n import request_catalog

_PLACE = 2147483647  # an id no row has, standing for the row's id in a link built once per table
REGISTRATION_PROCESS = "ssdm_registration"
TASK_ACTIONS = (("claim", "primary", N_("Claim")), ("release", "secondary", N_("Release")))


class Table:
    """What a table's rows share, resolved once: the reader's locale, translations, links and CSRF token."""

    def __init__(self) -> None:
        self.locale = reader_locale()
        self._kept: dict[str, Markup] = {}

    def t(self, message: str, **variables: Any) -> Markup:
        """`_()` of the templates, each message looked up once per table (its variables escaped into it)."""
        text = self._kept.get(message)
        if text is None:  # a translator's message is markup, as the templates' `_()` marks it
            text = self._kept[message] = Markup(request_catalog().ugettext(message))  # noqa: S704
        return text % variables if variables or "%" in text else text

    def when(self, value: datetime | None) -> str:
        """A plain str: rows add more HTML to it, which Markup's + would escape."""
        return str(when(value, self.locale))

    def number(self, value: int) -> str:
        return number_text(value, locale=self.locale)

    def age(self, now: datetime, value: datetime) -> Markup:
        return age(now, value, self.locale)

    def programme(self, case: Case) -> Markup:
        """What a row shows as the case's programme: its name, or the household registration or grievance."""
        if case.programme:
            return self.t(case.programme.name)
        registration = case.process_id == REGISTRATION_PROCESS
        return self.t(N_("Household registration") if registration else N_("Grievance"))

    @cached_property
    def csrf(self) -> Markup:
        return escape(generate_csrf())

    @cached_property
    def links(self) -> dict[str, Callable[[int], str]]:
        return {
            "case": link_maker("cases.show", "case_id"),
            "task": link_maker("tasks.show", "task_id"),
            "claim": link_maker("tasks.claim", "task_id"),
            "release": link_maker("tasks.release", "task_id"),
            "reassign": link_maker("tasks.reassign", "task_id"),
        }


def link_maker(endpoint: str, name: str) -> Callable[[int], str]:
    """The link of `endpoint` for an id, built by url_for once and then filled in for each row."""
    values: dict[str, Any] = {name: _PLACE}
    url = str(escape(url_for(endpoint, **values)))
    head, found, tail = url.partition(str(_PLACE))
    if not found or str(_PLACE) in tail:
        return lambda ident: str(escape(url_for(endpoint, **{**values, name: ident})))
    return lambda ident: f"{head}{int(ident)}{tail}"


def task_rows(
    tasks: list[Task],
    now: datetime,
    actions: Collection[str],
    sla: Mapping[int, Any] | None = None,
    select_form: str | None = None,
) -> Markup:
    """The <tr> of each task of _task_table.html's table (its columns, and the actions asked for)."""
    table, parts = Table(), []
    for task in tasks:
        parts.append(_task_cells(table, task, now, sla or {}, select_form))
        parts.append(_task_actions(table, task, actions))
    return Markup("".join(parts))  # noqa: S704 - built from escaped values and translations


def _task_cells(
    table: Table, task: Task, now: datetime, sla: Mapping[int, Any], select_form: str | None
) -> str:
    case, t = task.case, table.t
    badge = sla.get(task.id)
    due = table.when(task.due_at)
    if badge:
        due += f"<br>{sla_badge(badge, gettext=t, number=table.number)}"
    tick = ""
    if select_form:
        label = t(N_("Select %(reference)s"), reference=case.reference)
        form = escape(select_form)
        tick = (
            f'<td data-label="{t(N_("Select"))}"><input type="checkbox" name="task_id" value="{task.id}" '
            f'form="{form}" aria-label="{label}"></td>'
        )
    reference, applicant, step, holder = _task_identity(table, task)
    return (
        f'\n    <tr data-task="{task.id}" class="{"overdue" if task.due_at and task.due_at < now else ""}">\n'
        f"      {tick}\n"
        f'      <td data-label="{t(N_("Due"))}">{due}</td>\n'
        f'      <td data-label="{t(N_("Case"))}">{reference}</td>\n'
        f'      <td data-label="{t(N_("Applicant"))}">{applicant}</td>\n'
        f'      <td data-label="{t(N_("Programme"))}">{table.programme(case)}</td>\n'
        f'      <td data-label="{t(N_("Step"))}">{step}</td>\n'
        f'      <td data-label="{t(N_("Age"))}">{table.age(now, task.created_at)}</td>\n'
        f'      <td data-label="{t(N_("Held by"))}">{holder}</td>\n'
    )


def _task_identity(table: Table, task: Task) -> tuple[str, str, str, str]:
    """The cells every task row shows: its case's reference and applicant, the step and who holds it."""
    case, links = task.case, table.links
    reference = f'<a href="{links["case"](case.id)}">{escape(case.reference)}</a>'
    applicant = person_name(case.person) if case.person else "—"
    step = f'<a href="{links["task"](task.id)}">{table.t(task.name)}</a>'
    holder = escape(task.assignee.full_name) if task.assignee else "—"
    return reference, applicant, step, holder


def _task_actions(table: Table, task: Task, actions: Collection[str]) -> str:
    shown = ""
    if "open" in actions:
        link = table.links["task"](task.id)
        shown = f'<a class="btn btn-small btn-primary" href="{link}">{table.t(N_("Open"))}</a>'
    forms = [
        _action_form(table, table.links[action](task.id), style, label) if action in actions else ""
        for action, style, label in TASK_ACTIONS
    ]
    return (
        f'      <td class="actions">\n        {shown}\n        {forms[0]}\n        {forms[1]}\n'
        "      </td>\n    </tr>\n  "
    )


def _action_form(table: Table, action: str, style: str, label: str) -> str:
    return (
        f'\n        <form method="post" action="{action}">\n'
        f'          <input type="hidden" name="csrf_token" value="{table.csrf}">\n'
        f'          <button class="btn btn-small btn-{style}" type="submit">{table.t(label)}</button>\n'
        "        </form>\n        "
    )


CASE_COLUMNS = (
    N_("Reference"),
    N_("Applicant"),
    N_("Programme"),
    N_("Village"),
    N_("Opened"),
    N_("Status"),
)


def case_rows(cases: list[Case]) -> Markup:
    """The <tr> of each case of cases.html's table."""
    table, link = Table(), link_maker("cases.show", "case_id")
    labels = [table.t(column) for column in CASE_COLUMNS]
    parts = []
    for case in cases:
        applicant = person_name(case.person) if case.person else "—"
        badges = f"{status_badge(case.status)} {outcome_badge(case.outcome)}"
        parts.append(
            f'\n  <tr data-case="{case.id}">\n'
            f'    <td data-label="{labels[0]}"><a href="{link(case.id)}">{escape(case.reference)}</a></td>\n'
            f'    <td data-label="{labels[1]}">{applicant}</td>\n'
            f'    <td data-label="{labels[2]}">{table.programme(case)}</td>\n'
            f'    <td data-label="{labels[3]}">{escape(case.area.name(table.locale))}</td>\n'
            f'    <td data-label="{labels[4]}">{table.when(case.created_at)}</td>\n'
            f'    <td data-label="{labels[5]}">{badges}</td>\n'
            "  </tr>\n  "
        )
    return Markup("".join(parts))  # noqa: S704 - built from escaped values and translations


def watch_rows(tasks: list[Task], sla: Mapping[int, Any], candidates: Mapping[int, list[Any]]) -> Markup:
    """The <tr> of each task of sla_watch.html's table: its deadline, case, step, holder, and the officers
    it may be handed to (each officer's option written once per page, not once per row)."""
    table, parts = Table(), []
    options: dict[int, tuple[str, str]] = {}  # officer id -> the option's value and text
    for task in tasks:
        offered = candidates.get(task.id) or []
        for officer in offered:
            if officer.id not in options:
                load = table.t(N_("%(count)s open"), count=table.number(officer.open_tasks))
                text = f"{escape(officer.full_name)} ({escape(officer.username)}, {load})"
                options[officer.id] = (str(escape(officer.id)), text)
        parts.append(_watch_cells(table, task, sla.get(task.id), bool(offered)))
        parts.append(_reassign_cell(table, task, [options[officer.id] for officer in offered], offered))
    return Markup("".join(parts))  # noqa: S704 - built from escaped values and translations


def _watch_cells(table: Table, task: Task, badge: Any, offered: bool) -> str:
    case, t = task.case, table.t
    tick = ""
    if offered:
        label = t(N_("Select %(reference)s"), reference=case.reference)
        tick = (
            f'<input type="checkbox" name="task_id" value="{task.id}" form="reassign-selected" '
            f'aria-label="{label}">'
        )
    due = f"{table.when(task.due_at)}<br>{sla_badge(badge, gettext=t, number=table.number)}"
    reference, applicant, step, holder = _task_identity(table, task)
    return (
        f'\n  <tr data-task="{task.id}">\n'
        f'    <td data-label="{t(N_("Select"))}">{tick}</td>\n'
        f'    <td data-label="{t(N_("Deadline"))}">{due}</td>\n'
        f'    <td data-label="{t(N_("Case"))}">{reference}</td>\n'
        f'    <td data-label="{t(N_("Applicant"))}">{applicant}</td>\n'
        f'    <td data-label="{t(N_("Step"))}">{step}</td>\n'
        f'    <td data-label="{t(N_("Held by"))}">{holder}</td>\n'
    )


def _reassign_cell(table: Table, task: Task, options: list[tuple[str, str]], offered: list[Any]) -> str:
    t = table.t
    if not options:
        nobody = t(N_("No other officer"))
        chosen = f'<span class="muted">{nobody}</span>'
    else:
        label, button = t(N_("Reassign to")), t(N_("Reassign"))
        listed = "".join(
            f'<option value="{value}" {"selected" if officer.id == task.assignee_id else ""}>{text}</option>'
            for (value, text), officer in zip(options, offered, strict=True)
        )
        chosen = (
            f'\n      <form method="post" action="{table.links["reassign"](task.id)}" class="reassign">\n'
            f'        <input type="hidden" name="csrf_token" value="{table.csrf}">\n'
            f'        <label class="visually-hidden" for="assignee-{task.id}">{label}</label>\n'
            f'        <select name="assignee_id" id="assignee-{task.id}">\n'
            f"          {listed}\n"
            "        </select>\n"
            f'        <button class="btn btn-small btn-secondary" type="submit">{button}</button>\n'
            "      </form>\n      "
        )
    return f'    <td data-label="{t(N_("Reassign to"))}">\n      {chosen}\n    </td>\n  </tr>\n  '


def row_globals() -> dict[str, object]:
    return {"task_rows": task_rows, "case_rows": case_rows, "watch_rows": watch_rows}
