from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from inspiracle.accounts.models import OrganizationCertificate, User
from inspiracle.accounts.permissions import (
    ACCOUNTS_VERIFY,
    IDENTITY_DOCUMENTS_READ,
    PII_READ,
    REPORTS_HANDLE,
    STAFF_CONSOLE,
    require_capability,
)
from inspiracle.core.errors import NotFound
from inspiracle.moderation.selectors import uploader_history
from inspiracle.reports.models import Report
from inspiracle.works.models import Work, WorkFile
from inspiracle.works.selectors import work_files, work_matches


def work_list_for_staff(*, status: str) -> QuerySet[Work]:
    """Works in one state, oldest first (the first uploaded waits longest), with what a reviewer looks at."""
    ready = WorkFile.objects.filter(status=WorkFile.Status.READY).order_by("position", "pk")
    return (
        Work.objects.filter(status=status if status in Work.Status.values else Work.Status.AWAITING_REVIEW)
        .select_related("owner__profile")
        .prefetch_related(Prefetch("files", queryset=ready, to_attr="ready_files"))
        .annotate(match_count=Count("files__matches", distinct=True))
        .order_by("submitted_at", "uploaded_at", "pk")
    )


def access_user_for_staff(actor, username: str, capability: str) -> User:
    """The account ``username`` for a staff page or endpoint that needs ``capability``. The role is checked
    before the look-up, so that nobody without it learns which usernames exist."""
    require_capability(actor, capability)
    user = User.objects.select_related("profile").filter(username=(username or "").strip().lower()).first()
    if user is None:
        raise NotFound(_("There is no account called '%(name)s'.") % {"name": username})
    return user


def access_organization_for_review(actor, username: str) -> User:
    """REG-5: an organization to verify. Reviewing means reading its certificate scans and its registered
    name and address, so all three rights are needed (MOD-7)."""
    require_capability(actor, ACCOUNTS_VERIFY)
    require_capability(actor, IDENTITY_DOCUMENTS_READ)
    user = access_user_for_staff(actor, username, PII_READ)
    if not user.is_organization:
        raise NotFound(
            _("@%(name)s is an individual account: only organizations are verified from a certificate.")
            % {"name": user.username}
        )
    return user


def access_certificate_for_staff(actor, username: str, certificate_id: int) -> OrganizationCertificate:
    """One certificate scan of ``username`` (MOD-7: only roles that may read identity documents). An id of
    another account's scan is "not found", like an id that does not exist."""
    require_capability(actor, IDENTITY_DOCUMENTS_READ)
    certificate = (
        OrganizationCertificate.objects.select_related("user")
        .filter(pk=certificate_id, user__username=(username or "").strip().lower())
        .first()
    )
    if certificate is None:
        raise NotFound(_("This account has no certificate scan with that number."))
    return certificate


def verification_queue_for_staff(actor) -> QuerySet[OrganizationCertificate]:
    """REG-5: organizations whose newest certificate scan awaits review, the longest waiting first. Names and
    dates only: no personal information, so listing it is not an access to be audited."""
    require_capability(actor, ACCOUNTS_VERIFY)
    return (
        OrganizationCertificate.objects.newest_per_user()
        .filter(status=OrganizationCertificate.Status.PENDING, user__kind=User.Kind.ORGANIZATION)
        .select_related("user__profile")
        .order_by("uploaded_at", "pk")
    )


def certificate_list_for_review(organization: User) -> list[OrganizationCertificate]:
    """Every scan the organization uploaded, newest first, with who decided each."""
    return list(
        organization.certificates.select_related("accepted_by", "refused_by").order_by("-uploaded_at", "-pk")
    )


# Longer digit strings than an id column holds are "not found", not a database error.
ID_DIGITS = 18


def access_note_subject_for_staff(actor, kind: str, key: str) -> "User | Work | Report":
    """The user (by username), work (by id) or report (by reference) a staff note is about. Report notes are for
    the roles that handle reports (MOD-7); the role is checked before the look-up."""
    if kind == "user":
        return access_user_for_staff(actor, key, STAFF_CONSOLE)
    if kind == "work":
        require_capability(actor, STAFF_CONSOLE)
        key = str(key)
        work = Work.objects.filter(pk=int(key)).first() if key.isdigit() and len(key) <= ID_DIGITS else None
        if work is None:
            raise NotFound(_("There is no such work."))
        return work
    if kind == "report":
        require_capability(actor, REPORTS_HANDLE)
        report = Report.objects.filter(reference=key).first()
        if report is None:
            raise NotFound(_("There is no such report."))
        return report
    require_capability(actor, STAFF_CONSOLE)
    raise NotFound(_("Notes are kept on users, works and reports only."))


def review_item_for_staff(actor, work_id: int) -> dict:
    """MOD-1, WRK-9: what the review page shows of a work, for the API: its files, the similar files found
    (with their distances) and the uploader's record."""
    require_capability(actor, STAFF_CONSOLE)
    work = Work.objects.select_related("owner__profile").filter(pk=work_id).first()
    if work is None:
        raise NotFound(_("There is no such work."))
    return {
        "work": work,
        "files": work_files(work),
        "matches": work_matches(work),
        "history": uploader_history(work.owner),
    }
