"""The monthly grievance report page (inline SVG bars, no script) and its CSV."""

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import NotFound as HttpNotFound

from webapp.domain.areas import AreaLevel
from webapp.domain.grievances import CATEGORIES, CHANNELS
from webapp.domain.people import RoleName
from webapp.services.grievances.report import GROUP_LEVELS, AreaRow, monthly_report, report_csv
from webapp.web.params import parse_month
from webapp.web.runtime import db, today

bp = Blueprint("grievance_reports", __name__)
READERS = (
    RoleName.DISTRICT_SUPERVISOR,
    RoleName.ADMINISTRATOR,
    RoleName.CWCC_SECRETARY,
    RoleName.TCC_SECRETARY,
    RoleName.PROVINCE_ESA_OFFICER,
)
BAR, GAP, LABEL, PLOT = 18, 10, 220, 420
LEVEL_LABELS = {"commune": _l("Commune"), "district": _l("District"), "province": _l("Province")}


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    received: float
    resolved: float
    pending: float
    counts: tuple[int, int, int]


@bp.get("/grievances/report")
@login_required
def report() -> ResponseReturnValue:
    if current_user.role not in READERS:
        raise HttpNotFound()
    month = _month(request.args.get("month", ""))
    level = _level(request.args.get("level", ""))
    rows = monthly_report(db(), user=current_user, month=month, level=level)
    if request.args.get("format") == "csv":
        name = f"grievances-{month:%Y-%m}-{level.value}.csv"
        return Response(
            report_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    bars = _bars(rows)
    return render_template(
        "grievance_report.html",
        rows=rows,
        month=month,
        level=level,
        levels=GROUP_LEVELS,
        level_labels=LEVEL_LABELS,
        bars=bars,
        geometry={"bar": BAR, "label": LABEL, "plot": PLOT, "height": max(1, len(bars)) * (BAR * 3 + GAP)},
        channels=CHANNELS,
        categories=CATEGORIES,
    )


def _bars(rows: list[AreaRow]) -> list[Bar]:
    largest = max(
        (max(r.received, r.resolved_level_1 + r.resolved_level_2, r.pending) for r in rows), default=0
    )
    scale = PLOT / (largest or 1)
    return [
        Bar(
            label=row.area_name,
            y=index * (BAR * 3 + GAP),
            received=row.received * scale,
            resolved=(row.resolved_level_1 + row.resolved_level_2) * scale,
            pending=row.pending * scale,
            counts=(row.received, row.resolved_level_1 + row.resolved_level_2, row.pending),
        )
        for index, row in enumerate(rows)
    ]


def _month(value: str) -> date:
    """The month asked for (a malformed or out-of-range one is a 400), else the current month."""
    return parse_month(value, default=today().replace(day=1))


def _level(value: str) -> AreaLevel:
    return next((level for level in GROUP_LEVELS if level.value == value), AreaLevel.DISTRICT)
