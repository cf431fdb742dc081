"""Converting errors from every layer into what a person sees: a CLI message and exit
code, or an HTTP status with a JSON body. No stack traces leave this layer.
"""

from __future__ import annotations

import logging

from crawler.errors import CrawlerError, CrawlLockedError, ImportFormatError, SourcesError
from index.errors import (
    EmbedderMismatchError,
    IndexError_,
    IndexNotBuiltError,
    ModelUnavailableError,
)
from qa.errors import QAError, QuestionError

logger = logging.getLogger(__name__)


# (error type, CLI exit code, HTTP status), most specific first.
_TABLE: list[tuple[type[BaseException], int, int]] = [
    (SourcesError, 2, 400),
    (ImportFormatError, 2, 400),
    (CrawlLockedError, 1, 409),
    (CrawlerError, 1, 500),
    (EmbedderMismatchError, 2, 409),
    (IndexNotBuiltError, 1, 503),
    (ModelUnavailableError, 1, 503),
    (IndexError_, 1, 500),
    (QuestionError, 2, 422),
    (QAError, 1, 500),
    (FileNotFoundError, 2, 404),
]


def exit_code_for(error: BaseException) -> int | None:
    for kind, code, _status in _TABLE:
        if isinstance(error, kind):
            return code
    return None


def http_status_for(error: BaseException) -> int:
    for kind, _code, status in _TABLE:
        if isinstance(error, kind):
            return status
    return 500


# The `type` of an HTTP error body, by status.
ERROR_TYPES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
    504: "timeout",
}


def error_body(
    status: int, message: str, error_type: str | None = None
) -> dict[str, dict[str, str]]:
    """The JSON body of every HTTP error: `{"error": {"type", "message"}}`."""
    return {"error": {"type": error_type or ERROR_TYPES.get(status, "error"), "message": message}}


def message_for(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return f"file not found: {error.filename or error}"
    return str(error) or error.__class__.__name__


class ApiError(Exception):
    """An error already phrased for the caller: HTTP status, type and message."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        error_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type or ERROR_TYPES.get(status, "error")
        self.headers = headers


def api_error_from(error: BaseException) -> ApiError:
    """Convert an error from any layer through the table; unknown errors are logged,
    never shown."""
    if isinstance(error, ApiError):
        return error
    if exit_code_for(error) is None:
        logger.error("unexpected error: %s", error, exc_info=error)
        return ApiError(500, "internal error; the server log has the details")
    message = message_for(error)
    if isinstance(error, IndexNotBuiltError) and "policyqa index" not in message:
        message = f"{message}; run `policyqa index` to build the index"
    return ApiError(http_status_for(error), message)
