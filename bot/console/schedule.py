"""Leads: their centre's callback hours, slot length, capacity and closed days.

A mistake re-shows the form as typed, each problem beside its field (bot/schedule.py
``schedule_problems``), with focus on the first one in page order.
"""

import re
from typing import Optional

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, redirect

from bot.console.guard import requires_staff
from bot.console.pages import page, unit_of_work
from bot.places import centres
from bot.schedule import WEEKDAYS, ScheduleError, load_schedule, save_centre_schedule
from bot.storage import audit
from bot.storage.staff import StaffMember

bp = Blueprint("console_schedule")
# The form's fields in page order (the first one with a problem gets the focus).
SCHEDULE_FIELDS = (
    ["slot_minutes", "capacity"] + [f"hours_{day}" for day in WEEKDAYS] + ["closed_dates"]
)


@bp.get("/schedule")
@requires_staff("lead")
async def schedule_page(request: Request, member: StaffMember) -> HTTPResponse:
    return _schedule_form(member, saved=request.args.get("saved") == "1")


@bp.post("/schedule")
@requires_staff("lead")
async def schedule_save(request: Request, member: StaffMember) -> HTTPResponse:
    form = request.form
    hours = {
        day: [p.strip() for p in form.get(f"hours_{day}", "").split(",") if p.strip()]
        for day in WEEKDAYS
    }
    closed = [d.strip() for d in form.get("closed_dates", "").split(",") if d.strip()]
    slot_minutes, capacity = (
        _whole_number(form.get("slot_minutes", "")),
        _whole_number(form.get("capacity", "")),
    )
    try:
        save_centre_schedule(
            member.centre,
            slot_minutes=slot_minutes,
            capacity=capacity,
            hours=hours,
            closed_dates=closed,
        )
    except ScheduleError as error:
        typed = {field: form.get(field, "") for field in SCHEDULE_FIELDS}
        return _schedule_form(member, typed=typed, problems=error.problems, status=400)
    with unit_of_work(request) as session:
        audit.record(
            session, member, "schedule_change", slot_minutes=slot_minutes, capacity=capacity
        )
    return redirect("/console/schedule?saved=1")


def _schedule_form(
    member: StaffMember, typed=None, problems=None, saved: bool = False, status: int = 200
) -> HTTPResponse:
    schedule = load_schedule()
    plan = schedule.centres[member.centre]
    current = {
        "slot_minutes": str(plan.slot_minutes),
        "capacity": str(plan.capacity),
        **{f"hours_{day}": ", ".join(plan.hours.get(day, [])) for day in WEEKDAYS},
        "closed_dates": ", ".join(str(day) for day in sorted(plan.closed_dates)),
    }
    problems = problems or {}
    first_problem = next((field for field in SCHEDULE_FIELDS if field in problems), None)
    return page(
        "schedule.html",
        member,
        status=status,
        values=typed or current,
        problems=problems,
        first_problem=first_problem,
        saved=saved,
        centre_name=centres()[member.centre],
        city_closed=sorted(schedule.closed_dates),
    )


def _whole_number(text: str) -> Optional[int]:
    return int(text) if re.fullmatch(r"\s*\d{1,4}\s*", text) else None
