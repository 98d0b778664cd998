"""An account's standing: what a sanction stops its user doing (MOD-5), and the one check every entry point makes.

Sign-in is checked where a user is authenticated (password, session, token: accounts' backend and security);
publishing in the works services; participation in the services that send licensing requests and messages.
Each asks ``restriction_for(user, action)``: the sanction in force that stops it, if any.

This module sits below ``accounts`` and ``works`` and imports neither them nor ``moderation``: it reads the
``moderation.Sanction`` rows through the app registry (decision 0014), so the layers that ask "may this account
do this now?" do not depend on the app that imposes and lifts sanctions. Moderation imports this module.
"""

from typing import TYPE_CHECKING

from django.apps import apps
from django.core import signing
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspiracle.core.errors import ApplicationError

if TYPE_CHECKING:  # for the type checker only: at run time the model comes from the registry
    from inspiracle.moderation.models import Sanction

SIGN_IN = "sign_in"
PUBLISH = "publish"
PARTICIPATE = "participate"

# The values of ``Sanction.Kind`` (a test keeps the two in step).
WARNING = "warning"
PUBLISHING = "publishing"
PARTICIPATION = "participation"
SUSPENSION = "suspension"
TERMINATION = "termination"
RECLAIM = "reclaim"
STOPS: dict[str, frozenset[str]] = {
    WARNING: frozenset(),
    PUBLISHING: frozenset({PUBLISH}),
    PARTICIPATION: frozenset({PARTICIPATE}),
    SUSPENSION: frozenset({SIGN_IN, PUBLISH, PARTICIPATE}),
    TERMINATION: frozenset({SIGN_IN, PUBLISH, PARTICIPATE}),
    RECLAIM: frozenset({SIGN_IN, PUBLISH, PARTICIPATE}),
}
EFFECTS = {
    SIGN_IN: gettext_lazy("You cannot sign in, and your API tokens do not work."),
    PUBLISH: gettext_lazy("You cannot upload works, change their content or publish them."),
    PARTICIPATE: gettext_lazy("You cannot send licensing requests or messages."),
}
WARNING_EFFECT = gettext_lazy("Nothing is restricted; a warning is kept on your record.")


# A suspended user cannot sign in, yet may appeal (MOD-6): after a correct password the sign-in page hands
# out this short-lived signed pass to the appeal of the measure that stopped them (moderation checks it).
BLOCKED_PASS_SALT = "moderation.blocked-appeal"
BLOCKED_PASS_SECONDS = 3600


def sanction_model() -> "type[Sanction]":
    return apps.get_model("moderation", "Sanction")


def in_force_q(now, prefix: str = "") -> Q:
    """The sanctions in force at ``now``, as a filter (``prefix`` for a relation, e.g. "sanctions__")."""
    return Q(**{f"{prefix}lifted_at__isnull": True, f"{prefix}starts_at__lte": now}) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": now})
    )


def kinds_stopping(action: str) -> list[str]:
    return [kind for kind, stops in STOPS.items() if action in stops]


def stopping_q(action: str, now, prefix: str = "") -> Q:
    return in_force_q(now, prefix) & Q(**{f"{prefix}kind__in": kinds_stopping(action)})


def sanctions_in_force(user, now=None) -> "QuerySet[Sanction]":
    return sanction_model().objects.filter(in_force_q(now or timezone.now()), user=user)


def restriction_for(user, action: str, now=None) -> "Sanction | None":
    """The sanction in force that stops ``user`` doing ``action``, the longest-lasting first."""
    if user is None or not user.is_authenticated:
        return None
    found = list(sanctions_in_force(user, now).filter(kind__in=kinds_stopping(action)))
    # A measure without an end outlasts every timed one.
    found.sort(key=lambda s: (s.ends_at is not None, -(s.ends_at.timestamp() if s.ends_at else 0)))
    return found[0] if found else None


def effects_of(kind: str) -> list[str]:
    stops = STOPS[kind]
    return [str(EFFECTS[action]) for action in (SIGN_IN, PUBLISH, PARTICIPATE) if action in stops] or [
        str(WARNING_EFFECT)
    ]


def until_text(sanction: "Sanction") -> str:
    if sanction.ends_at is None:
        return _("until further notice") if sanction.kind != TERMINATION else _("permanently")
    return _("until %(when)s") % {
        "when": date_format(timezone.localtime(sanction.ends_at), "DATETIME_FORMAT")
    }


def refusal(sanction: "Sanction") -> ApplicationError:
    """The error an entry point raises: which measure, why, until when, and how to contest it."""
    params = {
        "kind": sanction.get_kind_display(),
        "until": until_text(sanction),
        # The catalogue label in the active language (the code itself if unknown), as the reasons' choices give it.
        "reason": sanction.get_reason_code_display(),
    }
    if SIGN_IN in STOPS[sanction.kind]:
        message = _(
            "Your account is under a measure (%(kind)s, %(until)s) because of: %(reason)s. To appeal it once, "
            "sign in on the website with your username and password: the appeal form opens."
        )
    else:
        message = _(
            "Your account is under a measure (%(kind)s, %(until)s) because of: %(reason)s. You can appeal it "
            "once from the “Standing” page of your account."
        )
    return ApplicationError(
        message % params,
        code="sanctioned",
        status=403,
        extra={
            "sanction": sanction.pk,
            "kind": sanction.kind,
            "ends_at": sanction.ends_at.isoformat() if sanction.ends_at else None,
        },
    )


def require_allowed(user, action: str) -> None:
    sanction = restriction_for(user, action)
    if sanction is not None:
        raise refusal(sanction)


def blocked_pass(sanction: "Sanction") -> str:
    return signing.dumps({"s": sanction.pk, "u": sanction.user_id}, salt=BLOCKED_PASS_SALT)


def blocked_pass_for(sanction_id: int) -> str:
    """The appeal pass for the sanction a sign-in refusal named."""
    return blocked_pass(sanction_model().objects.get(pk=sanction_id))
