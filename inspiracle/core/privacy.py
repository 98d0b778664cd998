"""No copy of personal information or secrets in any cache: the browser's back button, a shared proxy, a
disk cache (PRV-1, PRV-2).

A response is sent with ``Cache-Control: no-store`` when its request read an encrypted field (registration
information, report contacts, TOTP secrets: ``EncryptedTextField`` marks it on the way out of the database),
or when its view carries ``@no_store`` (pages that show a secret or personal information that was not read
from the database: a new token, a form re-shown with what was typed). Marking on decryption means a new page
that shows personal information needs nothing to be private."""

from contextvars import ContextVar
from functools import wraps

from django.utils.cache import add_never_cache_headers

# Per request: a one-item list the marker fills; None outside a request (jobs, commands: nothing to mark).
_shown: ContextVar[list | None] = ContextVar("personal_data_shown", default=None)


def personal_data_read() -> None:
    """Called where personal information is decrypted: the response to this request is not to be stored."""
    shown = _shown.get()
    if shown is not None and not shown:
        shown.append(True)


def no_store(view):
    """For a page that shows a secret or personal information the database did not decrypt for it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        personal_data_read()
        return view(request, *args, **kwargs)

    return wrapper


class NoStoreMiddleware:
    """Early in the stack, so that it sees every response, error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _shown.set([])
        try:
            response = self.get_response(request)
            if _shown.get() and "no-store" not in response.get("Cache-Control", ""):
                # no-store is what matters; the rest (max-age=0, no-cache, private) is for old caches.
                add_never_cache_headers(response)
            return response
        finally:
            _shown.reset(token)
