"""ACC-3: during the cooling-off an account may only restore itself, read its privacy pages, download its
data and sign out. The consent gate's pattern (agreements/gate.py): one middleware, fail-closed, an allow-list.

Why a gate and not a MOD-5 sanction: a sanction is a measure staff impose and the user appeals; cancelling is
the user's own choice, undone by the user. Why not ``is_active``: the user must still sign in to restore. API
tokens are revoked when the cancellation is asked for, so every API call during the cooling-off comes with the
browser's session, which this middleware sees.
"""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspiracle.agreements.gate import SAFE_METHODS
from inspiracle.core.errors import ApplicationError

ALLOWED_NAMES = {
    "set_language",
    "accounts:signin",
    "accounts:signin-totp",
    "accounts:signout",
    # MOD-6: a measure can always be contested, also while the account is being cancelled (an open appeal
    # keeps the work it concerns through the erasure). The standing page lists what can be appealed.
    "standing:standing",
    "standing:appeal-new",
    "standing:appeal",
    "standing:blocked",
    "api:me-standing",
    "api:appeals",  # GET the list and POST a new one share the path, so both resolve to this name
    "api:appeal-open",
    "api:appeal",
    "api:appeal-messages",
    "api:blocked",
    "api:blocked-appeal",
    "api:blocked-messages",
}
# The privacy pages (rights, cancel, restore) and the export of one's data (ACC-4) under /privacy/export/.
ALLOWED_PREFIXES = ("/privacy/", "/api/account/cancellation", "/api/account/exports", "/agreements/")


class CancellationPending(ApplicationError):
    status = 403
    code = "account_cancelling"


def cancellation_refusal(request) -> CancellationPending | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(user, "cancel_requested_at", None) is None:
        return None
    if request.path_info.startswith(ALLOWED_PREFIXES):
        return None
    match = getattr(request, "resolver_match", None)
    if match is not None and match.view_name in ALLOWED_NAMES:
        return None
    return CancellationPending(
        _(
            "Your account is being cancelled: until you restore it you cannot use it. Restore it on the "
            "cancellation page, or sign out."
        ),
        extra={"restore_url": reverse("privacy:cancel")},
    )


class CancellationGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        refusal = cancellation_refusal(request)
        if refusal is None:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"error": refusal.as_dict()}, status=refusal.status)
        if request.method in SAFE_METHODS:
            return redirect("privacy:cancel")  # "a page after sign-in": the way back
        return render(request, "error.html", {"message": refusal.message}, status=refusal.status)
