"""What the staff console keeps itself: internal notes on users, works and reports, and which deadline
reminders went to the legal officers. The staff app sits above accounts, works and reports, so these point down
to them and nothing there knows about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

NOTE_MAX_CHARS = 2000


class StaffNote(models.Model):
    """An internal note on one user, work or report, for staff only. Append-only: a note is never edited or
    deleted; a correction is another note."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    work = models.ForeignKey("works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(max_length=NOTE_MAX_CHARS)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, work__isnull=True, report__isnull=True)
                    | Q(user__isnull=True, work__isnull=False, report__isnull=True)
                    | Q(user__isnull=True, work__isnull=True, report__isnull=False)
                ),
                name="staff_note_one_subject",
            )
        ]

    def __str__(self):
        return f"staff note {self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("staff notes are append-only")
        super().save(*args, **kwargs)


class DeadlineReminder(models.Model):
    """RPT-6: that the legal officers were e-mailed about a report nearing its deadline, or past it. One row per
    report and threshold makes the reminder job idempotent."""

    class Threshold(models.TextChoices):
        NEAR = "near", "near"
        OVERDUE = "overdue", "overdue"

    report = models.ForeignKey("reports.Report", on_delete=models.CASCADE, related_name="+")
    threshold = models.CharField(max_length=8, choices=Threshold.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "threshold"], name="one_reminder_per_threshold")
        ]

    def __str__(self):
        return f"{self.threshold} reminder of report {self.report_id}"
