"""Insider abuse is visible: refused attempts are in the audit log, a member who shows many
numbers in a day is flagged to their lead and the admins, and the log pages and filters."""

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from bot.storage import staff as staff_repo
from bot.storage.db import session_scope
from bot.storage.models import audit_log
from tests.integration.test_console import login, make_booking, post

THRESHOLD = 2


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The web app alone, with a low alert threshold."""
    from stack import Ports, Stack

    from bot.secrets import load_secrets
    from tests.helpers import free_port, wait_for_port

    state = tmp_path_factory.mktemp("audit-state")
    web = Stack(
        ports=Ports(rasa=free_port(), actions=free_port(), web=free_port()),
        log_dir=tmp_path_factory.mktemp("audit-logs"),
        extra_env={
            "TRYGG_STATE_DIR": str(state),
            "TRYGG_REVEAL_ALERT_PER_DAY": str(THRESHOLD),
            "TRYGG_RATE_BURST": "100000",
            "TRYGG_RATE_PER_SECOND": "100000",
            "TRYGG_CONSOLE_REQUIRE_2FA": "0",  # these accounts have no code step
        },
    )
    web.start(["web"])
    try:
        wait_for_port(web.ports.web, timeout_s=120)
        url = f"sqlite:///{state / 'trygg.db'}"
        with session_scope(url) as s:
            for name, centre, role in (
                ("anna", "rvc_innerstan", "staff"),
                ("bo", "rvc_innerstan", "staff"),
                ("lena", "rvc_innerstan", "lead"),
                ("ada", "rvc_innerstan", "admin"),
                ("vera", "rvc_vasterort", "staff"),
                ("olle", "rvc_vasterort", "lead"),
                ("sune", "rvc_sodra_soderort", "lead"),
            ):
                staff_repo.create_account(s, name, centre, role, "correct horse battery")
        yield {
            "base": f"http://127.0.0.1:{web.ports.web}",
            "db": url,
            "secrets": load_secrets(state / "secrets.json"),
        }
    finally:
        web.stop()


def refused_rows(site):
    with session_scope(site["db"]) as s:
        return s.execute(select(audit_log).where(audit_log.c.event == "refused")).all()


def audit_page(session, site, query=""):
    return session.get(site["base"] + "/console/audit" + query)


def shown_events(page):
    return re.findall(r'data-testid="audit-row" data-event="([a-z_]+)"', page.text)


def test_attempts_on_another_centres_booking_are_audited_for_the_actors_centre(site):
    theirs = make_booking(site, "rvc_vasterort")
    anna, _ = login(site, "anna")
    for action in ("claim", "reveal", "outcome"):
        assert (
            post(anna, site, f"/console/bookings/{theirs}/{action}", outcome="reached").status_code
            == 404
        )
    assert post(anna, site, "/console/bookings/ring0701234567/claim").status_code == 404
    rows = refused_rows(site)
    assert {(row.actor, row.centre, row.booking_id) for row in rows} == {
        ("anna", "rvc_innerstan", theirs),
        ("anna", "rvc_innerstan", None),  # an id that names no booking is not kept
    }
    assert len(rows) == 4 and not any("0701234567" in (row.detail or "") for row in rows)
    lena, _ = login(site, "lena")
    assert shown_events(audit_page(lena, site, "?event=refused")) == ["refused"] * 4
    olle, _ = login(site, "olle")  # the other centre's lead: not their staff's doing
    assert shown_events(audit_page(olle, site, "?event=refused")) == []


def test_a_claim_held_by_another_member_is_audited(site):
    ours = make_booking(site)
    anna, _ = login(site, "anna")
    bo, _ = login(site, "bo")
    assert post(anna, site, f"/console/bookings/{ours}/claim").status_code == 200
    before = len(refused_rows(site))
    assert post(bo, site, f"/console/bookings/{ours}/claim").status_code == 409
    assert post(bo, site, f"/console/bookings/{ours}/reveal").status_code == 409
    held = refused_rows(site)[before:]
    assert [(row.actor, row.booking_id) for row in held] == [("bo", ours)] * 2
    assert all("holder=anna" in row.detail for row in held)


def test_more_numbers_than_the_threshold_in_a_day_alerts_the_lead_and_admins(site):
    anna, _ = login(site, "anna")
    for _ in range(THRESHOLD + 1):
        booking = make_booking(site)
        post(anna, site, f"/console/bookings/{booking}/claim")
        assert post(anna, site, f"/console/bookings/{booking}/reveal").status_code == 200
    lena, _ = login(site, "lena")
    ada, _ = login(site, "ada")
    for lead in (lena, ada):
        for path in ("/console/", "/console/audit"):
            page = lead.get(site["base"] + path).text
            assert 'data-testid="alert" data-kind="reveal" data-actor="anna"' in page, path
    assert 'data-testid="alert"' not in anna.get(site["base"] + "/console/").text  # staff
    olle, _ = login(site, "olle")
    assert 'data-kind="reveal"' not in olle.get(site["base"] + "/console/").text
    page = lena.get(site["base"] + "/console/").text
    link = re.search(
        r'<a href="([^"]+)" data-testid="alert-link">', page.split('data-kind="reveal"')[1]
    )
    filtered = lena.get(site["base"] + link.group(1).replace("&amp;", "&"))
    assert shown_events(filtered) == ["reveal"] * (THRESHOLD + 1)
    assert '<option value="reveal" selected>' in filtered.text and 'value="anna"' in filtered.text


def test_the_audit_log_pages_by_id_and_keeps_the_filter(site):
    sune, _ = login(site, "sune")
    now = datetime.now(timezone.utc)
    with session_scope(site["db"]) as s:
        for index in range(60):
            s.execute(
                insert(audit_log).values(
                    at=now - timedelta(minutes=index),
                    actor="sune",
                    centre="rvc_sodra_soderort",
                    event="claim" if index % 2 else "schedule_change",
                    detail="",
                )
            )
    first = audit_page(sune, site)
    assert len(shown_events(first)) == 50 and 'data-testid="page-newest"' not in first.text
    older = re.search(r'<a href="([^"]+)" data-testid="page-older"', first.text).group(1)
    second = sune.get(site["base"] + older.replace("&amp;", "&"))
    assert len(shown_events(second)) == 10 and 'data-testid="page-older"' not in second.text
    assert 'data-testid="page-newest"' in second.text
    claims = audit_page(sune, site, "?event=claim")
    assert shown_events(claims) == ["claim"] * 30 and 'data-testid="page-older"' not in claims.text


def test_a_filter_the_page_cannot_use_marks_its_field_and_shows_no_rows(site):
    lena, _ = login(site, "lena")
    page = audit_page(lena, site, "?from=yesterday&booking=ab%25")
    assert page.status_code == 400 and shown_events(page) == []
    assert 'data-testid="error-from"' in page.text and 'data-testid="error-booking"' in page.text
    assert 'id="f-from" name="from" type="date" value="yesterday"' in page.text


def test_the_audit_log_is_for_leads(site):
    anna, _ = login(site, "anna")
    assert audit_page(anna, site, "?event=reveal").status_code == 403
