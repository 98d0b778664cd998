"""Licensing requests, their proposals, deals and the register of grants (COM-1, COM-2, COM-3, COM-6, PRV-4).

A request is a negotiation between a requester (a verified organization or a creator) and the creator who owns
the works. Every offer in it is an immutable ``Proposal``; answering one means accepting it, declining the
request, or making the next proposal. Accepting creates the ``Deal``, which is never edited (only annulled by a
legal officer, with a reason), and one ``Grant`` per work in the register.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspiracle.licensing.terms import FeeModel, Kind


class LicenceRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    reference = models.CharField(max_length=16, unique=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    works = models.ManyToManyField("works.Work", related_name="licence_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    # Moves with every proposal: a request nobody answers in LICENSING_REQUEST_EXPIRY_DAYS expires.
    expires_at = models.DateTimeField()
    # COM-7: the two parties talk in this thread (messaging), from the request to the deal and after.
    thread = models.OneToOneField(
        "messaging.Thread", null=True, blank=True, on_delete=models.PROTECT, related_name="licence_request"
    )
    # RPT-15: a rights holder offers a licence instead of a takedown; the report it came from.
    report_reference = models.CharField(max_length=20, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.TextField(max_length=2000, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField(max_length=2000, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="licreq_status_expires")]
        constraints = [
            models.CheckConstraint(condition=~Q(requester=models.F("creator")), name="licreq_two_parties"),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="licreq_accepted_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined")
                | (Q(declined_at__isnull=False, declined_by__isnull=False) & ~Q(decline_reason="")),
                name="licreq_declined_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="licreq_withdrawn_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="expired") | Q(expired_at__isnull=False), name="licreq_expired_recorded"
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def other_party(self, user):
        return self.creator if user.pk == self.requester_id else self.requester


class Proposal(models.Model):
    """One version of the terms, by one party. Never changed once written (COM-2)."""

    request = models.ForeignKey(LicenceRequest, on_delete=models.CASCADE, related_name="proposals")
    number = models.PositiveSmallIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    intended_use = models.TextField(max_length=2000)
    product_categories = models.JSONField()
    territories = models.JSONField()
    channels = models.JSONField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    fee_model = models.CharField(max_length=20, choices=FeeModel.choices)
    flat_fee = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    royalty_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    minimum_guarantee = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    message = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["request", "number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "number"], name="proposal_number_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="proposal_term_order"
            ),
            models.CheckConstraint(
                condition=Q(royalty_percent__isnull=True)
                | Q(royalty_percent__gt=0, royalty_percent__lte=100),
                name="proposal_royalty_range",
            ),
            models.CheckConstraint(
                condition=(Q(flat_fee__isnull=True) | Q(flat_fee__gt=0))
                & (Q(minimum_guarantee__isnull=True) | Q(minimum_guarantee__gt=0)),
                name="proposal_amounts_positive",
            ),
        ]

    def __str__(self):
        return f"{self.request_id} #{self.number}"

    TERM_FIELDS = (
        "kind",
        "intended_use",
        "product_categories",
        "territories",
        "channels",
        "starts_on",
        "ends_on",
        "fee_model",
        "flat_fee",
        "royalty_percent",
        "minimum_guarantee",
    )

    @property
    def terms(self) -> dict:
        return {name: getattr(self, name) for name in self.TERM_FIELDS}

    @property
    def exclusive(self) -> bool:
        return self.kind == Kind.EXCLUSIVE


class Deal(models.Model):
    """What was agreed, when, between whom, under which agreements (COM-2). Never edited: only annulled."""

    reference = models.CharField(max_length=16, unique=True)
    request = models.OneToOneField(LicenceRequest, on_delete=models.PROTECT, related_name="deal")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="deal")
    licensor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    licensee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    works = models.ManyToManyField("works.Work", related_name="licence_deals")
    accepted_at = models.DateTimeField()
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The agreement versions each side had accepted when the deal was made.
    licensor_agreements = models.ManyToManyField("agreements.Version", related_name="+")
    licensee_agreements = models.ManyToManyField("agreements.Version", related_name="+")
    annulled_at = models.DateTimeField(null=True, blank=True)
    annulled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    annul_reason = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annulled_at__isnull=True, annulled_by__isnull=True, annul_reason="")
                | (Q(annulled_at__isnull=False, annulled_by__isnull=False) & ~Q(annul_reason="")),
                name="deal_annulment_recorded",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_annulled(self) -> bool:
        return self.annulled_at is not None

    def other_party(self, user):
        return self.licensor if user.pk == self.licensee_id else self.licensee


class Grant(models.Model):
    """One row of the register (COM-6): the rights a deal grants on one work. Scope lists are expanded codes."""

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="grants")
    work = models.ForeignKey("works.Work", on_delete=models.PROTECT, related_name="licence_grants")
    licensee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    exclusive = models.BooleanField()
    product_categories = models.JSONField()
    territories = models.JSONField()
    channels = models.JSONField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    granted_at = models.DateTimeField()
    # Set when the deal is annulled: the rights are free again.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["work", "starts_on", "pk"]
        indexes = [models.Index(fields=["work", "ends_on"], name="grant_work_ends")]
        constraints = [
            models.UniqueConstraint(fields=["deal", "work"], name="grant_once_per_work"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="grant_term_order"),
        ]

    def __str__(self):
        return f"{self.deal_id}:{self.work_id}"

    @property
    def scope(self) -> dict:
        return {
            "product_categories": self.product_categories,
            "territories": self.territories,
            "channels": self.channels,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
        }


class ContactDisclosure(models.Model):
    """PRV-4: one showing of a party's contact details to the other party of a deal, for the subject to see."""

    class Via(models.TextChoices):
        DEAL_MADE = "deal", _("Shared when the deal was made")
        PAGE = "page", _("Deal page")
        PRINT = "print", _("Printable summary")
        PDF = "pdf", _("PDF summary")
        API = "api", _("API")
        STAFF = "staff", _("Platform staff overseeing the deal")

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="disclosures")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    via = models.CharField(max_length=8, choices=Via.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"], name="disclosure_subject_at")]

    def __str__(self):
        return f"{self.subject_id} -> {self.viewer_id} ({self.via})"
