"""Notices to a user about decisions that concern them (UX-4): the in-app inbox, and what is emailed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.notifications.messages import render


def validate_site_path(value: str) -> None:
    # The inbox redirects to this link: only a path on this site, never "//host" or "/\host" (open redirect).
    if value and (not value.startswith("/") or value.startswith(("//", "/\\"))):
        raise ValidationError(_("A notification links to a path on this site, such as /works/12/."))


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)  # "work.approved": from the catalogue entry, for filters
    # What it says is a catalogue key and its parameters (messages.py), rendered in the reader's language.
    template = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    reason_code = models.CharField(max_length=60, blank=True)
    link = models.CharField(max_length=300, blank=True, validators=[validate_site_path])
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_read")]

    def __str__(self):
        return f"{self.kind} for {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    def rendered(self) -> tuple[str, str]:
        """(subject, body) in the active language."""
        return render(template=self.template, params=self.params, reason_code=self.reason_code)


class EmailPreference(models.Model):
    """The optional topics (preferences.py) a user does not want by e-mail; no row: every notice e-mailed.
    Written by ``email_preferences_set`` only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preference"
    )
    muted = models.JSONField(default=list, blank=True)  # topic keys, sorted
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"e-mail preferences of {self.user_id}"
