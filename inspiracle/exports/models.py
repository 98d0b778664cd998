"""A copy of a user's data (ACC-4): one row per archive asked for, its progress and its stored ZIP.

The ZIP lives in the private storage under a random name (``exports/<token>.zip``): nothing in the name says
whose it is. The name is written to the row *before* the file is stored, so whatever happens to the worker
the row always knows the one file that may exist for it, and a restart or the expiry job can delete it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.core.storage import private_storage


class Export(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be built")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired and deleted")

    IN_PROGRESS = (Status.PENDING, Status.BUILDING)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(storage=private_storage, blank=True, max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=64, blank=True)  # the Celery task id building it now
    claimed_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)  # the first download
    downloads = models.PositiveIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # ACC-4: one archive in progress per user, whatever the number of parallel requests.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "building"]),
                name="export_one_in_progress",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready")
                | Q(built_at__isnull=False, expires_at__isnull=False) & ~Q(file=""),
                name="export_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | Q(failed_at__isnull=False), name="export_failed_at"
            ),
            models.CheckConstraint(
                condition=~Q(status="expired") | Q(expired_at__isnull=False, file=""),
                name="export_expired_at",
            ),
        ]

    def __str__(self):
        return f"export {self.pk}"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS
