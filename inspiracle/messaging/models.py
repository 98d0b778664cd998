"""Message threads between two users (COM-7): the only way users reach each other on the platform. A thread
shows each side's username and display name, never registration information (PRV-4); what people write is
encrypted at rest, because they put contact details in it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.core.fields import EncryptedTextField
from inspiracle.core.storage import private_storage
from inspiracle.notifications.models import validate_site_path


class Thread(models.Model):
    """A conversation between exactly two participants, about a request, a deal, or directly to a creator."""

    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct")
        REQUEST = "request", _("Licensing request")
        DEAL = "deal", _("Deal")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.CharField(max_length=120)
    # The page the thread belongs to (a request, a deal); blank for a direct thread.
    topic_path = models.CharField(max_length=300, blank=True, validators=[validate_site_path])
    # "<lower user id>-<higher user id>" for a direct thread, so two people have at most one; blank otherwise.
    direct_key = models.CharField(max_length=41, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["direct_key"], condition=Q(kind="direct"), name="messaging_one_direct_thread"
            ),
            models.CheckConstraint(
                condition=Q(kind="direct", topic_path="") & ~Q(direct_key="")
                | ~Q(kind="direct") & Q(direct_key=""),
                name="messaging_direct_key_for_direct_threads",
            ),
        ]

    def __str__(self) -> str:
        return f"thread {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Participant(models.Model):
    """One side of a thread, with what that side has read (by message id: ids only grow, times can tie)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)  # the last e-mailed notice about this thread

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="messaging_one_participant_per_user")
        ]
        indexes = [models.Index(fields=["user", "thread"], name="messaging_participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.thread_id}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Staff hide a message after an abuse report: kept for the record, shown to nobody but staff.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_by__isnull=True)
                | Q(hidden_at__isnull=False, hidden_by__isnull=False),
                name="messaging_hidden_with_who",
            )
        ]

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Attachment(models.Model):
    """A file sent with a message, checked like a report's documents and stored the same way: encrypted in
    private storage under a random name; its original name is encrypted too (it may be "ID_<number>.jpg")."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="messages/")
    name = EncryptedTextField(blank=True, default="")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class DirectMessagesSetting(models.Model):
    """Whether other users may start a direct thread with this one. No row: they may (the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    accepts_direct = models.BooleanField(_("accept direct messages"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"direct messages of {self.user_id}"


class ThreadReport(models.Model):
    """A participant's abuse report about a message, or about a whole thread, for staff to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("No action taken")
        ACTIONED = "actioned", _("Acted on")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reports")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reported_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = EncryptedTextField()  # it may quote the messages
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    staff_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True, decided_by__isnull=True)
                | ~Q(status="open") & Q(decided_at__isnull=False, decided_by__isnull=False),
                name="messaging_report_decided_with_who",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="messaging_report_queue")]

    def __str__(self) -> str:
        return f"thread report {self.pk}"
