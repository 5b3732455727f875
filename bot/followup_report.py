"""The statistics page's figures: one table (periods × columns), its CSV and a small SVG chart.

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
    columns = [label for _metric, label in BASE_COLUMNS] + [f"Bokningar {name}" for name in names.values()]
    periods = sorted({period for period, _metric in totals} | {period for period, _c in per_centre})
    rows = []
    for period in periods:
        values = []
        for metric, _label in BASE_COLUMNS:
            if metric.endswith(":"):
                values.append(sum(v for (p, m), v in totals.items() if p == period and m.startswith(metric)))
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


def bar_chart(table: Dict, width: int = 640, height: int = 220) -> Dict:
    """Bars for contacts and bookings per period, as numbers the template draws as SVG.
    Small cells are drawn as zero-height bars with the label "<5": the chart reveals no more
    than the table."""
    rows = table["rows"]
    series = [(0, "Kontakter"), (4, "Bokningar")]
    peak = max([v[i] for _p, v in rows for i, _n in series if v[i] >= statistics.SMALL_CELL] + [1])
    slot = width / max(len(rows), 1)
    bars = []
    for index, (period, values) in enumerate(rows):
        for offset, (column, name) in enumerate(series):
            value = values[column]
            visible = value if value >= statistics.SMALL_CELL else 0
            bar_height = (height - 40) * visible / peak
            bars.append({"x": index * slot + 10 + offset * (slot / 2 - 8), "y": height - 20 - bar_height,
                         "w": max(slot / 2 - 14, 4), "h": bar_height, "label": statistics.shown(value),
                         "series": offset, "name": name, "period": period})
    return {"width": width, "height": height, "bars": bars,
            "periods": [(index * slot + slot / 2, period) for index, (period, _v) in enumerate(rows)]}
