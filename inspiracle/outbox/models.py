"""The outbox: a side effect (an e-mail) written in the same transaction as the change that causes it, and
delivered afterwards by a job, so that a broker or mail server that is down delays it but loses nothing."""

from django.db import models
from django.utils import timezone

from inspiracle.core.fields import EncryptedTextField


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        SKIPPED = "skipped"  # nothing to send any more (the recipient has no address, the record is gone)
        FAILED = "failed"  # gave up after OUTBOX_MAX_ATTEMPTS

    kind = models.CharField(max_length=60)  # a renderer's name in registry.RENDERERS
    # What the renderer needs: ids where the data is in the database (rendered at delivery), otherwise the
    # address or code itself. Encrypted, because it may hold personal information or a secret (PRV-1).
    payload = EncryptedTextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)  # the next attempt, pushed back after a failure
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)  # the exception's class, never its text

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"], name="outbox_due")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False), name="outbox_sent_at"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"
