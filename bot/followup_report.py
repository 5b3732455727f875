"""The statistics page's figures: one table (periods × columns), its CSV and small SVG bar charts.

Columns are fixed so the tertial report always has the same shape. Every published cell goes
through ``statistics.shown`` (counts under 5 become "<5").
"""

import csv
import io
from typing import Dict, List, Tuple

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


def build(session: Session, kind: str) -> Dict:
    """{"columns": [...labels], "rows": [(period, [counts])]} with bookings per centre appended."""
    totals = statistics.report(session, kind)
    per_centre = statistics.by_centre(session, "booking_made", kind)
    names = centres()
    columns = [label for _metric, label in BASE_COLUMNS] + [
        f"Bokningar {name}" for name in names.values()
    ]
    periods = sorted({period for period, _metric in totals} | {period for period, _c in per_centre})
    rows = []
    for period in periods:
        values = []
        for metric, _label in BASE_COLUMNS:
            if metric.endswith(":"):
                values.append(
                    sum(v for (p, m), v in totals.items() if p == period and m.startswith(metric))
                )
            else:
                values.append(totals.get((period, metric), 0))
        values += [per_centre.get((period, centre), 0) for centre in names]
        rows.append((period, values))
    return {"columns": columns, "rows": rows}


def to_csv(table: Dict) -> str:
    """The table as CSV for Swedish Excel: ";" between cells (the comma is the decimal sign
    there) and a byte-order mark, without which Excel reads UTF-8 as Latin-1 ("SÃ¶dra")."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Period"] + table["columns"])
    for period, values in table["rows"]:
        writer.writerow([period] + [statistics.shown(v) for v in values])
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
    Small cells are drawn as zero-height bars with the label "<5": the chart reveals no more
    than the table."""
    rows = table["rows"]
    plot_height = height - 2 * CHART_MARGIN
    visible = [
        values[column] if values[column] >= statistics.SMALL_CELL else 0 for _period, values in rows
    ]
    peak = max(visible + [1])
    slot = width / max(len(rows), 1)
    bar_width = min(slot / 2, MAX_BAR_WIDTH)
    bars = []
    for index, ((period, values), shown_value) in enumerate(zip(rows, visible)):
        bar_height = plot_height * shown_value / peak
        bars.append(
            {
                "x": index * slot + (slot - bar_width) / 2,
                "y": height - CHART_MARGIN - bar_height,
                "w": bar_width,
                "h": bar_height,
                "label": statistics.shown(values[column]),
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
