from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from inspiracle.accounts.security import token_authenticate
from inspiracle.agreements.gate import SAFE_METHODS, consent_refusal
from inspiracle.core.errors import PermissionDenied


class SessionOrToken:
    """API authentication: a personal access token (``Authorization: Bearer insp_...``) or the browser's
    session with its CSRF token. Then the consent gate (REG-3), exactly as for web pages."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            user = token_authenticate(header.removeprefix("Bearer ").strip())
            if user is None:
                return None
            request.user = user
        elif request.user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise PermissionDenied(
                    _("The CSRF token is missing or wrong. Reload the page and try again.")
                )
        else:
            return None
        if request.method not in SAFE_METHODS:
            refusal = consent_refusal(request)
            if refusal is not None:
                raise refusal
        return request.user


class SessionTokenOrVisitor(SessionOrToken):
    """For reads a visitor may make too (public works): no credentials at all is a visitor; credentials
    that fail are still refused, so a mistyped token is never silently anonymous."""

    visitors_allowed = True  # the OpenAPI document marks the token optional (core.api.ApiSchema)

    def __call__(self, request):
        if "Authorization" not in request.headers and not request.user.is_authenticated:
            return request.user
        return super().__call__(request)
