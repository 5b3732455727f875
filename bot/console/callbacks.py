"""The callback list, the call screen and saving an outcome: jour staff's work.

Isolation between centres is enforced in bot/storage/callbacks.py on every booking access.
"""

from datetime import datetime

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot import audit_view
from bot.console.guard import logged_in, require_setup_done, requires_staff
from bot.console.pages import ConsoleError, booking_errors, page, unit_of_work
from bot.console.session import login_page
from bot.console_labels import LANGUAGE_NAMES, OUTCOME_LABELS, SAFE_TIME_LABELS
from bot.phone import readable_phone_number, tel_uri
from bot.places import centres
from bot.schedule import load_schedule
from bot.storage import callbacks as callbacks_repo
from bot.storage.bookings import as_utc
from bot.storage.staff import StaffMember

bp = Blueprint("console_callbacks")


@bp.get("/")
async def index(request: Request) -> HTTPResponse:
    """The callback list of the logged-in member's centre, or the login page."""
    member = logged_in(request)
    if member is None:
        return login_page(request)
    require_setup_done(request, member)
    with unit_of_work(request) as session:
        rows = callbacks_repo.callback_list(session, member, as_utc(start_of_today()))
        alerts = (
            audit_view.unusual_days(
                session,
                member,
                request.app.ctx.settings.reveal_alert_per_day,
                load_schedule().zone,
                centres(),
            )
            if member.is_lead
            else []
        )
    return page(
        "list.html",
        member,
        rows=rows,
        centre_name=centres()[member.centre],
        safe_labels=SAFE_TIME_LABELS,
        outcomes=OUTCOME_LABELS,
        claimed=request.args.get("claimed"),
        alerts=alerts,
        alert_threshold=request.app.ctx.settings.reveal_alert_per_day,
    )


@bp.post("/bookings/<booking_id:str>/claim")
@requires_staff()
async def claim(request: Request, member: StaffMember, booking_id: str) -> HTTPResponse:
    with booking_errors(request, member, "claim", booking_id), unit_of_work(request) as session:
        callbacks_repo.claim(session, member, booking_id)
    # Back on the list, focus lands on this booking's next step (show the number and call).
    return redirect(f"/console/?claimed={booking_id}")


@bp.post("/bookings/<booking_id:str>/reveal")
@requires_staff()
async def reveal(request: Request, member: StaffMember, booking_id: str) -> HTTPResponse:
    """The call screen: the resident's safety answers first, then the number (audited)."""
    with booking_errors(request, member, "reveal", booking_id), unit_of_work(request) as session:
        booking, number = callbacks_repo.reveal_for_call(
            session, member, booking_id, request.app.ctx.cipher
        )
    return page(
        "reveal.html",
        member,
        booking=booking,
        booking_id=booking_id,
        outcomes=OUTCOME_LABELS,
        safe_labels=SAFE_TIME_LABELS,
        language_names=LANGUAGE_NAMES,
        number=readable_phone_number(number) if number else None,
        tel=tel_uri(number) if number else None,
        closing=callbacks_repo.CLOSING_OUTCOMES,
    )


@bp.post("/bookings/<booking_id:str>/outcome")
@requires_staff()
async def outcome(request: Request, member: StaffMember, booking_id: str) -> HTTPResponse:
    """Save a call attempt. Closing the call (and erasing the number) is the default: keeping
    the number for another try must be chosen."""
    chosen = request.form.get("outcome", "")
    if chosen not in OUTCOME_LABELS:
        raise ConsoleError(400, "Välj ett utfall i listan.")
    with booking_errors(request, member, "outcome", booking_id), unit_of_work(request) as session:
        callbacks_repo.record_outcome(
            session, member, booking_id, chosen, close=request.form.get("after") != "keep"
        )
    return redirect(f"/console/handled?saved={booking_id}")


@bp.get("/handled")
@requires_staff()
async def handled_page(request: Request, member: StaffMember) -> HTTPResponse:
    """What was saved (is the number erased?), and the centre's calls handled today, without numbers."""
    with unit_of_work(request) as session:
        rows = callbacks_repo.handled_since(session, member, start_of_today().date())
    saved = next((row for row in rows if row.id == request.args.get("saved")), None)
    return page(
        "handled.html",
        member,
        rows=rows,
        saved=saved,
        outcomes=OUTCOME_LABELS,
        centre_name=centres()[member.centre],
    )


def start_of_today() -> datetime:
    return datetime.now(load_schedule().zone).replace(hour=0, minute=0, second=0, microsecond=0)
