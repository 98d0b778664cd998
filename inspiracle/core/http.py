from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from inspiracle.core.errors import api_error_body
from inspiracle.core.uploads import upload_problem


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind N trusted proxies, the N-th address from the right of X-Forwarded-For
    (the left part is whatever the client claimed, so it is never trusted)."""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:500]


@dataclass(frozen=True)
class Origin:
    """Where the current request comes from: read by the audit log and the session store."""

    ip: str = ""
    user_agent: str = ""


current_origin: ContextVar[Origin] = ContextVar("current_origin", default=Origin())  # noqa: B039 - frozen


class OriginMiddleware:
    """First in the stack, so that everything after it, including the session saved on the way out, knows
    the request's origin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_origin.set(Origin(ip=client_ip(request), user_agent=user_agent(request)))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)


def same_for_everyone[R: HttpResponseBase](response: R) -> R:
    """Mark a response whose bytes depend on nobody's cookie or language (a published picture, shop art), for
    ``SameForEveryoneMiddleware``. Opt-in: a response that merely says ``Cache-Control: public`` keeps its
    ``Vary``, which is what keeps a shared cache from serving what one reader may see to another."""
    response._same_for_everyone = True  # type: ignore[attr-defined]
    return response


class SameForEveryoneMiddleware:
    """Drops the ``Vary`` (and ``Content-Language``) that the session and locale middleware add on the way out
    from a response marked by ``same_for_everyone``: ``Vary: Cookie`` would keep a shared cache (a proxy, a
    CDN) from serving one copy to everyone. Never when the response sets a cookie. Listed before those two
    middleware, so that it runs after them on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "_same_for_everyone", False) and not response.cookies:
            for header in ("Vary", "Content-Language"):
                if header in response:
                    del response[header]
        return response


class RequestSizeMiddleware:
    """Refuse a request body larger than any upload may be, before anything reads it (a multi-gigabyte
    POST would otherwise be spooled to disk first). The limit follows from the per-file and per-work limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            return _too_large(request, length, limit)
        return self.get_response(request)


def _too_large(request, length: int, limit: int):
    message = _(
        "This request is %(size).0f MB; at most %(limit).0f MB can be sent at once. Upload fewer or smaller files."
    ) % {
        "size": length / 1e6,
        "limit": limit / 1e6,
    }
    if is_api(request):
        return JsonResponse(api_error_body("too_large", message), status=413)
    return render(request, "error.html", {"message": message}, status=413)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class PathCheckMiddleware:
    """A path with a NUL character names nothing we store, and PostgreSQL refuses to compare text holding
    one: refuse it before any view looks it up (422 naming the path on the API, a 400 page otherwise).
    On the API, ninja's plain-text 405 answer gets the JSON error body too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            message = _("The address contains a NUL character; no address here has one.")
            if is_api(request):
                body = api_error_body("invalid", message, {"path": [message]})
                return JsonResponse(body, status=422)
            return render(request, "error.html", {"message": message}, status=400)
        response = self.get_response(request)
        if response.status_code == 405 and is_api(request) and "json" not in response.get("Content-Type", ""):
            allowed = response.get("Allow", "")
            message = _("This address does not take %(method)s; it takes %(allowed)s.") % {
                "method": request.method,
                "allowed": allowed,
            }
            response = JsonResponse(api_error_body("method_not_allowed", message), status=405)
            response["Allow"] = allowed
        return response


# Django's own error answers (config/urls.py handler400/403/404/500): JSON on the API, pages elsewhere, so
# that no /api/ address ever answers an HTML page.


def bad_request(request, exception):
    """A body Django could not parse (often read by the CSRF check, before any view) says why, in the
    request's format; other bad requests get the generic answer."""
    if isinstance(exception, MultiPartParserError):
        message = upload_problem(exception)
        if is_api(request):
            return JsonResponse(api_error_body("bad_upload", message), status=400)
        return render(request, "error.html", {"message": message}, status=400)
    if is_api(request):
        message = _("The request could not be read. Check its headers and body.")
        return JsonResponse(api_error_body("bad_request", message), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return JsonResponse(api_error_body("forbidden", _("You may not do this.")), status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        message = _("There is no such API address. The list is at /api/docs.")
        return JsonResponse(api_error_body("not_found", message), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        message = _("Something went wrong on our side; it has been logged. Try again later.")
        return JsonResponse(api_error_body("server_error", message), status=500)
    return defaults.server_error(request)
