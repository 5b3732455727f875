"""What the console shows about the service: the audit log (paged, filtered, with the alert on
unusual days), every answer in six languages, and
the follow-up statistics (charts, table, CSV; small cells hidden)."""

from typing import List, Optional

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import audit_view, followup_report
from bot.console.guard import requires_staff
from bot.console.pages import page, unit_of_work
from bot.console_labels import EVENT_LABELS, LANGUAGE_NAMES
from bot.places import centres
from bot.schedule import load_schedule
from bot.storage import audit
from bot.storage.staff import StaffMember
from bot.vocabulary import LANGUAGES

bp = Blueprint("console_reports")


@bp.get("/audit")
@requires_staff("lead")
async def audit_page(request: Request, member: StaffMember) -> HTTPResponse:
    """The audit log, newest first, page by page (``?before=<id>``), filtered by event, staff
    member, days and the start of a booking reference; the alert on unusual days above it."""
    zone = load_schedule().zone
    chosen = audit_view.audit_filter(request.args, zone)
    entries: List = []
    older: Optional[int] = None
    with unit_of_work(request) as session:
        if not chosen.problems:
            entries, older = audit.entries(session, member, chosen.query)
        alerts = audit_view.unusual_days(
            session, member, request.app.ctx.settings.reveal_alert_per_day, zone, centres()
        )
    return page(
        "audit.html",
        member,
        status=400 if chosen.problems else 200,
        entries=audit_view.rows(entries, centres()),
        chosen=chosen,
        events=EVENT_LABELS,
        links=audit_view.page_links(chosen.values, older, chosen.query.before is not None),
        alerts=alerts,
        alert_threshold=request.app.ctx.settings.reveal_alert_per_day,
    )


@bp.get("/answers")
@requires_staff()
async def answers_page(request: Request, member: StaffMember) -> HTTPResponse:
    """Every answer in all six languages; gaps highlighted, and edits that were refused listed first."""
    content = request.app.ctx.content
    rows = content.translation_table()
    gaps = sum(1 for row in rows for cell in row["cells"] if cell["state"] != "ok")
    return page(
        "answers.html",
        member,
        rows=rows,
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        gaps=gaps,
        refused=content.refused(),
    )


@bp.get("/stats")
@requires_staff("lead")
async def stats_page(request: Request, member: StaffMember) -> HTTPResponse:
    """Figures per month or tertial as charts and a table."""
    kind = _period_kind(request)
    with unit_of_work(request) as session:
        table = followup_report.build(session, kind)
    return page(
        "stats.html",
        member,
        table=table,
        kind=kind,
        period_word=followup_report.PERIOD_WORDS[kind],
        charts=followup_report.bar_charts(table, kind),
    )


@bp.get("/stats.csv")
@requires_staff("lead")
async def stats_csv(request: Request, member: StaffMember) -> HTTPResponse:
    """The same figures as CSV for the tertial report (hidden cells as in the table)."""
    kind = _period_kind(request)
    with unit_of_work(request) as session:
        body = followup_report.to_csv(followup_report.build(session, kind))
    return HTTPResponse(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="trygg-chatt-{kind}.csv"'},
    )


def _period_kind(request: Request) -> str:
    return "tertial" if request.args.get("kind") == "tertial" else "month"
