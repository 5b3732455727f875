"""The staff console (``/console``): jour staff work their centre's callback list.

One blueprint per surface, grouped under /console:
- ``callbacks``: the list, claiming, the call screen, outcomes, handled today;
- ``session``: logging in and out, one's own password, the code step;
- ``accounts``: admins manage staff accounts;
- ``schedule``: leads set their centre's callback hours;
- ``reports``: audit log, answers in six languages, follow-up statistics;
- ``pages``: rendering, error pages, cookies, the stylesheet; ``guard``: ``requires_staff(role)``.

Security: session cookie (HttpOnly, Secure, SameSite=Strict) pointing at a server-side session;
a CSRF token on every state change; login rate limiting with one generic error; pages that show
a number are never cached (app-wide ``Cache-Control: no-store``); the strict CSP of the app.
"""

from sanic import Blueprint

from bot.console import accounts, callbacks, pages, reports, schedule, session

bp = Blueprint.group(
    callbacks.bp, session.bp, accounts.bp, schedule.bp, reports.bp, pages.bp, url_prefix="/console"
)
pages.install_error_pages(bp)
