"""The statistics page's figures: one table (periods × columns), its CSV and small SVG bar charts.

Columns are fixed so the tertial report always has the same shape. Small cells are hidden, and
so is what would give them away by subtraction (``hidden_cells``): every published cell is
``table["shown"]``, the same on the page, in the CSV and in the charts.
"""

import csv
import io
from datetime import date
from typing import Dict, List, Set, Tuple

from sqlalchemy.orm import Session

from bot.places import centres
from bot.storage import statistics

BASE_COLUMNS: List[Tuple[str, str]] = [
    ("conversation_started", "Kontakter (samtal)"),
    ("acute_danger", "Hänvisade till 112"),
    ("centre_lookup:district", "Hittade sitt RVC"),
    ("referral:", "Hänvisningar till stödlinjer"),
    ("booking_made", "Bokade uppringningar"),
    ("booking_cancelled", "Avbokade"),
    ("booking_called", "Nådda i samtal"),
    ("booking_erased", "Nummer raderade"),
    ("feedback:yes", "Hjälp: ja"),
    ("feedback:partly", "Hjälp: delvis"),
    ("feedback:no", "Hjälp: nej"),
]


HIDDEN = "x"  # a hidden cell: under 5, or hidden so that no such cell can be worked out
Cell = Tuple[str, str, int]  # (kind, period, column)


def build(session: Session, kind: str) -> Dict:
    """{"columns": [...labels], "rows": [(period, [counts])], "shown": [(period, [cells])]},
    with bookings per centre appended. Hidden cells are chosen over the month and the tertial
    tables together, since a reader may have both."""
    names = centres()
    columns = [label for _metric, label in BASE_COLUMNS] + [
        f"Bokningar {name}" for name in names.values()
    ]
    tables = {"month": _month_rows(session, list(names))}
    tables["tertial"] = _tertial_rows(tables["month"])
    hidden = hidden_cells(tables)
    rows = sorted(tables[kind].items())
    return {
        "columns": columns,
        "rows": rows,
        "shown": [
            (period, [_shown(value, (kind, period, c) in hidden) for c, value in enumerate(values)])
            for period, values in rows
        ],
    }


def hidden_cells(tables: Dict[str, Dict[str, List[int]]]) -> Set[Cell]:
    """Cells under 5, and complementary ones: where a sum is published with its parts (the
    bookings with the bookings per centre; a tertial with its months), one hidden part could be
    worked out by subtraction, so the smallest other non-zero cell of that sum is hidden too,
    until no sum has exactly one hidden cell."""
    value = {
        (kind, period, c): v
        for kind, rows in tables.items()
        for period, values in rows.items()
        for c, v in enumerate(values)
    }
    hidden = {cell for cell, v in value.items() if 0 < v < statistics.SMALL_CELL}
    groups = _sums(tables)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(cell in hidden for cell in group) != 1:
                continue
            others = [cell for cell in group if cell not in hidden and value[cell] > 0]
            if others:
                hidden.add(min(others, key=lambda cell: (value[cell], cell)))
                changed = True
    return hidden


def _sums(tables: Dict[str, Dict[str, List[int]]]) -> List[List[Cell]]:
    """Every published sum with its parts, the sum first."""
    total = [metric for metric, _label in BASE_COLUMNS].index("booking_made")
    width = len(next(iter(tables["month"].values()), []))
    groups = [
        [(kind, period, total)] + [(kind, period, c) for c in range(len(BASE_COLUMNS), width)]
        for kind, rows in tables.items()
        for period in rows
    ]
    for tertial in tables["tertial"]:
        months = [month for month in tables["month"] if _tertial_of(month) == tertial]
        groups += [
            [("tertial", tertial, c)] + [("month", month, c) for month in months]
            for c in range(width)
        ]
    return groups


def _month_rows(session: Session, centre_ids: List[str]) -> Dict[str, List[int]]:
    totals = statistics.report(session, "month")
    per_centre = statistics.by_centre(session, "booking_made", "month")
    periods = {period for period, _metric in totals} | {period for period, _c in per_centre}
    rows = {}
    for period in periods:
        values = []
        for metric, _label in BASE_COLUMNS:
            if metric.endswith(":"):
                values.append(
                    sum(v for (p, m), v in totals.items() if p == period and m.startswith(metric))
                )
            else:
                values.append(totals.get((period, metric), 0))
        values += [per_centre.get((period, centre), 0) for centre in centre_ids]
        rows[period] = values
    return rows


def _tertial_rows(months: Dict[str, List[int]]) -> Dict[str, List[int]]:
    rows: Dict[str, List[int]] = {}
    for month, values in months.items():
        tertial = rows.setdefault(_tertial_of(month), [0] * len(values))
        for c, v in enumerate(values):
            tertial[c] += v
    return rows


def _tertial_of(month: str) -> str:
    year, number = month.split("-")
    return statistics.period_of(date(int(year), int(number), 1), "tertial")


def _shown(value: int, hidden: bool) -> str:
    return HIDDEN if hidden else str(value)


def to_csv(table: Dict) -> str:
    """The table as CSV for Swedish Excel: ";" between cells (the comma is the decimal sign
    there) and a byte-order mark, without which Excel reads UTF-8 as Latin-1 ("SÃ¶dra")."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Period"] + table["columns"])
    for period, cells in table["shown"]:
        writer.writerow([period] + cells)
    return out.getvalue()


# One chart per series, each on its own scale: on a shared one the few bookings vanished next
# to the many contacts. (metric key, title, data-testid; the first testid is a browser-test hook)
CHARTS: List[Tuple[str, str, str]] = [
    ("conversation_started", "Kontakter", "chart"),
    ("booking_made", "Bokade uppringningar", "chart-bookings"),
]
PERIOD_WORDS = {"month": "månad", "tertial": "tertial"}
CHART_MARGIN = 20  # room above the bars for their labels and below them for the periods
MAX_BAR_WIDTH = 80  # a lone period should not read as a wall


def bar_charts(table: Dict, kind: str, width: int = 640, height: int = 220) -> List[Dict]:
    """One bar chart per entry of CHARTS, as numbers the template draws as SVG."""
    metrics = [metric for metric, _label in BASE_COLUMNS]
    return [
        bar_chart(
            table, metrics.index(metric), f"{title} per {PERIOD_WORDS[kind]}", testid, width, height
        )
        for metric, title, testid in CHARTS
    ]


def bar_chart(
    table: Dict, column: int, title: str, testid: str, width: int = 640, height: int = 220
) -> Dict:
    """Bars for one column of the table, the tallest using the chart's full plot height.
    Hidden cells are drawn as zero-height bars with the table's mark: the chart reveals no more
    than the table."""
    rows = table["rows"]
    labels = [cells[column] for _period, cells in table["shown"]]
    plot_height = height - 2 * CHART_MARGIN
    visible = [
        0 if label == HIDDEN else values[column]
        for (_period, values), label in zip(rows, labels, strict=True)
    ]
    peak = max(visible + [1])
    slot = width / max(len(rows), 1)
    bar_width = min(slot / 2, MAX_BAR_WIDTH)
    bars = []
    for index, ((period, _values), shown_value, label) in enumerate(
        zip(rows, visible, labels, strict=True)
    ):
        bar_height = plot_height * shown_value / peak
        bars.append(
            {
                "x": index * slot + (slot - bar_width) / 2,
                "y": height - CHART_MARGIN - bar_height,
                "w": bar_width,
                "h": bar_height,
                "label": label,
                "period": period,
            }
        )
    return {
        "id": f"{testid}-title",
        "testid": testid,
        "title": title,
        "width": width,
        "height": height,
        "plot_height": plot_height,
        "baseline": height - CHART_MARGIN,
        "bars": bars,
        "periods": [(index * slot + slot / 2, period) for index, (period, _v) in enumerate(rows)],
    }
