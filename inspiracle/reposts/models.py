"""Repost permissions (WRK-12): a third party asks to repost one published work on one site; the owner
approves or declines; an approved permission has its own public address and can be revoked.

``status`` is changed only by ``transitions.permission_transition``; expiry is derived from ``ends_on``
(selectors.permission_state), never stored, so a permission ends on its day without a job.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.core.fields import EncryptedTextField

MAX_MONTHS = 24  # the longest term a permission may run
PURPOSE_MAX = 2000
MESSAGE_MAX = 2000
NAME_MAX = 120
URL_MAX = 500


class RepostPermission(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting the creator's answer")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    reference = models.CharField(max_length=16, unique=True)
    work = models.ForeignKey("works.Work", on_delete=models.PROTECT, related_name="repost_permissions")
    # The work's owner when asked: who answers. Kept on the row so the owner's list is one indexed query.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A member asks as themselves; a visitor with an address proved by a code (stored encrypted, PRV-1).
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requester_email = EncryptedTextField(blank=True)
    # "user:<id>" or "email:<blind index>": one pending request per asker, work and site (a constraint).
    requester_key = models.CharField(max_length=80)
    requester_name = models.CharField(_("your name or organization"), max_length=NAME_MAX)
    language = models.CharField(max_length=10, default="zh-hans")

    site_url = models.CharField(_("where"), max_length=URL_MAX)
    site_host = models.CharField(max_length=253, db_index=True)
    purpose = models.TextField(_("purpose"), max_length=PURPOSE_MAX)
    ends_on = models.DateField(_("until"))

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The owner's optional words with the answer (approval, decline or revocation), shown to the asker.
    owner_message = models.TextField(max_length=MESSAGE_MAX, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["owner", "status"], name="repost_owner_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "site_host", "requester_key"],
                condition=Q(status="requested"),
                name="repost_one_pending_per_site",
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | ~Q(requester_email=""), name="repost_has_requester"
            ),
            models.CheckConstraint(
                condition=Q(status="requested")
                | Q(status="declined")
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="repost_approved_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | Q(declined_at__isnull=False, declined_by__isnull=False),
                name="repost_declined_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="repost_revoked_recorded",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def issued(self) -> bool:
        """A permission was granted (it may since have been revoked or have expired)."""
        return self.approved_at is not None


class RepostEmailCode(models.Model):
    """A visitor proves an e-mail address with a six-digit code before asking (the reports' pattern, RPT-1;
    a table of our own because reports sits above reposts)."""

    email_index = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"repost email code {self.pk}"
