"""The audit log page's rows: Swedish labels, centre names, short references; old rows still render;
the filter, paging links and alert lines."""

import re
from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest

from bot import audit_view
from bot.console.accounts import EVENTS
from bot.console_labels import ACTION_LABELS, EVENT_LABELS, OUTCOME_LABELS, ROLE_LABELS
from bot.storage import audit

NAMES = {"rvc_innerstan": "RVC Innerstan", "rvc_vasterort": "RVC Västerort"}
BOOKING = "0f" * 16


def entry(event, detail="", booking_id=None, centre="rvc_innerstan"):
    return SimpleNamespace(
        at=None, actor="anna", centre=centre, event=event, booking_id=booking_id, detail=detail
    )


def test_every_event_written_by_the_code_has_a_swedish_label():
    writers = [*Path("bot/storage").glob("*.py"), *Path("bot/console").glob("*.py")]
    sources = " ".join(path.read_text(encoding="utf-8") for path in writers)
    written = set(re.findall(r'audit\.record\(session, member, "([a-z_]+)"', sources))
    written |= set(EVENTS.values())  # the account changes name their event through a table
    assert written and written <= set(EVENT_LABELS)


def test_a_row_names_the_centre_and_shortens_the_booking_id():
    [row] = audit_view.rows([entry("reveal", booking_id=BOOKING)], NAMES)
    assert row["event"] == EVENT_LABELS["reveal"] and row["centre"] == NAMES["rvc_innerstan"]
    assert row["booking"] == BOOKING[: audit_view.SHORT_REFERENCE] and BOOKING not in str(row)


def test_an_unknown_event_or_centre_is_shown_as_itself():
    [row] = audit_view.rows([entry("imported", "from the old system", centre="rvc_closed")], NAMES)
    assert (row["event"], row["centre"], row["detail"]) == (
        "imported",
        "rvc_closed",
        "from the old system",
    )


@pytest.mark.parametrize("detail", ["outcome=reached closed=1", "reached (closed, number erased)"])
def test_a_closing_outcome_says_the_number_is_erased_old_rows_too(detail):
    text = audit_view.detail_text("outcome", detail, NAMES)
    assert OUTCOME_LABELS["reached"] in text and "reached" not in text and "closed" not in text


@pytest.mark.parametrize("detail", ["slot_minutes=30 capacity=2", "slot 30 min, capacity 2"])
def test_a_schedule_change_keeps_its_figures_old_rows_too(detail):
    text = audit_view.detail_text("schedule_change", detail, NAMES)
    assert "30" in text and "2" in text and "slot" not in text and "capacity" not in text


@pytest.mark.parametrize(
    "detail", ["username=nils.b role=staff centre=rvc_vasterort", "nils.b (staff, rvc_vasterort)"]
)
def test_a_new_account_shows_its_role_and_centre_name_old_rows_too(detail):
    text = audit_view.detail_text("staff_created", detail, NAMES)
    assert "nils.b" in text and ROLE_LABELS["staff"] in text and NAMES["rvc_vasterort"] in text
    assert "rvc_" not in text


def test_audit_details_are_single_word_facts_never_free_text():
    assert audit.facts_of("outcome=reached closed=1") == {"outcome": "reached", "closed": "1"}
    assert audit.facts_of("reached (closed, number erased)") is None
    with pytest.raises(ValueError):
        audit.record(None, None, "outcome", None, note="ring +46 70 999 88 77")


STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_days_are_whole_stockholm_days_both_included():
    chosen = audit_view.audit_filter({"from": "2030-03-04", "to": "2030-03-05"}, STOCKHOLM)
    assert not chosen.problems
    assert chosen.query.since == datetime(2030, 3, 3, 23, 0, tzinfo=timezone.utc)
    assert chosen.query.until == datetime(2030, 3, 5, 23, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "args, field",
    [
        ({"event": "dropped_table"}, "event"),
        ({"actor": "anna'; --"}, "actor"),
        ({"booking": "ab%"}, "booking"),  # no LIKE wildcard reaches the query
        ({"from": "4 mars"}, "from"),
        ({"from": "2030-03-05", "to": "2030-03-04"}, "to"),
    ],
)
def test_a_filter_the_page_cannot_use_names_its_field(args, field):
    assert list(audit_view.audit_filter(args, STOCKHOLM).problems) == [field]


def test_a_filter_reads_the_member_event_booking_prefix_and_page():
    args = {"event": "reveal", "actor": "anna", "booking": "0F0F", "before": "120"}
    query = audit_view.audit_filter(args, STOCKHOLM).query
    assert (query.event, query.actor, query.booking_prefix, query.before) == (
        "reveal",
        "anna",
        "0f0f",
        120,
    )


def test_paging_links_keep_the_filter():
    values = {"event": "reveal", "actor": "anna", "from": "", "to": "", "booking": ""}
    links = audit_view.page_links(values, older=41, paged=True)
    assert parse_qs(urlparse(links["older"]).query) == {
        "event": ["reveal"],
        "actor": ["anna"],
        "before": ["41"],
    }
    assert parse_qs(urlparse(links["newest"]).query) == {"event": ["reveal"], "actor": ["anna"]}
    assert audit_view.page_links(values, older=None, paged=False) == {}


@pytest.mark.parametrize(
    "detail",
    [
        "action=claim reason=other_centre booking_centre=rvc_vasterort",
        "action=reveal reason=unknown",
        "action=outcome reason=held_by_other holder=bo",
        "action=reveal reason=not_claimed",
    ],
)
def test_a_refusal_reads_as_what_was_tried_and_why(detail):
    text = audit_view.detail_text("refused", detail, NAMES)
    facts = audit.facts_of(detail)
    assert ACTION_LABELS[facts["action"]] in text and "=" not in text and "rvc_" not in text
    assert facts["reason"] not in text and facts["action"] not in text.split()


def test_an_alert_links_to_the_audit_filtered_to_that_member_and_day():
    alert = audit.Alert("reveal", "anna", "rvc_innerstan", date(2030, 3, 4), 17)
    [row] = audit_view.alert_rows([alert], NAMES)
    assert row["centre"] == NAMES["rvc_innerstan"] and row["count"] == 17
    assert parse_qs(urlparse(row["href"]).query) == {
        "event": ["reveal"],
        "actor": ["anna"],
        "from": ["2030-03-04"],
        "to": ["2030-03-04"],
    }
