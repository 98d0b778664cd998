"""Moderation's records: who holds an item in review, every decision with its reason (MOD-1, MOD-2, MOD-4),
sanctions on accounts (MOD-5), strikes and appeals (MOD-6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.moderation.statements import shown_message
from inspiracle.reasons import ACCOUNT_CHOICES, CHOICES, reason_label


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
    message = models.TextField(max_length=2000, blank=True)  # typed by staff, shown as written
    # What the platform says (statements.py), as a code and its parameters: shown in the reader's language.
    statement = models.CharField(max_length=40, blank=True)
    statement_params = models.JSONField(default=dict, blank=True)
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

    @property
    def shown_message(self) -> str:
        """The message in the active language: the platform's statement, then what staff wrote."""
        return shown_message(statement=self.statement, params=self.statement_params, message=self.message)


# What a user can appeal of the decisions about their works (MOD-6): the measures, not approvals.
APPEALABLE_DECISIONS = (Decision.Kind.REJECT, Decision.Kind.TAKEDOWN, Decision.Kind.MASK)


class Sanction(models.Model):
    """MOD-5: a measure on an account, in force from ``starts_at`` until ``ends_at`` (none: until lifted), unless
    lifted earlier. Enforcement reads the times themselves, so a measure binds and ends on the minute even if
    the periodic job runs late; that job only records the end and tells the user."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        PUBLISHING = "publishing", _("Publishing restriction")
        PARTICIPATION = "participation", _("Participation restriction")
        SUSPENSION = "suspension", _("Suspension")
        TERMINATION = "termination", _("Termination")
        RECLAIM = "reclaim", _("Impersonating account reclaimed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reason_code = models.CharField(max_length=30, choices=ACCOUNT_CHOICES)
    message = models.TextField(max_length=2000, blank=True)  # typed by staff, shown as written
    # What the platform says (statements.py), as a code and its parameters: shown in the reader's language.
    statement = models.CharField(max_length=40, blank=True)
    statement_params = models.JSONField(default=dict, blank=True)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Ended early by staff or an upheld appeal (lifted_by set), or by its own end (lifted_by empty).
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(max_length=2000, blank=True)
    # Reclaiming renames the account; an upheld appeal gives the names back.
    previous_username = models.CharField(max_length=30, blank=True)
    previous_display_name = models.CharField(max_length=40, blank=True)

    # Not stored: what the measure stops, set by standing_for_user for display.
    effects: list[str]

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["user", "lifted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="sanction_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="termination") | Q(ends_at__isnull=True),
                name="sanction_termination_permanent",
            ),
            models.CheckConstraint(
                condition=Q(lifted_by__isnull=True) | (Q(lifted_at__isnull=False) & ~Q(lift_reason="")),
                name="sanction_lifted_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.kind} of {self.user_id}"

    @property
    def shown_message(self) -> str:
        """The message in the active language: the platform's statement, then what staff wrote."""
        return shown_message(statement=self.statement, params=self.statement_params, message=self.message)

    def in_force(self, now) -> bool:
        return (
            self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)
        )


class Strike(models.Model):
    """MOD-6: a mark against an account for a breach, counted while active and not expired. Staff can overrule
    it (it should not have been given) or dismiss it (it stands on record but no longer counts)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        OVERRULED = "overruled", _("Overruled")
        DISMISSED = "dismissed", _("Dismissed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strikes")
    reason_code = models.CharField(max_length=30, choices=ACCOUNT_CHOICES)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="strikes"
    )
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="active", resolved_at__isnull=True, resolved_by__isnull=True)
                    | (
                        ~Q(status="active")
                        & Q(resolved_at__isnull=False, resolved_by__isnull=False)
                        & ~Q(resolution_reason="")
                    )
                ),
                name="strike_resolution_recorded",
            ),
        ]

    def __str__(self):
        return f"strike {self.pk} of {self.user_id}"

    def counts(self, now) -> bool:
        return self.status == self.Status.ACTIVE and self.expires_at > now


class Appeal(models.Model):
    """MOD-6: a user contests one decision, strike or sanction, once. A staff member other than the one who
    took the measure handles it; the outcome and its reasons are sent to the user."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: the measure is undone")
        DENIED = "denied", _("Denied: the measure stands")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals")
    # Exactly one of the three; one-to-one because each measure is appealed once.
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    strike = models.OneToOneField(
        Strike, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    sanction = models.OneToOneField(
        Sanction, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    statement = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_message = models.TextField(max_length=4000, blank=True)

    # Not stored: the summary of the measure contested (measure_for_user), set by the selectors for display.
    measure: dict

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(decision__isnull=False, strike__isnull=True, sanction__isnull=True)
                    | Q(decision__isnull=True, strike__isnull=False, sanction__isnull=True)
                    | Q(decision__isnull=True, strike__isnull=True, sanction__isnull=False)
                ),
                name="appeal_one_target",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="open", decided_at__isnull=True, decided_by__isnull=True)
                    | (
                        ~Q(status="open")
                        & Q(decided_at__isnull=False, decided_by__isnull=False)
                        & ~Q(outcome_message="")
                    )
                ),
                name="appeal_outcome_recorded",
            ),
        ]

    def __str__(self):
        return f"appeal {self.pk} of {self.user_id}"

    @property
    def target(self):
        return self.decision or self.strike or self.sanction

    @property
    def original_decider_id(self) -> int:
        if self.decision is not None:
            return self.decision.decided_by_id
        return self.target.created_by_id


class AppealMessage(models.Model):
    """The written exchange of an appeal, in order."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField()
    body = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"message {self.pk} on appeal {self.appeal_id}"
