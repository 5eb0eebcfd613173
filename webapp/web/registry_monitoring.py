"""The SSDM monitoring report page (month, semester, year), its CSV and XLSX exports, its charts as SVG,
and the printable sheet the district sends to each commune every month."""

import io
from dataclasses import dataclass

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound as HttpNotFound

from webapp.domain.base import utcnow
from webapp.domain.text import SafeCsvWriter, spreadsheet_safe
from webapp.services.registry.monitoring import (
    PERIODS,
    READERS,
    AreaFigures,
    MonitoringReport,
    monitoring_report,
    parse_period,
)
from webapp.web.params import page_number, query_int
from webapp.web.runtime import db, today

bp = Blueprint("registry_monitoring", __name__, url_prefix="/registry/monitoring")
PAGE_SIZE = 20
BAR, GAP, LABEL, PLOT = 18, 8, 260, 420


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    first: int
    second: int
    first_width: float
    second_width: float


@bp.before_request
@login_required
def _readers_only() -> None:
    if current_user.role not in READERS:
        raise HttpNotFound()


@bp.get("/")
def report() -> ResponseReturnValue:
    found = _report(request.args.get("area"))
    export = request.args.get("format")
    if export == "csv":
        return _download(_csv(found), "text/csv", found, "csv")
    if export == "xlsx":
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(_xlsx(found), mimetype, found, "xlsx")
    page = page_number(request.args.get("page"))
    return render_template(
        "registry_monitoring.html",
        report=found,
        rows=found.rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        page=page,
        has_next=page * PAGE_SIZE < len(found.rows),
        chart=_chart(found),
        PERIODS=PERIODS,
        args=_period_args(),
        chart_size=(LABEL, PLOT, BAR),
    )


@bp.get("/sheet/<code>")
def sheet(code: str) -> ResponseReturnValue:
    """One commune's month on one printable sheet: the district sends it to the commune."""
    found = _report(code[:8])
    return render_template(
        "registry_monitoring_sheet.html",
        report=found,
        printed_on=today(),
        PERIODS=PERIODS,
        chart=_chart(found),
        chart_size=(LABEL, PLOT, BAR),
    )


def _report(area: str | None) -> MonitoringReport:
    args = request.args
    period = parse_period(
        args.get("period"), _whole(args.get("year")), _whole(args.get("number")), today=today()
    )
    return monitoring_report(db(), user=current_user, scope_code=area or None, period=period, now=utcnow())


def _whole(value: str | None) -> int | None:
    """A year or a period number from the query; None (the current one) when it is not a whole number."""
    return query_int(value, default=0, largest=9999) or None


def _period_args() -> dict[str, str]:
    return {key: request.args[key] for key in ("period", "year", "number", "area") if request.args.get(key)}


def _chart(found: MonitoringReport) -> list[Bar]:
    """Approved and rejected applications per programme, stacked, as bars scaled to the largest."""
    totals = [(p, found.total.by_programme.get(p.code, [0, 0, 0, 0])) for p in found.programmes]
    largest = max((values[1] + values[2] for _, values in totals), default=0) or 1
    return [
        Bar(
            _(programme.name),
            index * (BAR + GAP),
            values[1],
            values[2],
            PLOT * values[1] / largest,
            PLOT * values[2] / largest,
        )
        for index, (programme, values) in enumerate(totals)
    ]


HEADERS = (
    "area_code",
    "area",
    "registrations",
    "registered",
    "registrations_rejected",
    "applications",
    "decided",
    "approved",
    "rejected",
    "median_working_days",
    "pending",
    "overdue",
    "grievances",
    "grievances_resolved",
    "grievances_pending",
    "registered_people",
)


def _table(found: MonitoringReport) -> list[list[object]]:
    locale = str(get_locale())
    codes = [p.code for p in found.programmes]
    header: list[object] = [*HEADERS]
    for code in codes:
        header += [f"{code}_applications", f"{code}_approved", f"{code}_rejected", f"{code}_coverage"]
    table = [header]
    for figures in [*found.rows, found.total]:
        table.append(_line(figures, codes, locale))
    return table


def _line(figures: AreaFigures, codes: list[str], locale: str) -> list[object]:
    name = figures.name_km if locale == "km" else figures.name_latin
    line: list[object] = [
        figures.code,
        name,
        figures.registrations,
        figures.registered,
        figures.registrations_rejected,
        figures.applications,
        figures.decided,
        figures.approved,
        figures.rejected,
        figures.median_days if figures.median_days is not None else "",
        figures.pending,
        figures.overdue,
        figures.grievances,
        figures.grievances_resolved,
        figures.grievances_pending,
        figures.people,
    ]
    for code in codes:
        applications, approved, rejected, _enrolled = figures.by_programme.get(code, [0, 0, 0, 0])
        coverage = figures.coverage(code)
        line += [applications, approved, rejected, round(coverage, 4) if coverage is not None else ""]
    return line


def _csv(found: MonitoringReport) -> bytes:
    out = io.StringIO()
    SafeCsvWriter(out).writerows(_table(found))
    return out.getvalue().encode("utf-8")


def _xlsx(found: MonitoringReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "SSDM"
    for line in _table(found):
        sheet.append([spreadsheet_safe(value) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(content: bytes, mimetype: str, found: MonitoringReport, suffix: str) -> Response:
    period = found.period
    name = f"ssdm-{found.scope.code or 'kh'}-{period.year}-{period.kind}-{period.number}.{suffix}"
    return Response(
        content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
