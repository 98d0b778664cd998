"""Reading repost permissions (WRK-12): the state a permission is in today (expiry is derived here, never in a
template), the lists for the owner, the asker and a work's page, and the permissions a report names."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from inspiracle.agreements.selectors import local_today
from inspiracle.reposts.models import RepostPermission
from inspiracle.reposts.rules import hosts_named
from inspiracle.works.models import Work, WorkFile

Status = RepostPermission.Status
STATE_LABELS = {
    "requested": _("Awaiting the creator's answer"),
    "declined": _("Declined"),
    "active": _("Active"),
    "expired": _("Expired"),
    "revoked": _("Revoked"),
    "withdrawn": _("Ended: the work is no longer public"),
}


_PENDING_FIRST = Case(
    When(status=Status.REQUESTED, then=Value(0)), default=Value(1), output_field=IntegerField()
)


def permission_state(
    permission: RepostPermission, *, today: date | None = None, work: Work | None = None
) -> str:
    """requested, declined, revoked, withdrawn (its work is no longer public), expired (its last day has
    passed, Beijing calendar day) or active."""
    if permission.status in (Status.REQUESTED, Status.DECLINED, Status.REVOKED):
        return permission.status
    work = work or permission.work
    if not work.is_public:
        return "withdrawn"
    if permission.ends_on < (today or local_today()):
        return "expired"
    return "active"


@dataclass(frozen=True)
class PermissionView:
    permission: RepostPermission
    state: str

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def active(self) -> bool:
        return self.state == "active"


def views_of(permissions, *, today: date | None = None) -> list[PermissionView]:
    today = today or local_today()
    return [PermissionView(p, permission_state(p, today=today)) for p in permissions]


def _base() -> QuerySet[RepostPermission]:
    return RepostPermission.objects.select_related("work__owner__profile", "requester", "owner")


def permission_list_for_owner(user) -> QuerySet[RepostPermission]:
    """Requests about the user's works: those awaiting an answer first, then newest first."""
    return _base().filter(owner=user).order_by(_PENDING_FIRST, "-requested_at", "-pk")


def permission_list_for_requester(user) -> QuerySet[RepostPermission]:
    return _base().filter(requester=user).order_by(_PENDING_FIRST, "-requested_at", "-pk")


def permission_list_active_for_work(work: Work, *, today: date | None = None) -> list[RepostPermission]:
    """What the work page lists: approved, not revoked, not past their last day."""
    if not work.is_public:
        return []
    today = today or local_today()
    return list(
        RepostPermission.objects.filter(work=work, status=Status.APPROVED, ends_on__gte=today).order_by(
            "ends_on", "pk"
        )
    )


def permission_thumbnail(work: Work) -> WorkFile | None:
    """The first file the public may see (not masked, derivatives made): the permission page's picture."""
    if not work.is_public:
        return None
    return (
        work.files.filter(status=WorkFile.Status.READY, masked_at__isnull=True).exclude(thumbnail="").first()
    )


def permission_list_for_report(texts: list[str]) -> list[PermissionView]:
    """WRK-12: the permissions ever granted for a site the texts name (a report's addresses and descriptions),
    with the state each is in today, for the legal officer deciding the report."""
    hosts = hosts_named(texts)
    if not hosts:
        return []
    found = (
        RepostPermission.objects.filter(site_host__in=hosts, approved_at__isnull=False)
        .select_related("work__owner")
        .order_by("site_host", "-approved_at")[:50]
    )
    return views_of(found)
