"""The staff console: jour staff work their centre's callback list (``/console``).

Security: session cookie (HttpOnly, Secure, SameSite=Strict) pointing at a server-side session;
a CSRF token on every state change; login rate limiting with one generic error; pages that show
a number are never cached (app-wide ``Cache-Control: no-store``); the strict CSP of the app.
Isolation between centres is enforced in bot/storage/staff.py on every booking access.
"""
import logging
import re
import secrets
import time
from collections import defaultdict, deque
from datetime import datetime
from typing import Deque, Dict, Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, html, redirect
from sqlalchemy.exc import IntegrityError

from bot.console_labels import LANGUAGE_NAMES, OUTCOME_LABELS, SAFE_TIME_LABELS
from bot.places import centres
from bot.phone import readable_phone_number, tel_uri
from bot.schedule import WEEKDAYS, ScheduleError, load_schedule, save_centre_schedule
from bot.settings import LANGUAGES, ROOT, database_url
from bot import audit_view, followup_report, totp
from bot.storage import staff as staff_repo
from bot.storage import statistics
from bot.storage.bookings import as_utc
from bot.storage.db import session_scope

bp = Blueprint("console", url_prefix="/console")
logger = logging.getLogger(__name__)
COOKIE = "trygg_staff"
LOGIN_CSRF_COOKIE = "trygg_login_csrf"
MAX_FAILURES, FAILURE_WINDOW_S = 5, 15 * 60
_failures: Dict[str, Deque[float]] = defaultdict(deque)
_templates = Environment(loader=FileSystemLoader(ROOT / "bot" / "templates" / "console"),
                         autoescape=select_autoescape(["html"]))
_templates.filters["local"] = lambda moment: as_utc(moment).astimezone(load_schedule().zone).strftime("%Y-%m-%d %H:%M")


class ConsoleError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class SetupRequired(Exception):
    """A step the member must finish before the console opens: GETs go to its page, other
    requests are refused with a message that names it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


MUST_CHANGE_PASSWORD = ("/console/password", "Välj ett eget lösenord innan du gör något annat (sidan Byt lösenord).")
MUST_SET_UP_SECOND_STEP = ("/console/2fa",
                           "Slå på tvåstegsinloggning innan du gör något annat (sidan Tvåstegsinloggning).")


@bp.exception(ConsoleError)
async def console_error(request: Request, error: ConsoleError) -> HTTPResponse:
    return page("error.html", request, None, status=error.status, message=error.message)


@bp.exception(SetupRequired)
async def setup_required(request: Request, required: SetupRequired) -> HTTPResponse:
    if request.method == "GET":
        return redirect(required.path)
    return page("error.html", request, None, status=403, message=required.message)


@bp.get("/")
async def index(request: Request) -> HTTPResponse:
    """The callback list of the logged-in member's centre, or the login page."""
    member = current_member(request)
    if member is None:
        return login_page(request)
    _require_setup_done(request, member)
    with session_scope(database_url()) as session:
        rows = staff_repo.callback_list(session, member, as_utc(_start_of_today()))
    return page("list.html", request, member, rows=rows, centre_name=centres()[member.centre],
                safe_labels=SAFE_TIME_LABELS, outcomes=OUTCOME_LABELS, claimed=request.args.get("claimed"))


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    form = request.form
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, form.get("csrf", "")):
        raise ConsoleError(403, "Sidan var för gammal. Ladda om inloggningen och försök igen.")
    username, password = form.get("username", "")[:64], form.get("password", "")[:200]
    if _too_many_failures(username):
        logger.warning("console login rate limited")
        return login_page(request, "För många försök. Vänta en stund och försök igen.", status=429)
    with session_scope(database_url()) as session:
        member = staff_repo.verify_login(session, username, password, form.get("code", "")[:20],
                                         request.app.ctx.staff_cipher)
        token = staff_repo.start_session(session, member) if member else None
    if member is None:
        _failures[username].append(time.monotonic())
        logger.info("console login failed")
        # One message for every wrong part, so a guesser learns nothing about which was wrong.
        return login_page(request, "Fel användarnamn, lösenord eller kod.", status=401)
    _failures.pop(username, None)
    logger.info("console login")
    response = redirect("/console/")
    _set_cookie(request, response, COOKIE, token, max_age=int(staff_repo.SESSION_LIFETIME.total_seconds()))
    return response


@bp.post("/logout")
async def logout(request: Request) -> HTTPResponse:
    member = require_member(request, changing_password=True)
    with session_scope(database_url()) as session:
        staff_repo.end_session(session, request.cookies.get(COOKIE))
    response = redirect("/console/")
    response.cookies[COOKIE] = ""
    response.cookies[COOKIE]["max-age"] = 0
    logger.info("console logout %s", member.username)
    return response


@bp.post("/bookings/<booking_id:str>/claim")
async def claim(request: Request, booking_id: str) -> HTTPResponse:
    member = require_member(request)
    with _booking_errors(), session_scope(database_url()) as session:
        staff_repo.claim(session, member, booking_id)
    # Back on the list, focus lands on this booking's next step (show the number and call).
    return redirect(f"/console/?claimed={booking_id}")


@bp.post("/bookings/<booking_id:str>/reveal")
async def reveal(request: Request, booking_id: str) -> HTTPResponse:
    """The call screen: the resident's safety answers first, then the number (audited)."""
    member = require_member(request)
    with _booking_errors(), session_scope(database_url()) as session:
        booking, number = staff_repo.reveal_for_call(session, member, booking_id, request.app.ctx.cipher)
    return page("reveal.html", request, member, booking=booking, booking_id=booking_id, outcomes=OUTCOME_LABELS,
                safe_labels=SAFE_TIME_LABELS, language_names=LANGUAGE_NAMES,
                number=readable_phone_number(number) if number else None, tel=tel_uri(number) if number else None,
                closing=staff_repo.CLOSING_OUTCOMES)


@bp.post("/bookings/<booking_id:str>/outcome")
async def outcome(request: Request, booking_id: str) -> HTTPResponse:
    """Save a call attempt. Closing the call (and erasing the number) is the default: keeping
    the number for another try must be chosen."""
    member = require_member(request)
    chosen = request.form.get("outcome", "")
    if chosen not in OUTCOME_LABELS:
        raise ConsoleError(400, "Välj ett utfall i listan.")
    with _booking_errors(), session_scope(database_url()) as session:
        staff_repo.record_outcome(session, member, booking_id, chosen, close=request.form.get("after") != "keep")
    return redirect(f"/console/handled?saved={booking_id}")


@bp.get("/handled")
async def handled_page(request: Request) -> HTTPResponse:
    """What was saved (is the number erased?), and the centre's calls handled today, without numbers."""
    member = require_member(request)
    with session_scope(database_url()) as session:
        rows = staff_repo.handled_since(session, member, as_utc(_start_of_today()))
    saved = next((row for row in rows if row.id == request.args.get("saved")), None)
    return page("handled.html", request, member, rows=rows, saved=saved, outcomes=OUTCOME_LABELS,
                centre_name=centres()[member.centre])


@bp.get("/schedule")
async def schedule_page(request: Request) -> HTTPResponse:
    member = require_lead(request)
    return _schedule_form(request, member, saved=request.args.get("saved") == "1")


@bp.post("/schedule")
async def schedule_save(request: Request) -> HTTPResponse:
    """Save the centre's schedule; on a mistake the form comes back as typed, with each problem
    beside its field."""
    member = require_lead(request)
    form = request.form
    hours = {day: [p.strip() for p in form.get(f"hours_{day}", "").split(",") if p.strip()] for day in WEEKDAYS}
    closed = [d.strip() for d in form.get("closed_dates", "").split(",") if d.strip()]
    slot_minutes, capacity = _whole_number(form.get("slot_minutes", "")), _whole_number(form.get("capacity", ""))
    try:
        save_centre_schedule(member.centre, slot_minutes=slot_minutes, capacity=capacity, hours=hours,
                             closed_dates=closed)
    except ScheduleError as error:
        typed = {field: form.get(field, "") for field in SCHEDULE_FIELDS}
        return _schedule_form(request, member, typed=typed, problems=error.problems, status=400)
    with session_scope(database_url()) as session:
        staff_repo.audit(session, member, "schedule_change", slot_minutes=slot_minutes, capacity=capacity)
    return redirect("/console/schedule?saved=1")


# The schedule form's fields in page order (the first one with a problem gets the focus).
SCHEDULE_FIELDS = ["slot_minutes", "capacity"] + [f"hours_{day}" for day in WEEKDAYS] + ["closed_dates"]


def _schedule_form(request: Request, member, typed=None, problems=None, saved: bool = False,
                   status: int = 200) -> HTTPResponse:
    schedule = load_schedule()
    plan = schedule.centres[member.centre]
    current = {"slot_minutes": str(plan.slot_minutes), "capacity": str(plan.capacity),
               **{f"hours_{day}": ", ".join(plan.hours.get(day, [])) for day in WEEKDAYS},
               "closed_dates": ", ".join(str(day) for day in sorted(plan.closed_dates))}
    problems = problems or {}
    first_problem = next((field for field in SCHEDULE_FIELDS if field in problems), None)
    return page("schedule.html", request, member, status=status, values=typed or current, problems=problems,
                first_problem=first_problem, saved=saved, centre_name=centres()[member.centre],
                city_closed=sorted(schedule.closed_dates))


def _whole_number(text: str) -> Optional[int]:
    return int(text) if re.fullmatch(r"\s*\d{1,4}\s*", text) else None


def _start_of_today() -> datetime:
    return datetime.now(load_schedule().zone).replace(hour=0, minute=0, second=0, microsecond=0)


@bp.get("/staff")
async def staff_page(request: Request) -> HTTPResponse:
    """Admins: the staff accounts, and a form to create one."""
    member = require_admin(request)
    with session_scope(database_url()) as session:
        accounts = staff_repo.accounts(session)
    return page("staff.html", request, member, accounts=accounts, centres=centres(), roles=staff_repo.ROLES)


@bp.post("/staff")
async def staff_create(request: Request) -> HTTPResponse:
    """Admins: create an account; its one-time password is shown once, here."""
    member = require_admin(request)
    form = request.form
    username, centre, role = form.get("username", "").strip()[:64], form.get("centre", ""), form.get("role", "")
    if not re.fullmatch(r"[a-z0-9._-]{3,64}", username) or centre not in centres() or role not in staff_repo.ROLES:
        raise ConsoleError(400, "Användarnamn (3–64 tecken a–z, 0–9, . _ -), mottagning och roll måste anges.")
    try:
        with session_scope(database_url()) as session:
            password = staff_repo.create_account(session, username, centre, role)
            staff_repo.audit(session, member, "staff_created", username=username, role=role, centre=centre)
            accounts = staff_repo.accounts(session)
    except IntegrityError:
        raise ConsoleError(409, "Det användarnamnet finns redan.")
    return page("staff.html", request, member, accounts=accounts, centres=centres(), roles=staff_repo.ROLES,
                created=username, password=password)


@bp.post("/staff/<username:str>/<change:(deactivate|activate|password)>")
async def staff_change(request: Request, username: str, change: str) -> HTTPResponse:
    """Admins: stop or restart an account, or give it a new one-time password (shown once)."""
    member = require_admin(request)
    if change == "deactivate" and username == member.username:
        raise ConsoleError(400, "Du kan inte stänga av ditt eget konto.")
    if change == "password" and username == member.username:
        raise ConsoleError(400, "Ditt eget lösenord byter du på sidan Byt lösenord.")
    password = None
    with session_scope(database_url()) as session:
        if change == "deactivate":
            found = staff_repo.deactivate(session, username)
        elif change == "activate":
            found = staff_repo.activate(session, username)
        else:
            password = staff_repo.reset_password(session, username)
            found = password is not None
        if not found:
            raise ConsoleError(404, "Det kontot finns inte.")
        staff_repo.audit(session, member, {"deactivate": "staff_deactivated", "activate": "staff_activated",
                                           "password": "staff_password_reset"}[change], username=username)
        accounts = staff_repo.accounts(session)
    if password is None:
        return redirect("/console/staff")
    return page("staff.html", request, member, accounts=accounts, centres=centres(), roles=staff_repo.ROLES,
                reset=username, password=password)


@bp.get("/password")
async def password_page(request: Request) -> HTTPResponse:
    member = require_member(request, changing_password=True)
    return page("password.html", request, member)


@bp.post("/password")
async def password_change(request: Request) -> HTTPResponse:
    """The member's own new password (required after a one-time password); other sessions end."""
    member = require_member(request, changing_password=True)
    form = request.form
    try:
        with session_scope(database_url()) as session:
            staff_repo.change_own_password(session, member, form.get("current", "")[:200], form.get("new", "")[:200],
                                           form.get("repeat", "")[:200], keep_session=request.cookies.get(COOKIE, ""))
            staff_repo.audit(session, member, "password_changed")
    except staff_repo.PasswordRefused as refused:
        return page("password.html", request, member, status=400, error=str(refused))
    logger.info("console password changed")
    return redirect("/console/")


@bp.get("/2fa")
async def second_step_page(request: Request) -> HTTPResponse:
    """Set up the code step (a secret for the member's authenticator app), or turn it off."""
    member = require_member(request, setting_up=True)
    return _second_step_page(request, member)


@bp.post("/2fa")
async def second_step_on(request: Request) -> HTTPResponse:
    member = require_member(request, setting_up=True)
    secret = request.form.get("secret", "")
    if member.has_second_step or not re.fullmatch(r"[A-Z2-7]{32}", secret):
        raise ConsoleError(400, "Formuläret var ogiltigt. Ladda om sidan och försök igen.")
    with session_scope(database_url()) as session:
        if not staff_repo.enable_second_step(session, member, secret, request.form.get("code", "")[:20],
                                             request.app.ctx.staff_cipher):
            return _second_step_page(request, member, secret=secret, status=400,
                                     error="Koden stämmer inte. Skriv in koden som appen visar just nu.")
        staff_repo.audit(session, member, "second_step_on")
    return redirect("/console/")


@bp.post("/2fa/off")
async def second_step_off(request: Request) -> HTTPResponse:
    member = require_member(request, setting_up=True)
    with session_scope(database_url()) as session:
        if not staff_repo.disable_second_step(session, member, request.form.get("password", "")[:200]):
            return _second_step_page(request, member, status=400, error="Lösenordet stämmer inte.")
        staff_repo.audit(session, member, "second_step_off")
    return redirect("/console/2fa")


def _second_step_page(request: Request, member, secret: str = "", status: int = 200, error: str = "") -> HTTPResponse:
    secret = secret or totp.new_secret()
    return page("second_step.html", request, member, status=status, error=error, secret=secret,
                grouped=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                uri=totp.provisioning_uri(secret, member.username),
                required=request.app.ctx.settings.console_require_second_step)


@bp.get("/audit")
async def audit_page(request: Request) -> HTTPResponse:
    member = require_lead(request)
    with session_scope(database_url()) as session:
        entries = staff_repo.audit_entries(session, member)
    return page("audit.html", request, member, entries=audit_view.rows(entries, centres()))


@bp.get("/answers")
async def answers_page(request: Request) -> HTTPResponse:
    """Every answer in all six languages; gaps highlighted, and edits that were refused listed first."""
    member = require_member(request)
    content = request.app.ctx.content
    rows = content.translation_table()
    gaps = sum(1 for row in rows for cell in row["cells"] if cell["state"] != "ok")
    return page("answers.html", request, member, rows=rows, languages=LANGUAGES, language_names=LANGUAGE_NAMES, gaps=gaps,
                refused=content.refused())


@bp.get("/stats")
async def stats_page(request: Request) -> HTTPResponse:
    """Figures per month or tertial as charts and a table (leads and admins); small cells hidden."""
    member = require_lead(request)
    kind = "tertial" if request.args.get("kind") == "tertial" else "month"
    with session_scope(database_url()) as session:
        table = followup_report.build(session, kind)
    return page("stats.html", request, member, table=table, kind=kind, period_word=followup_report.PERIOD_WORDS[kind],
                charts=followup_report.bar_charts(table, kind), shown=statistics.shown)


@bp.get("/stats.csv")
async def stats_csv(request: Request) -> HTTPResponse:
    """The same figures as CSV for the tertial report (small cells as "<5")."""
    require_lead(request)
    kind = "tertial" if request.args.get("kind") == "tertial" else "month"
    with session_scope(database_url()) as session:
        body = followup_report.to_csv(followup_report.build(session, kind))
    return HTTPResponse(body, content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="trygg-chatt-{kind}.csv"'})


@bp.get("/static/console.css")
async def stylesheet(request: Request) -> HTTPResponse:
    from sanic.response import file
    return await file(ROOT / "bot" / "static" / "console.css", mime_type="text/css; charset=utf-8")


# --- helpers --------------------------------------------------------------------------------

def current_member(request: Request) -> Optional[staff_repo.StaffMember]:
    with session_scope(database_url()) as session:
        return staff_repo.member_for_session(session, request.cookies.get(COOKIE))


def require_member(request: Request, changing_password: bool = False,
                   setting_up: bool = False) -> staff_repo.StaffMember:
    """The logged-in member; for POSTs also a valid CSRF token. After a one-time password only
    the password page (and logging out) is open until the member has chosen their own; then,
    when the code step is required, only its set-up page until it is on."""
    member = current_member(request)
    if member is None:
        raise ConsoleError(401, "Du är inte inloggad, eller sessionen har gått ut. Logga in igen.")
    if request.method == "POST" and not secrets.compare_digest(member.csrf_token, request.form.get("csrf", "") or ""):
        raise ConsoleError(403, "Formuläret var ogiltigt eller för gammalt. Ladda om sidan och försök igen.")
    if not changing_password:
        _require_setup_done(request, member, setting_up)
    return member


def _require_setup_done(request: Request, member: staff_repo.StaffMember, setting_up: bool = False) -> None:
    if member.must_change_password:
        raise SetupRequired(*MUST_CHANGE_PASSWORD)
    if request.app.ctx.settings.console_require_second_step and not member.has_second_step and not setting_up:
        raise SetupRequired(*MUST_SET_UP_SECOND_STEP)


def require_lead(request: Request) -> staff_repo.StaffMember:
    member = require_member(request)
    if not member.is_lead:
        raise ConsoleError(403, "Den här sidan är för samordnare och administratörer.")
    return member


def require_admin(request: Request) -> staff_repo.StaffMember:
    member = require_member(request)
    if member.role != "admin":
        raise ConsoleError(403, "Den här sidan är för administratörer.")
    return member


def page(template: str, request: Request, member, status: int = 200, **values) -> HTTPResponse:
    body = _templates.get_template(template).render(member=member, **values)
    return html(body, status=status)


def login_page(request: Request, error: str = "", status: int = 200) -> HTTPResponse:
    token = secrets.token_urlsafe(24)
    response = page("login.html", request, None, status=status, error=error, csrf=token)
    _set_cookie(request, response, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


def _set_cookie(request: Request, response: HTTPResponse, name: str, value: str, max_age: int) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["secure"] = request.app.ctx.settings.cookie_secure
    cookie["samesite"] = "Strict"
    cookie["path"] = "/console"
    cookie["max-age"] = max_age


def _too_many_failures(username: str) -> bool:
    recent = _failures[username]
    while recent and time.monotonic() - recent[0] > FAILURE_WINDOW_S:
        recent.popleft()
    return len(recent) >= MAX_FAILURES


class _booking_errors:
    """Turns repository refusals into clear pages (never a 500)."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _tb):
        if isinstance(error, staff_repo.NotAllowed):
            raise ConsoleError(404, "Bokningen finns inte i din mottagnings lista.")
        if isinstance(error, staff_repo.ClaimedByOther):
            holder = error.holder or "ingen"
            raise ConsoleError(409, f"Bokningen hanteras av {holder}. Du kan inte ändra den.")
        return False
