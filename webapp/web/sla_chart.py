"""Geometry of the SLA report's bar chart, drawn as inline SVG by the template: no script, no library."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from webapp.services.deadlines.report import ReportRow

BAR_HEIGHT, GAP, LABEL_WIDTH, PLOT_WIDTH = 18, 8, 260, 420


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    met: int
    breached: int
    met_width: float
    breached_width: float


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    plot_width: int = PLOT_WIDTH


def bar_chart(rows: Iterable[ReportRow]) -> Chart:
    """One stacked bar per step: steps that met their deadline, then those that missed it."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row.step][0] += row.met
        totals[row.step][1] += row.breached
    largest = max((met + breached for met, breached in totals.values()), default=0) or 1
    bars = [
        Bar(
            label=step,
            y=index * (BAR_HEIGHT + GAP),
            met=met,
            breached=breached,
            met_width=PLOT_WIDTH * met / largest,
            breached_width=PLOT_WIDTH * breached / largest,
        )
        for index, (step, (met, breached)) in enumerate(sorted(totals.items()))
    ]
    return Chart(bars=bars, height=max(1, len(bars)) * (BAR_HEIGHT + GAP))
