from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.utils import check_csrf

from inspiracle.accounts.models import ApiToken
from inspiracle.accounts.tokens import token_authenticate
from inspiracle.agreements.gate import SAFE_METHODS, consent_refusal
from inspiracle.core.errors import PermissionDenied


def scope_needed(request) -> str:
    """What a call needs of a token: ``staff`` for the staff endpoints, else ``read`` for a safe method and
    ``write`` for a change."""
    if request.path.startswith(reverse("api:api-root") + "staff/"):
        return ApiToken.Scope.STAFF
    return ApiToken.Scope.READ if request.method in SAFE_METHODS else ApiToken.Scope.WRITE


def scope_check(token: ApiToken, request) -> None:
    needed = scope_needed(request)
    held = token.scope_list
    # Writing includes reading: a script that uploads also looks at what it uploaded.
    if needed in held or (needed == ApiToken.Scope.READ and ApiToken.Scope.WRITE in held):
        return
    raise PermissionDenied(
        _("This token's scopes are %(held)s; this call needs the %(needed)s scope. Make a token with it.")
        % {"held": ", ".join(held), "needed": needed},
        code="token_scope",
    )


class SessionOrToken:
    """API authentication: a personal access token (``Authorization: Bearer insp_...``), within its scopes,
    or the browser's session with its CSRF token. Then the consent gate (REG-3), exactly as for web pages.
    ``request.api_token`` is the token a call came with (None for a session)."""

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        request.api_token = None
        if header.startswith("Bearer "):
            token = token_authenticate(header.removeprefix("Bearer ").strip())
            if token is None:
                return None
            scope_check(token, request)
            request.user, request.api_token = token.user, token
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
