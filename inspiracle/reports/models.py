"""Infringement and rights reports (RPT): the report, the addresses it names, its evidence, the uploader's
counter-notice, a rights holder's reusable verified identity, and the working-day calendar its deadline uses.

Personal information (names, addresses, phones, emails) is encrypted at rest like registration information;
identity documents and proofs are encrypted files in private storage (RPT-10).
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from inspiracle.core.fields import EncryptedTextField
from inspiracle.core.storage import private_storage

if TYPE_CHECKING:
    from django.forms import BoundField

    from inspiracle.reports.staff_selectors import Similar


class Category(models.TextChoices):
    IMPERSONATION = "impersonation", _("Malicious squatting or impersonation")
    PRIVACY = "privacy", _("Privacy infringement")
    DEFAMATION = "defamation", _("Rumours and slander")
    IP = "ip", _("Intellectual property")


class IpKind(models.TextChoices):
    COPYRIGHT = "copyright", _("Copyright")
    TRADEMARK = "trademark", _("Trademark")
    PATENT = "patent", _("Patent")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Individual")
    ORGANIZATION = "organization", _("Organization")


class RightsHolderProfile(models.Model):
    """RPT-13: a rights holder's identity and proof of rights, verified once by a legal officer and reused in
    later reports while valid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Refused")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rights_profiles"
    )
    party_kind = models.CharField(max_length=12, choices=PartyKind.choices)
    name = EncryptedTextField()
    mailing_address = EncryptedTextField()
    phone = EncryptedTextField()
    email = EncryptedTextField()
    rights = models.TextField(_("rights held"), max_length=4000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateTimeField(null=True, blank=True)
    refused_reason = models.TextField(max_length=2000, blank=True)

    # Not stored: set by rights_profile_list_for_owner for display (``documents``: how many it has).
    is_usable: bool
    documents: int

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified")
                | Q(verified_at__isnull=False, verified_by__isnull=False, valid_until__isnull=False),
                name="rights_profile_verified_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refused_reason=""), name="rights_profile_refused_reason"
            ),
        ]

    def __str__(self):
        return f"rights profile {self.pk} of {self.owner_id}"

    def usable(self, now) -> bool:
        return self.status == self.Status.VERIFIED and self.valid_until is not None and self.valid_until > now


class Report(models.Model):
    """One notice from a reporter about content on the platform (RPT-1..RPT-7).

    Draft ("not accepted") until every material its category needs is there; the deadline counts from
    ``completed_at``. Then it waits for a legal officer, who upholds or rejects it with reasons."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", _("Not accepted: materials missing")
        ACCEPTED = "accepted", _("Accepted: under review")
        UPHELD = "upheld", pgettext_lazy("report outcome", "Upheld")
        REJECTED = "rejected", _("Rejected")

    class Acting(models.TextChoices):
        HOLDER = "holder", _("I am the rights holder")
        AGENT = "agent", _("I act for the rights holder")

    reference = models.CharField(max_length=20, unique=True)
    category = models.CharField(max_length=14, choices=Category.choices)
    ip_kind = models.CharField(max_length=10, choices=IpKind.choices, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    # A reporter without an account proves this address first (RPT-1); it also receives the tracking link.
    email_index = models.CharField(max_length=64, db_index=True)
    # The secret of a reporter's tracking link (with the reference): how one without an account returns.
    access_token = EncryptedTextField(blank=True, default="")
    acting = models.CharField(max_length=6, choices=Acting.choices, default=Acting.HOLDER)
    party_kind = models.CharField(max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    profile = models.ForeignKey(
        RightsHolderProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    name = EncryptedTextField(blank=True, default="")
    mailing_address = EncryptedTextField(blank=True, default="")
    phone = EncryptedTextField(blank=True, default="")
    email = EncryptedTextField()
    description = models.TextField(max_length=8000, blank=True)
    # A work on this platform the reporter cites as proof of the right (RPT-3): its record is the proof.
    cited_work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # RPT-3, WRK-10: a proof-of-creation certificate the reporter cited (uploaded, or issued for the cited
    # work), as sent, and what checking it against the proof log found (reports/citations.py).
    proof_certificate = models.TextField(blank=True, default="")
    proof_check = models.JSONField(null=True, blank=True)
    language = models.CharField(max_length=8, default="zh-hans", choices=settings.LANGUAGES)
    # The three declarations of RPT-3, each confirmed on its own.
    declared_holder_at = models.DateTimeField(null=True, blank=True)
    declared_infringes_at = models.DateTimeField(null=True, blank=True)
    declared_liability_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INCOMPLETE)
    created_at = models.DateTimeField(default=timezone.now)
    created_ip = models.GenericIPAddressField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # True when the calendar lacked a year and every day of it was counted (RPT-16): the date is never late.
    due_conservative = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(max_length=4000, blank=True)
    # RPT-10: when identity documents and proofs were deleted, a set time after the report closed.
    purged_at = models.DateTimeField(null=True, blank=True)
    # RPT-15: the licence the rights holder offers for the works they chose "offer a licence" for, as
    # licensing.terms.Terms.as_fields() (dates ISO, amounts as text): checked with terms_parse when filed,
    # sent as a licensing request from the reporter's account when the report is upheld.
    licence_offer = models.JSONField(null=True, blank=True)

    # Not stored: what report_file and report_complete found still missing, by field.
    missing: dict[str, list[str]]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="ip") | Q(ip_kind=""),
                name="report_ip_kind_only_for_ip",
            ),
            models.CheckConstraint(
                condition=Q(status="incomplete") | Q(completed_at__isnull=False, due_at__isnull=False),
                name="report_complete_has_due_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["upheld", "rejected"])
                | (Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(decision_reasons="")),
                name="report_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(category="ip") | Q(licence_offer__isnull=True),
                name="report_licence_offer_only_for_ip",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.INCOMPLETE, self.Status.ACCEPTED)


class ReportItem(models.Model):
    """One page address a report names (RPT-3, RPT-4), resolved to the work or profile it shows, with which
    content infringes which right; for rumours and slander, the statement quoted as false (RPT-5)."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Not decided")
        TAKEN_DOWN = "takedown", _("Taken down")
        MASKED = "mask", _("Masked")
        KEPT = "kept", _("Kept")
        # RPT-15: the report was upheld and the rights holder's licence sent to the uploader instead of a
        # takedown; then either agreed, or not (and the work is taken down: TAKEN_DOWN).
        LICENCE_OFFERED = "licence_offered", _("Licence offered")
        LICENSED = "licensed", _("Licensed")

    class Remedy(models.TextChoices):
        """What the reporter asks for a work (RPT-15): a takedown, or a licence in its place."""

        TAKEDOWN = "takedown", _("Take it down")
        LICENCE = "licence", _("Offer a licence instead")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="items")
    url = models.CharField(max_length=500)
    work = models.ForeignKey("works.Work", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("which content"), max_length=2000)
    right = models.TextField(_("which right it infringes"), max_length=2000)
    statement = models.TextField(_("statement said to be false"), max_length=2000, blank=True)
    remedy = models.CharField(max_length=8, choices=Remedy.choices, default=Remedy.TAKEDOWN)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    decision = models.ForeignKey(
        "moderation.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    strike = models.ForeignKey(
        "moderation.Strike", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # RPT-15: the licensing request sent for this work when the report was upheld, and what the legal officer
    # decided should happen if it is not agreed: the work is taken down, with a strike when this is set.
    licence_request = models.ForeignKey(
        "licensing.LicenceRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fallback_strike = models.BooleanField(default=False)
    # When the request's end settled the item: licensed, or the fallback applied.
    settled_at = models.DateTimeField(null=True, blank=True)

    # Not stored: set for display by the selectors (the reporter's and the staff's view of the report) and by
    # ReportDecideForm (each address's own action field).
    target_label: str
    notice: "CounterNotice | None"
    matches: "list[Similar]"
    action_field: "BoundField"
    licence_path: str

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work__isnull=False, account__isnull=True)
                | Q(work__isnull=True, account__isnull=False),
                name="report_item_one_target",
            ),
            models.CheckConstraint(
                condition=Q(remedy="takedown") | Q(work__isnull=False), name="report_item_licence_for_work"
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["licence_offered", "licensed"])
                | Q(remedy="licence", licence_request__isnull=False),
                name="report_item_licence_request_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="licensed") | Q(settled_at__isnull=False),
                name="report_item_licensed_settled",
            ),
        ]

    def __str__(self):
        return self.url

    @property
    def owner_id(self) -> int:
        owner_id = self.work.owner_id if self.work is not None else self.account_id
        assert owner_id is not None  # an address is a work or an account (report_item_one_target)
        return owner_id


class CounterNotice(models.Model):
    """RPT-8: the uploader contests an upheld report, with an explanation and proof, asking for restoration."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under review")
        RESTORED = "restored", _("Content restored")
        REFUSED = "refused", _("Refused: the measure stands")

    item = models.OneToOneField(ReportItem, on_delete=models.CASCADE, related_name="counter_notice")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counter_notices"
    )
    explanation = models.TextField(max_length=8000)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reasons = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | (Q(decided_at__isnull=False, decided_by__isnull=False) & ~Q(decision_reasons="")),
                name="counter_notice_decision_recorded",
            )
        ]

    def __str__(self):
        return f"counter-notice {self.pk}"


class Evidence(models.Model):
    """A document attached to a report, a rights holder profile or a counter-notice: encrypted in private
    storage, shown only to legal officers and admins, purged after the report closes (RPT-10)."""

    class Kind(models.TextChoices):
        IDENTITY = "identity", _("ID card or passport copy")
        CERTIFICATE = "certificate", _("Registration certificate")
        PROOF = "proof", _("Proof of the right")
        AUTHORIZATION = "authorization", _("Written authorization")
        FALSITY = "falsity", _("Proof that the statements are false")
        COUNTER = "counter", _("Proof for the counter-notice")

    kind = models.CharField(max_length=14, choices=Kind.choices)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    profile = models.ForeignKey(
        RightsHolderProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    counter_notice = models.ForeignKey(
        CounterNotice, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(storage=private_storage, upload_to="reports/", blank=True)
    # The name the sender gave the file is personal information too ("身份证_<ID number>.jpg"): encrypted,
    # and emptied by the purge with the document itself (RPT-10).
    name = EncryptedTextField(blank=True, default="")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, profile__isnull=True, counter_notice__isnull=True)
                | Q(report__isnull=True, profile__isnull=False, counter_notice__isnull=True)
                | Q(report__isnull=True, profile__isnull=True, counter_notice__isnull=False),
                name="evidence_one_owner",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.pk}"


# What each owner may attach.
REPORT_KINDS = tuple(kind for kind in Evidence.Kind.values if kind != Evidence.Kind.COUNTER)
PROFILE_KINDS = (Evidence.Kind.IDENTITY, Evidence.Kind.CERTIFICATE, Evidence.Kind.PROOF)


class EmailProof(models.Model):
    """RPT-1: a reporter without an account proves an email address with a code sent to it."""

    email_index = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_ip = models.GenericIPAddressField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"email proof {self.pk}"


class CalendarYear(models.Model):
    """RPT-16: the operator's calendar for a year the bundled PRC holiday data does not cover: its statutory
    holidays and its make-up working days (weekend days that are worked)."""

    year = models.PositiveSmallIntegerField(unique=True)
    holidays = models.JSONField(default=list)
    workdays = models.JSONField(default=list)
    source = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self.year)
