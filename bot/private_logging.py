"""Tracebacks in our logs show where an error happened, never what it said.

An exception's message can carry what a resident wrote: ``ValueError(text)``, a JSON error
quoting its input, an HTTP error quoting a response body. Every process (web app, action
server, Rasa) installs this at start, so any logged traceback keeps its frames (file, line,
function and the line of *code*) and the exception types, and drops the messages. Proven by
tests/integration/test_hardening.py (a canary message through an action that raises).
"""

import logging
import traceback

WITHHELD = "(message withheld: it may hold what a resident wrote)"


def format_exception_without_messages(self: logging.Formatter, exc_info) -> str:
    _type, value, tb = exc_info
    report = traceback.TracebackException(type(value), value, tb, capture_locals=False)
    parts = []
    while report is not None:
        parts.append(
            "Traceback (most recent call last):\n"
            + "".join(report.stack.format())
            + f"{report.exc_type.__module__}.{report.exc_type.__qualname__} {WITHHELD}"
        )
        report = report.__cause__ or (None if report.__suppress_context__ else report.__context__)
    # Python prints the innermost cause first.
    return "\n\nwhich caused:\n\n".join(reversed(parts))


def install() -> None:
    logging.Formatter.formatException = format_exception_without_messages
