"""The statistics charts: one per series, each on its own scale, revealing no more than the table
(a hidden cell, even one of 5 or more hidden so it cannot be worked out, is a zero-height bar)."""

from bot.followup_report import BASE_COLUMNS, CHARTS, HIDDEN, bar_charts

METRICS = [metric for metric, _label in BASE_COLUMNS]


def table_of(rows):
    """A report table whose rows give only contacts and bookings (every other column 0)."""

    def values(contacts, bookings):
        cells = [0] * len(BASE_COLUMNS)
        cells[METRICS.index("conversation_started")], cells[METRICS.index("booking_made")] = (
            contacts,
            bookings,
        )
        return cells

    table_rows = [(period, values(contacts, bookings)) for period, contacts, bookings in rows]
    return {
        "columns": [label for _m, label in BASE_COLUMNS],
        "rows": table_rows,
        "shown": [
            (period, [HIDDEN if 0 < v < 5 else str(v) for v in cells])
            for period, cells in table_rows
        ],
    }


def test_each_chart_uses_its_own_scale():
    contacts, bookings = bar_charts(table_of([("2026-05", 400, 6), ("2026-06", 200, 12)]), "month")
    for chart in (contacts, bookings):
        assert max(bar["h"] for bar in chart["bars"]) == chart["plot_height"]
    assert [bar["label"] for bar in bookings["bars"]] == ["6", "12"]
    assert bookings["bars"][0]["h"] == bookings["plot_height"] / 2


def test_a_hidden_cell_is_a_zero_height_bar_with_the_tables_mark():
    _contacts, bookings = bar_charts(table_of([("2026 T1", 40, 3), ("2026 T2", 50, 8)]), "tertial")
    small = bookings["bars"][0]
    assert small["h"] == 0 and small["label"] == HIDDEN
    assert max(bar["h"] for bar in bookings["bars"]) == bookings["plot_height"]


def test_a_cell_hidden_as_a_complement_is_not_drawn_either():
    table = table_of([("2026-05", 400, 6), ("2026-06", 200, 12)])
    period, cells = table["shown"][0]
    cells[METRICS.index("booking_made")] = HIDDEN  # hidden so a smaller one cannot be worked out
    _contacts, bookings = bar_charts(table, "month")
    assert bookings["bars"][0]["h"] == 0 and bookings["bars"][0]["label"] == HIDDEN
    assert ">6<" not in str(bookings)


def test_each_chart_has_its_own_title_and_hooks():
    charts = bar_charts(table_of([("2026 T1", 40, 8)]), "tertial")
    assert [chart["testid"] for chart in charts] == [testid for _m, _t, testid in CHARTS]
    assert len({chart["id"] for chart in charts}) == len(charts)
    assert all("tertial" in chart["title"] for chart in charts)
