"""ACC-3: a legal hold keeps an account's records through its cancellation (the cancellation state itself
belongs to ``accounts.User``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class LegalHold(models.Model):
    """A legal officer's order to keep an account's records (a court, an authority's request, a dispute). While
    one is in force a cancelled account is closed (no sign-in, works unpublished) but nothing is erased; the
    erasure completes after the hold is released. The user is not told of the hold itself (it may be secret)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True, released_by__isnull=True)
                | Q(released_at__isnull=False, released_by__isnull=False),
                name="legal_hold_release_has_when_and_who",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
        ]

    def __str__(self):
        return f"legal hold {self.pk} on {self.user_id}"

    @property
    def in_force(self) -> bool:
        return self.released_at is None
