"""One error shape for every API answer: ``{"error": reason, "message": text}``.

Modelled on rasa/server.py's ErrorResponse: routes raise ``ApiError``; one handler turns it
(and anything unexpected) into JSON, so a resident's client never sees a stack trace.
"""

import logging

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, json

logger = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message


def install_error_handlers(app: Sanic) -> None:
    @app.exception(ApiError)
    async def api_error(request: Request, error: ApiError) -> HTTPResponse:
        return json({"error": error.reason, "message": error.message}, status=error.status)

    @app.exception(SanicException)
    async def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        return json(
            {"error": type(error).__name__, "message": _public_message(status)}, status=status
        )

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        # Log the type only: an exception message may quote what a resident wrote.
        logger.error("unhandled error %s on %s", type(error).__name__, request.path)
        return json({"error": "InternalError", "message": _public_message(500)}, status=500)


def _public_message(status: int) -> str:
    return {
        400: "The request could not be read.",
        404: "Not found.",
        405: "Method not allowed.",
        413: "The request is too large.",
    }.get(status, "Something went wrong on our side. In acute danger call 112.")
