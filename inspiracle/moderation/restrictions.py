"""What a sanction stops its user doing (MOD-5), and the one check every entry point makes.

Sign-in is checked where a user is authenticated (password, session, token: accounts' backend and security);
publishing in the works services; participation in the services that send licensing requests and messages.
Each asks ``restriction_for(user, action)``: the sanction in force that stops it, if any.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspiracle.core.errors import ApplicationError
from inspiracle.moderation.models import Sanction
from inspiracle.moderation.reasons import reason_label

SIGN_IN = "sign_in"
PUBLISH = "publish"
PARTICIPATE = "participate"

Kind = Sanction.Kind
STOPS: dict[str, frozenset[str]] = {
    Kind.WARNING: frozenset(),
    Kind.PUBLISHING: frozenset({PUBLISH}),
    Kind.PARTICIPATION: frozenset({PARTICIPATE}),
    Kind.SUSPENSION: frozenset({SIGN_IN, PUBLISH, PARTICIPATE}),
    Kind.TERMINATION: frozenset({SIGN_IN, PUBLISH, PARTICIPATE}),
    Kind.RECLAIM: frozenset({SIGN_IN, PUBLISH, PARTICIPATE}),
}
EFFECTS = {
    SIGN_IN: gettext_lazy("You cannot sign in, and your API tokens do not work."),
    PUBLISH: gettext_lazy("You cannot upload works, change their content or publish them."),
    PARTICIPATE: gettext_lazy("You cannot send licensing requests or messages."),
}
WARNING_EFFECT = gettext_lazy("Nothing is restricted; a warning is kept on your record.")


def in_force_q(now, prefix: str = "") -> Q:
    """The sanctions in force at ``now``, as a filter (``prefix`` for a relation, e.g. "sanctions__")."""
    return Q(**{f"{prefix}lifted_at__isnull": True, f"{prefix}starts_at__lte": now}) & (
        Q(**{f"{prefix}ends_at__isnull": True}) | Q(**{f"{prefix}ends_at__gt": now})
    )


def kinds_stopping(action: str) -> list[str]:
    return [kind for kind, stops in STOPS.items() if action in stops]


def stopping_q(action: str, now, prefix: str = "") -> Q:
    return in_force_q(now, prefix) & Q(**{f"{prefix}kind__in": kinds_stopping(action)})


def sanctions_in_force(user, now=None) -> QuerySet[Sanction]:
    return Sanction.objects.filter(in_force_q(now or timezone.now()), user=user)


def restriction_for(user, action: str, now=None) -> Sanction | None:
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


def until_text(sanction: Sanction) -> str:
    if sanction.ends_at is None:
        return _("until further notice") if sanction.kind != Kind.TERMINATION else _("permanently")
    return _("until %(when)s") % {
        "when": date_format(timezone.localtime(sanction.ends_at), "DATETIME_FORMAT")
    }


def refusal(sanction: Sanction) -> ApplicationError:
    """The error an entry point raises: which measure, why, until when, and how to contest it."""
    params = {
        "kind": sanction.get_kind_display(),
        "until": until_text(sanction),
        "reason": reason_label(sanction.reason_code)[0],
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
