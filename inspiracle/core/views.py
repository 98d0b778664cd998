"""What every page shares: presenting refusals, the home page (health is in health.py)."""

import logging

from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from inspiracle.core.crypto import DecryptionError
from inspiracle.core.errors import ApplicationError, Busy, Throttled, busy_from
from inspiracle.core.http import bad_request


def add_errors(form, exc: ApplicationError) -> None:
    """Put a service's refusal onto the form the person filled in, field by field."""
    placed: list[str] = []
    for field, messages in exc.fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed.append(str(message))
    # A message already shown at its field is not repeated above the form (it was shown twice).
    if not placed or (exc.message and str(exc.message) not in placed):
        form.add_error(None, exc.message)


def with_retry_after(response, refusal: ApplicationError | None):
    """A limit's refusal tells the client when to come back, in the header HTTP defines for it."""
    if isinstance(refusal, Throttled | Busy):
        response["Retry-After"] = str(refusal.retry_after)
    return response


def form_page(request, template: str, context: dict, refusal: ApplicationError | None, *, status: int = 200):
    """A form page: 429 with Retry-After when a limit refused the submission, ``status`` otherwise."""
    response = render(
        request, template, context, status=refusal.status if isinstance(refusal, Throttled) else status
    )
    return with_retry_after(response, refusal)


class ErrorPageMiddleware:
    """A refusal that escapes a view becomes a page that says what is wrong, never a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        exception = busy_from(exception) or exception
        if isinstance(exception, ApplicationError):
            response = render(request, "error.html", {"message": exception.message}, status=exception.status)
            return with_retry_after(response, exception)
        if isinstance(exception, MultiPartParserError):
            return bad_request(request, exception)
        if isinstance(exception, DecryptionError):
            logging.getLogger("inspiracle.crypto").error("decryption failed: %s", exception)
            return render(request, "error.html", {"decryption": True}, status=500)
        return None


def home(request):
    return render(request, "home.html")
