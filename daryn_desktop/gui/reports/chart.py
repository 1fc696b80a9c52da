"""The chart beside a statistics table (QtCharts): two bar series by district or measure."""

from __future__ import annotations

import math

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from daryn_desktop.core.stats.model import Table
from daryn_desktop.reports.statistics import render
from daryn_desktop.reports.statistics_pdf import CHART_ROWS, MAX_BARS

COLOURS = ("#2f6f9f", "#b8c9d9")
#: Category names longer than this are cut (with an ellipsis) beside the bars.
NAME_LENGTH = 28
#: Below this many children the axis has a tick for each child.
SMALL_TOP = 10


def _short(name: str) -> str:
    return name if len(name) <= NAME_LENGTH else name[:NAME_LENGTH - 1] + "…"


class StatsChart(QChartView):
    """Bars of the table's chart columns (this year and the year before, or planned and
    done), one group per district, measure or level; empty for tables without a chart."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reportChart")
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumWidth(320)
        self.chart().legend().setAlignment(Qt.AlignmentFlag.AlignBottom)

    def show_table(self, table: Table | None, lang: str) -> int:
        """Draw ``table``; returns the number of bar groups drawn."""
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setChart(chart)
        kinds = CHART_ROWS.get(table.key) if table is not None else None
        if table is None or not kinds or len(table.chart_columns) < 2:
            chart.setTitle("")
            return 0
        shown = render(table, lang)
        labels = len(table.label_titles)
        index = {c.key: i for i, c in enumerate(table.columns)}
        first, second = (labels + index[k] for k in table.chart_columns[:2])

        def number(value: object) -> float:
            return float(value) if isinstance(value, (int, float)) else 0.0

        rows = [values for kind, values in shown.rows if kind in kinds]
        # Horizontal bars, the largest on top, so that the names of districts can be read.
        rows.sort(key=lambda v: number(v[first]))
        rows = rows[-MAX_BARS:]
        series = QHorizontalBarSeries()
        top = 0.0
        for column, colour in ((first, COLOURS[0]), (second, COLOURS[1])):
            bars = QBarSet(shown.headers[column])
            bars.setColor(QColor(colour))
            for values in rows:
                bars.append(number(values[column]))
                top = max(top, number(values[column]))
            series.append(bars)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([_short(str(v[0])) for v in rows])
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        axis = QValueAxis()
        axis.setLabelFormat("%d")
        if top < SMALL_TOP:
            # Counts of a few children: one tick per child, or the "nice" steps of 0.2 would
            # all be labelled 0 in whole numbers.
            upper = math.ceil(top) + 1
            axis.setRange(0, upper)
            axis.setTickCount(upper + 1)
        else:
            axis.setRange(0, top * 1.1)
            axis.applyNiceNumbers()
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        chart.setTitle(shown.title)
        return len(rows)
