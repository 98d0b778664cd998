from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


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
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": "too_large", "message": message, "fields": {}}}, status=413)
    return render(request, "error.html", {"message": message}, status=413)
