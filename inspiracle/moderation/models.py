"""Review of works (MOD-1, MOD-2): who holds an item, and every decision with its reason."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.moderation.reasons import CHOICES, reason_label


class ReviewClaim(models.Model):
    """One moderator holds a work while deciding it, so that two never decide the same item at once. A claim
    older than CLAIM_MINUTES is free for anyone (the holder went away)."""

    work = models.OneToOneField("works.Work", on_delete=models.CASCADE, related_name="review_claim")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.work_id} held by {self.moderator_id}"


class Decision(models.Model):
    class Kind(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        CORRECTION = "correction", _("Correction requested")
        TAKEDOWN = "takedown", _("Taken down")
        MASK = "mask", _("Masked")

    class Part(models.TextChoices):
        TITLE = "title", _("Title")
        DESCRIPTION = "description", _("Description")
        FILE = "file", _("One file")

    work = models.ForeignKey("works.Work", on_delete=models.PROTECT, related_name="decisions")
    revision = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason_code = models.CharField(max_length=30, choices=CHOICES, blank=True)
    message = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    # Bulk decisions can be undone one by one; the record stays, with who undid it and when.
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bulk = models.BooleanField(default=False)
    # MOD-4: what a mask covers.
    masked_part = models.CharField(max_length=12, choices=Part.choices, blank=True)
    masked_file = models.ForeignKey(
        "works.WorkFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="reject") | ~Q(reason_code=""), name="decision_reject_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(message=""), name="decision_correction_has_message"
            ),
            models.CheckConstraint(
                condition=Q(reversed_at__isnull=True) | Q(reversed_by__isnull=False),
                name="decision_reversed_by",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.work_id}@{self.revision}"

    @property
    def reason_explanation(self) -> str:
        return reason_label(self.reason_code)[1] if self.reason_code else ""
