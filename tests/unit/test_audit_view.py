"""The audit log page's rows: Swedish labels, centre names, short references; old rows still render."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot import audit_view
from bot.console.accounts import EVENTS
from bot.console_labels import EVENT_LABELS, OUTCOME_LABELS, ROLE_LABELS
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
