"""Who may open which moderation record. Users reach only their own measures and appeals; staff reach all of
them through the console. Anyone else gets "not found", as for an id that does not exist (PRV-3)."""

from django.core import signing
from django.utils.translation import gettext as _

from inspiracle.accounts.permissions import STAFF_CONSOLE, has_capability, require_capability
from inspiracle.core.errors import NotFound
from inspiracle.moderation.models import Appeal, Decision, Sanction, Strike
from inspiracle.moderation.selectors import appeal_records
from inspiracle.standing import BLOCKED_PASS_SALT, BLOCKED_PASS_SECONDS

MEASURES: dict[str, type[Decision] | type[Strike] | type[Sanction]] = {
    "decision": Decision,
    "strike": Strike,
    "sanction": Sanction,
}


def _gone(what: str = "") -> NotFound:
    return NotFound(what or _("There is no such record."))


def access_measure_for_appeal(user, kind: str, measure_id) -> Decision | Strike | Sanction:
    """A measure the user may appeal: a decision about one of their works, or their own strike or sanction."""
    model = MEASURES.get(kind)
    if model is None or not user.is_authenticated:
        raise _gone()
    measure: Decision | Strike | Sanction | None
    if issubclass(model, Decision):
        measure = (
            Decision.objects.filter(pk=measure_id).filter(work__owner=user).select_related("work").first()
        )
    else:
        measure = model.objects.filter(pk=measure_id).filter(user=user).first()
    if measure is None:
        raise _gone()
    return measure


def access_appeal_for_appellant(user, appeal_id) -> Appeal:
    appeal = None
    if user.is_authenticated:
        appeal = Appeal.objects.filter(pk=appeal_id, user=user).first()
    if appeal is None:
        raise _gone(_("There is no such appeal."))
    return appeal


def access_appeal_for_staff(user, appeal_id) -> Appeal:
    require_capability(user, STAFF_CONSOLE)
    appeal = appeal_records().filter(pk=appeal_id).first()
    if appeal is None:
        raise _gone(_("There is no such appeal."))
    return appeal


def access_sanction_for_staff(user, sanction_id) -> Sanction:
    require_capability(user, STAFF_CONSOLE)
    sanction = Sanction.objects.select_related("user").filter(pk=sanction_id).first()
    if sanction is None:
        raise _gone()
    return sanction


def access_strike_for_staff(user, strike_id) -> Strike:
    require_capability(user, STAFF_CONSOLE)
    strike = Strike.objects.select_related("user").filter(pk=strike_id).first()
    if strike is None:
        raise _gone()
    return strike


def can_handle_appeal(user, appeal: Appeal) -> bool:
    """MOD-6: any staff member but the one who took the measure."""
    return has_capability(user, STAFF_CONSOLE) and user.pk != appeal.original_decider_id


def access_sanction_by_pass(token: str) -> Sanction:
    """The sanction a sign-in pass was given for, while the pass is fresh. The pass reaches that measure's
    appeal only: it signs nobody in."""
    try:
        data = signing.loads(token, salt=BLOCKED_PASS_SALT, max_age=BLOCKED_PASS_SECONDS)
    except signing.BadSignature:
        raise _gone(_("This link has expired. Sign in again to reach the appeal form.")) from None
    sanction = Sanction.objects.select_related("user").filter(pk=data.get("s"), user_id=data.get("u")).first()
    if sanction is None:
        raise _gone()
    return sanction
