"""Requests from state authorities for users' data, and their answers (PRV-5).

A legal officer records a request as it arrived (authority, legal basis, the authority's reference, the scope,
the document received); a second legal officer or an administrator approves or rejects it; an approved request
gets one encrypted export, built by a job, that one of its two officers downloads once. Every step is a
``<event>_at``/``_by`` pair next to ``status`` (``transitions.py`` is its one owner), tied by constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspiracle.core.storage import private_storage


class DataKind(models.TextChoices):
    """The closed list of what an authority may ask for (PRV-5)."""

    REGISTRATION = "registration", _("Registration information")
    CONTENT = "content", _("Content (works and their files)")
    PUBLICATION_TIMES = "publication_times", _("Publication times")
    IP_ADDRESSES = "ip_addresses", _("IP addresses (audit events and sessions)")


class DisclosureRequest(models.Model):
    class Status(models.TextChoices):
        RECORDED = "recorded", _("Awaiting approval")
        APPROVED = "approved", _("Approved, export being prepared")
        REJECTED = "rejected", _("Rejected")
        EXPORTED = "exported", _("Export ready to download")
        DELIVERED = "delivered", _("Delivered")
        WITHDRAWN = "withdrawn", pgettext_lazy("disclosure request", "Withdrawn")

    reference = models.CharField(max_length=16, unique=True)
    authority = models.CharField(max_length=200)
    legal_basis = models.TextField(max_length=2000)
    authority_reference = models.CharField(max_length=100)
    # The scope: these accounts (as named in the request, resolved when recorded), these kinds, this period.
    accounts = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    kinds = models.JSONField(default=list)
    period_from = models.DateField()
    period_to = models.DateField()
    deadline = models.DateField()
    notice_prohibited = models.BooleanField(default=False)

    # The document the authority sent, encrypted at rest like report evidence (the type found from its content).
    document = models.FileField(storage=private_storage, upload_to="disclosure/documents/")
    document_name = models.CharField(max_length=200)
    document_type = models.CharField(max_length=40)
    document_size = models.PositiveIntegerField()
    document_sha256 = models.CharField(max_length=64)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(max_length=2000, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    # The sealed archive and its data key wrapped by the PII key ring; both go at delivery (or withdrawal).
    export_file = models.FileField(storage=private_storage, upload_to="disclosure/exports/", blank=True)
    export_key = models.TextField(blank=True)
    export_size = models.PositiveBigIntegerField(null=True, blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)  # of the archive as delivered (plain ZIP)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="disclosure_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")), name="disclosure_period_order"
            ),
            # PRV-5: four eyes. The approver is never the officer who recorded the request.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("recorded_by")),
                name="disclosure_second_officer",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "exported", "delivered"])
                | (Q(approved_at__isnull=False, approved_by__isnull=False) & ~Q(decision_reason="")),
                name="disclosure_approved_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected")
                | (Q(rejected_at__isnull=False, rejected_by__isnull=False) & ~Q(decision_reason="")),
                name="disclosure_rejected_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="exported")
                | (Q(exported_at__isnull=False) & ~Q(export_file="") & ~Q(export_key="")),
                name="disclosure_exported_recorded",
            ),
            # Delivered once: the export and its key are gone, who downloaded it and when stay.
            models.CheckConstraint(
                condition=~Q(status="delivered")
                | Q(
                    exported_at__isnull=False,
                    delivered_at__isnull=False,
                    delivered_by__isnull=False,
                    export_file="",
                    export_key="",
                ),
                name="disclosure_delivered_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn")
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False, export_file="", export_key=""),
                name="disclosure_withdrawn_recorded",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RECORDED, self.Status.APPROVED, self.Status.EXPORTED)

    @property
    def officers(self) -> set[int]:
        """Who may download the export: the officer who recorded the request and the one who approved it."""
        return {pk for pk in (self.recorded_by_id, self.approved_by_id) if pk is not None}

    def kind_labels(self) -> list[str]:
        return [str(DataKind(kind).label) for kind in self.kinds if kind in DataKind.values]
