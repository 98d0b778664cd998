from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


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
