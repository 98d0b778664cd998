from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from inspiracle.accounts.models import OrganizationCertificate, User
from inspiracle.accounts.permissions import (
    ACCOUNTS_VERIFY,
    IDENTITY_DOCUMENTS_READ,
    PII_READ,
    require_capability,
)
from inspiracle.core.errors import NotFound
from inspiracle.works.models import Work, WorkFile


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
