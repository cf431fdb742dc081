"""Converting errors from every layer into what a person sees: a CLI message and exit
code, or an HTTP status with a JSON body. No stack traces leave this layer.
"""

from __future__ import annotations

from typing import Any

from crawler.errors import CrawlerError, CrawlLockedError, ImportFormatError, SourcesError
from index.errors import (
    EmbedderMismatchError,
    IndexError_,
    IndexNotBuiltError,
    ModelUnavailableError,
)
from qa.errors import QAError, QuestionError


class NotAvailableError(Exception):
    """A command whose implementation has not landed yet."""


# (error type, CLI exit code, HTTP status), most specific first.
_TABLE: list[tuple[type[BaseException], int, int]] = [
    (NotAvailableError, 2, 501),
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
    501: "not_available",
    503: "unavailable",
    504: "timeout",
}


def error_body(status: int, message: str, error_type: str | None = None) -> dict[str, Any]:
    """The JSON body of every HTTP error: `{"error": {"type", "message"}}`."""
    return {"error": {"type": error_type or ERROR_TYPES.get(status, "error"), "message": message}}


def message_for(error: BaseException) -> str:
    if isinstance(error, FileNotFoundError):
        return f"file not found: {error.filename or error}"
    return str(error) or error.__class__.__name__
