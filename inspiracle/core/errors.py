"""One error type for everything a user did that the platform refuses, with what to do about it."""

from typing import TYPE_CHECKING, Any

from django.db import OperationalError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ApplicationError(Exception):
    """A refusal the user can act on. ``message`` is shown as is (translated, or lazily); ``fields`` maps form
    fields to their own messages; ``status`` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(
        self,
        message: "StrOrPromise",
        *,
        fields: dict[str, list[str]] | None = None,
        code: str | None = None,
        status: int | None = None,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra or {}
        if code:
            self.code = code
        if status:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "fields": self.fields, **self.extra}


class NotFound(ApplicationError):
    """Also what an unauthorized reader gets: existence is never leaked (PRV-3)."""

    status = 404
    code = "not_found"


class PermissionDenied(ApplicationError):
    status = 403
    code = "forbidden"


class Throttled(ApplicationError):
    """A limit was reached. ``retry_after`` (seconds) goes out as the ``Retry-After`` header of the page or the
    API answer, and as ``retry_after`` in the API's error body."""

    status = 429
    code = "throttled"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))
        self.extra["retry_after"] = self.retry_after


class Busy(ApplicationError):
    """The database stayed locked by other writers longer than its wait (SQLite under a burst of writes):
    nothing was written; the client tries again shortly."""

    status = 503
    code = "busy"

    def __init__(self, message: "StrOrPromise", *, retry_after: int = 5, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.extra["retry_after"] = retry_after


def busy_from(exc: Exception) -> Busy | None:
    """A Busy refusal for a database lock that outlasted its timeout, None for any other error."""
    if isinstance(exc, OperationalError) and "locked" in str(exc):
        return Busy(_("The platform is busy and saved nothing; try again in a few seconds."))
    return None


def api_error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The one shape of every error the JSON API answers (``core.schemas.ErrorOut``)."""
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}
